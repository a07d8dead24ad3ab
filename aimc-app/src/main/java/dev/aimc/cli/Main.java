package dev.aimc.cli;

import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.util.Version;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code aimc} command line. */
@Command(
        name = "aimc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Analog in-memory computing simulator: PCM/RRAM crossbars, drift, compensation.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DataCommand.class,
            DeviceCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            ProgramCommand.class,
            MvmErrorCommand.class,
            RunCommand.class,
            EvaluateCommand.class,
            CostCommand.class,
            ArchSearchCommand.class,
            ImportCommand.class,
            VariationCommand.class,
            QuantSearchCommand.class,
            PlaceCompensationCommand.class,
            ExportCommand.class,
        })
public final class Main implements Runnable {

    /** Exit status for invalid input: bad option values, corrupt files. */
    public static final int EXIT_BAD_INPUT = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Builds the command line with aimc's error handling: one line for bad input, exit status 2.
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            Throwable t = ex;
            while (t instanceof UncheckedIOException || (t instanceof RuntimeException
                    && t.getCause() != null && !(t instanceof ConfigException)
                    && !(t instanceof DataFormatException) && t.getClass() == RuntimeException.class)) {
                t = t.getCause();
            }
            if (t instanceof ConfigException || t instanceof DataFormatException) {
                cmd.getErr().println("aimc: " + t.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (t instanceof java.io.IOException) {
                cmd.getErr().println("aimc: " + t.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("aimc: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /**
     * Runs aimc with {@code args} and exits with the command's status (2 for bad input).
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        System.exit(commandLine().execute(args));
    }

    /** Reports the version from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"aimc " + Version.get()};
        }
    }
}
