package dev.aimc.train;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The demo's digital part: trains {@code lenet5-mnist} on the embedded MNIST subset (10,000 / 2,000, no
 * download) for a few epochs and returns the checkpoint, for later stages (analog evaluation) to load.
 */
public final class DemoRunner {
    private DemoRunner() {}

    /** The demo's training configuration. */
    public static TrainConfig config(String model, int epochs, long seed) {
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.dataset = "mnist-subset";
        c.epochs = epochs;
        c.batch = 64;
        c.optimizer = "adam";
        c.lr = 2e-3;
        c.weightDecay = 0;
        c.schedule = "cosine";
        c.seed = seed;
        return c;
    }

    /** Trains the demo network into {@code out} and returns the result (checkpoint path, test accuracy). */
    public static TrainRun.Result trainDigital(Path out, String model, int epochs, long seed, boolean progress,
            PrintStream log) {
        TrainConfig c = config(model, epochs, seed);
        c.progress = progress;
        return TrainRun.run(c, out, false, null, log);
    }
}
