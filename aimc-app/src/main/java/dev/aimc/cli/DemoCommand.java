package dev.aimc.cli;

import dev.aimc.runner.CheckpointEvaluation;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.DemoRunner;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import dev.aimc.util.OutputPaths;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aimc demo}: trains a small CNN on the embedded MNIST subset (no download needed). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train LeNet-5 on the embedded MNIST subset (10,000/2,000), program it onto PCM crossbars and "
                + "report its accuracy over time (1 s .. 1 year), with global drift compensation (gdc, the headline) and "
                + "without (none, to compare).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "checkpoint directory (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--model", defaultValue = "lenet5-mnist", description = "lenet5-mnist or mlp-mnist (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--epochs", defaultValue = "3", description = "training epochs (default: ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--seed", defaultValue = "0", description = "seed of training and of the analog evaluation (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--no-progress", description = "no progress display on stderr (default: shown)")
    boolean noProgress;
    @Option(names = "--repeats", defaultValue = "3",
            description = "programming repeats of the analog evaluation (default: ${DEFAULT-VALUE})") int repeats;
    @Option(names = "--device", defaultValue = "pcm", description = "device of the analog stage, "
            + dev.aimc.device.DeviceModels.OPTION_HELP + " (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--digital-only", description = "skip the analog evaluation") boolean digitalOnly;
    @Option(names = "--overwrite", description = "replace a checkpoint in --out that an earlier demo with other "
            + "settings (or aimc train) wrote; an earlier demo's own checkpoint is replaced anyway") boolean overwrite;

    /** Compensation variants of the demo's analog stage: GDC (aihwkit's default) first, none to compare. */
    static final List<String> COMPENSATIONS = List.of("gdc", "none");

    /** The analog stage's configuration: {@link #device}, the standard times, GDC and none. */
    InferenceExperiment.Config analogConfig() {
        return InferenceExperiment.Config.builder().device(dev.aimc.device.DeviceModels.parse(device))
                .repeats(repeats).seed(seed).batchSize(500).tile(TileConfig.defaults())
                .compensations(dev.aimc.compensation.Schemes.parse(COMPENSATIONS)).build();
    }

    @Override
    public Integer call() {
        Check.range("--epochs", epochs, 1, 1000);
        Check.that(model.equals("lenet5-mnist") || model.equals("mlp-mnist"), "--model",
                "must be lenet5-mnist or mlp-mnist", model);
        dev.aimc.device.DeviceModels.parse(device); // a bad --device fails before training
        OutputPaths.folder("--out", out);
        if (!digitalOnly) {
            OutputPaths.folder("--out", out.resolve("analog"));
        }
        long t0 = System.nanoTime();
        TrainRun.Result r = DemoRunner.trainDigital(out, model, epochs, seed, !noProgress, System.out, overwrite);
        System.out.printf("demo: %s test accuracy %.2f%% (embedded MNIST subset, %.1f s); checkpoint %s%n", model,
                100 * r.testAccuracy(), (System.nanoTime() - t0) / 1e9, r.checkpoint().toAbsolutePath());
        if (digitalOnly) {
            return 0;
        }
        InferenceExperiment.Config cfg = analogConfig();
        Path report = out.resolve("analog");
        System.out.printf("demo: programming %s onto %s crossbars (%d repeats), evaluating at 1 s, 1 h, 1 d, 30 d, "
                + "1 y with global drift compensation (gdc) and without (none)%n", model, device, repeats);
        CheckpointEvaluation.run(r.checkpoint(), null, cfg, report, !noProgress, System.out);
        System.out.printf("demo: done in %.1f s; report %s%n", (System.nanoTime() - t0) / 1e9,
                report.resolve("report.html").toAbsolutePath());
        return 0;
    }
}
