package dev.aimc.cli;

import dev.aimc.train.DemoRunner;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aimc demo}: trains a small CNN on the embedded MNIST subset (no download needed). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train LeNet-5 on the embedded MNIST subset (10,000/2,000) and report its test accuracy.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "checkpoint directory (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--model", defaultValue = "lenet5-mnist", description = "lenet5-mnist or mlp-mnist") String model;
    @Option(names = "--epochs", defaultValue = "3") int epochs;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--no-progress") boolean noProgress;

    @Override
    public Integer call() {
        Check.range("--epochs", epochs, 1, 1000);
        Check.that(model.equals("lenet5-mnist") || model.equals("mlp-mnist"), "--model",
                "must be lenet5-mnist or mlp-mnist", model);
        long t0 = System.nanoTime();
        TrainRun.Result r = DemoRunner.trainDigital(out, model, epochs, seed, !noProgress, System.out);
        System.out.printf("demo: %s test accuracy %.2f%% (embedded MNIST subset, %.1f s); checkpoint %s%n", model,
                100 * r.testAccuracy(), (System.nanoTime() - t0) / 1e9, r.checkpoint().toAbsolutePath());
        return 0;
    }
}
