package dev.aimc.cli;

import dev.aimc.data.DataFetcher;
import dev.aimc.data.DataSets;
import dev.aimc.data.DataStatus;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aimc data}: list the data sets and their state, fetch one from its publisher. */
@Command(name = "data", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "List and fetch data sets (MNIST, Fashion-MNIST, CIFAR-10, UCI HAR).",
        subcommands = {DataCommand.ListCmd.class, DataCommand.FetchCmd.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code aimc data list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
            description = "Show each data set: state (valid, present, missing, corrupt), train/test counts, folder "
                    + "or reason. Exits 2 when a data set is corrupt.")
    static final class ListCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $AIMC_DATA).")
        String dataDir;

        @Option(names = "--no-verify", description = "Only check that the files exist; do not read them.")
        boolean noVerify;

        @Override
        public Integer call() {
            Path dir = DataSets.resolve(dataDir);
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ConfigException("--data-dir must be an existing directory, got " + dir);
            }
            List<DataStatus> all = DataSets.status(dir, !noVerify);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-14s %-8s %7s %7s  %s%n", "NAME", "STATUS", "TRAIN", "TEST", "LOCATION / REASON");
            DataStatus firstBad = null;
            int bad = 0;
            for (DataStatus s : all) {
                String where = s.location() == null ? (s.name().equals("mnist-subset") ? "(embedded)" : "")
                        : s.location().toString();
                String text = s.reason().isEmpty() ? where : s.reason();
                out.printf("%-14s %-8s %7s %7s  %s%n", s.name(), s.state().id(), count(s.train()), count(s.test()),
                        text);
                if (s.state() == DataStatus.State.CORRUPT) {
                    bad++;
                    firstBad = firstBad == null ? s : firstBad;
                }
            }
            out.flush();
            if (firstBad != null) {
                throw new DataFormatException(firstBad.name() + " is corrupt: " + firstBad.reason()
                        + (bad > 1 ? " (and " + (bad - 1) + " more corrupt data set" + (bad > 2 ? "s" : "") + ")" : ""));
            }
            return 0;
        }

        private static String count(int n) {
            return n < 0 ? "-" : Integer.toString(n);
        }
    }

    /** {@code aimc data fetch NAME}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
            description = "Download a data set from its publisher, verify its checksum and unpack it.")
    static final class FetchCmd implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, cifar10 or har (includes har-signals).")
        String name;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $AIMC_DATA).")
        String dataDir;

        @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 of the download (HAR has no "
                + "published checksum).")
        String sha256;

        @Option(names = "--base-url", hidden = true, description = "Download from this base URL instead (mirror).")
        String baseUrl;

        @Override
        public Integer call() throws Exception {
            DataFetcher.Source src = DataFetcher.source(name);
            Path dir = DataSets.resolve(dataDir);
            if (dir == null) {
                throw new ConfigException("--data-dir (or AIMC_DATA) must be set for fetch, got none");
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ConfigException("--data-dir must be a directory, got " + dir);
            }
            if (baseUrl != null) {
                src = src.withBaseUrl(baseUrl);
            }
            Path folder = new DataFetcher(System.err).fetch(src, dir, sha256);
            spec.commandLine().getOut().println(name + ": " + folder);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
