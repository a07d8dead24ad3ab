package dev.aimc.cli;

import dev.aimc.data.DataSets;
import dev.aimc.runner.ChipExecutor;
import dev.aimc.runner.ExperimentFile;
import dev.aimc.runner.ExperimentRunner;
import dev.aimc.util.Check;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aimc run FILE}: runs a YAML experiment file (train or reuse networks, evaluate, one report). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a YAML experiment file: train (or reuse) its networks, evaluate them on analog hardware "
                + "over time with every compensation, write one report comparing them.")
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
        ExperimentFile f = ExperimentFile.load(file);
        Path o = out != null ? out : Path.of("results", f.name() + (quick ? "-quick" : ""));
        dev.aimc.util.OutputPaths.folder("--out", o);
        int t = spark != null && threads == 0 ? 1 : threads; // on a cluster: one thread per task unless told
        try (ChipExecutor ex = ChipExecutor.open("--spark", spark, t)) {
            ExperimentRunner.run(f, quick, o, DataSets.resolve(dataDir), t, System.out, !noProgress, ex);
        }
        return 0;
    }
}
