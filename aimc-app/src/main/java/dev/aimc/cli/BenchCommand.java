package dev.aimc.cli;

import dev.aimc.bench.BenchOptions;
import dev.aimc.bench.BenchReport;
import dev.aimc.bench.BenchRow;
import dev.aimc.bench.Benchmark;
import dev.aimc.train.TrainRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aimc bench}: analog against digital on the same workloads, medians and ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark analog against digital on the same workloads in one run (CPU, float32).",
            "W1 LeNet-5 inference b256, W2 HWA training step b128, W3 2048x2048 matrix b1024, W4 ResNet-32 b128,"
                + " W5 programming a 512x512 tile, W6 RSS growth over analog batches, W7 aimc's ResNet-20 against a"
                + " ResNet-20 imported from ONNX (../shared/models; set AIMC_MODELS elsewhere) b128, W8 one RRAM"
                + " variation candidate evaluation (LeNet-5, 10 chips x 1,000 images), W9 a whole RL placement search"
                + " of error compensation, W10 a whole quantization search."})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "run every workload briefly (smoke run, well under a minute)")
    boolean quick;
    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON (atomically)")
    Path json;
    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch intra-op threads (default 0: all available cores)")
    int threads;
    @Option(names = "--workloads", paramLabel = "W1,W3,...", description = "workloads to run (default: all)")
    String workloads;
    @Option(names = "--seed", defaultValue = "0", description = "seed of weights, inputs and noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            dev.aimc.util.OutputPaths.file("--json", json);
        }
        List<String> ws = BenchOptions.parseWorkloads(workloads);
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        BenchOptions opt = new BenchOptions(quick, n, ws, seed);
        TrainRun.setThreads(n);
        double[] before = BenchReport.loadAverage();
        List<BenchRow> rows = new Benchmark(opt, spec.commandLine().getErr()).run();
        BenchReport rep = new BenchReport(opt, rows, before, BenchReport.loadAverage(), Instant.now());
        spec.commandLine().getOut().print(rep.table());
        spec.commandLine().getOut().flush();
        if (json != null) {
            rep.writeJson(json);
        }
        return 0;
    }
}
