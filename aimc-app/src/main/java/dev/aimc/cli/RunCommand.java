package dev.aimc.cli;

import dev.aimc.data.DataSets;
import dev.aimc.runner.ChipExecutor;
import dev.aimc.runner.CommandFile;
import dev.aimc.runner.ExperimentFile;
import dev.aimc.runner.ExperimentRunner;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aimc run FILE}: runs a YAML experiment file (train or reuse networks, evaluate, one report), or a command
 * file ({@link CommandFile}: one study command, e.g. a design search, with its options as YAML).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a YAML experiment file: train (or reuse) its networks, evaluate them on analog hardware "
                + "over time with every compensation, write one report comparing them. A file with a 'command' key "
                + "runs that study command (arch-search, quant-search, place-compensation, variation, ...) with the "
                + "file's options instead.")
public final class RunCommand implements Callable<Integer> {
    /** Help of the {@code --spark} option of run and evaluate. */
    static final String SPARK_HELP = "run the chips (programming repeats) as the tasks of an Apache Spark job: "
            + "local[N] (N task threads in this process), spark://HOST:7077 (a standalone cluster whose workers run "
            + "aimc's class path, see ./aimc spark-worker); needs the module aimc-spark (./aimc adds it); with it, "
            + "--threads is per task (default 1)";

    /** Help of the {@code --spark} option of the design searches (quant-search, place-compensation, arch-search). */
    static final String SPARK_SEARCH_HELP = "evaluate the candidates of each search step as the tasks of an Apache "
            + "Spark job: local[N] (N task threads in this process), spark://HOST:7077 (a standalone cluster whose "
            + "workers run aimc's class path, see ./aimc spark-worker); needs the module aimc-spark (./aimc adds "
            + "it); with it, --threads is per task (default 1)";

    @Spec CommandSpec self;
    @Parameters(index = "0", paramLabel = "FILE", description = "experiment file (YAML)") Path file;
    @Option(names = "--quick", description = "shrink epochs, data and repeats (the file's quick section)")
    boolean quick;
    @Option(names = "--out", description = "output folder (default: results/<name>, or results/<name>-quick)")
    Path out;
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--threads", defaultValue = "0",
            description = "CPU threads for PyTorch (default: ${DEFAULT-VALUE} = all cores)") int threads;
    @Option(names = "--spark", paramLabel = "MASTER", description = SPARK_HELP) String spark;
    @Option(names = "--no-progress", description = "no progress display on stderr (default: a bar on a terminal, "
            + "about ten lines per training epoch or evaluation in a log)") boolean noProgress;

    @Override
    public Integer call() {
        Check.range("--threads", threads, 0, 1024);
        Object doc = CommandFile.document(file);
        if (CommandFile.isCommandFile(doc)) {
            return runCommand(CommandFile.parse(file, doc));
        }
        ExperimentFile f = ExperimentFile.load(file);
        Path o = out != null ? out : Path.of("results", f.name() + (quick ? "-quick" : ""));
        dev.aimc.util.OutputPaths.folder("--out", o);
        int t = spark != null && threads == 0 ? 1 : threads; // on a cluster: one thread per task unless told
        try (ChipExecutor ex = ChipExecutor.open("--spark", spark, t)) {
            ExperimentRunner.run(f, quick, o, DataSets.resolve(dataDir), t, System.out, !noProgress, ex);
        }
        return 0;
    }

    /**
     * Runs a command file: its command with its options, run's own --out (as the command's --out, or --json
     * OUT/NAME.json), --data-dir, --threads, --spark and --no-progress where the command has them; with variants, once
     * per variant (OUT/VARIANT or OUT/VARIANT.json), in file order, stopping at the first that fails. Every variant's
     * options, and every --json output, are checked before the first runs.
     */
    private int runCommand(CommandFile cf) {
        CommandLine root = Main.commandLine();
        root.setOut(self.commandLine().getOut());
        root.setErr(self.commandLine().getErr());
        CommandLine sub = root.getSubcommands().get(cf.command());
        CommandSpec spec = sub.getCommandSpec();
        Path o = out != null ? out : Path.of("results", cf.name() + (quick ? "-quick" : ""));
        List<String> variants = cf.variants().isEmpty() ? java.util.Collections.singletonList(null) : cf.variants();
        List<List<String>> runs = new java.util.ArrayList<>();
        for (String v : variants) {
            Map<String, Object> opts = cf.options(quick, v);
            for (String k : opts.keySet()) {
                if (spec.findOption("--" + k) == null) {
                    throw new ConfigException(cf.file() + ": " + cf.origin(k, quick, v) + ": aimc " + cf.command()
                            + " has no option --" + k + " (see aimc " + cf.command() + " --help)");
                }
                if (k.equals("out") || k.equals("json") || k.equals("data-dir")) {
                    throw new ConfigException(cf.file() + ": " + cf.origin(k, quick, v) + ": set by aimc run (--out, "
                            + "--data-dir), not in the file");
                }
            }
            if (spec.findOption("--out") != null) {
                opts.put("out", (v == null ? o : o.resolve(v)).toString());
            } else if (spec.findOption("--json") != null) {
                dev.aimc.util.OutputPaths.folder("--out", o);
                Path json = o.resolve((v == null ? cf.name() : v) + ".json");
                dev.aimc.util.OutputPaths.file("--out", json, Boolean.TRUE.equals(opts.get("overwrite")));
                opts.put("json", json.toString());
            }
            put(spec, opts, "data-dir", dataDir);
            put(spec, opts, "threads", threads == 0 ? null : threads);
            put(spec, opts, "spark", spark);
            put(spec, opts, "no-progress", noProgress ? Boolean.TRUE : null);
            runs.add(cf.arguments(opts));
        }
        for (List<String> args : runs) {
            root.getOut().println("aimc run " + file + ": aimc " + String.join(" ", args));
            root.getOut().flush();
            int rc = root.execute(args.toArray(new String[0]));
            if (rc != 0) {
                return rc;
            }
        }
        return 0;
    }

    private static void put(CommandSpec spec, Map<String, Object> opts, String name, Object value) {
        if (value != null && spec.findOption("--" + name) != null) {
            opts.put(name, value);
        }
    }
}
