package dev.aimc.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's digital part: trains {@code lenet5-mnist} on the embedded MNIST subset (10,000 / 2,000, no
 * download) for a few epochs and returns the checkpoint, for later stages (analog evaluation) to load.
 */
public final class DemoRunner {
    private DemoRunner() {}

    /**
     * The demo's training configuration.
     *
     * @param model "lenet5" or another name from {@code Models.NAMES}
     * @param epochs epochs to train (≥ 1)
     * @param seed seed of initialisation and shuffling
     * @return a configuration on the embedded MNIST subset
     */
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

    /**
     * Trains the demo network into {@code out} and returns the result (checkpoint path, test accuracy).
     *
     * @param out the checkpoint directory
     * @param model the architecture name
     * @param epochs epochs to train (≥ 1)
     * @param seed seed of initialisation and shuffling
     * @param progress show a progress bar on stderr
     * @param log receives one line per epoch
     * @return the checkpoint path and test accuracy
     */
    public static TrainRun.Result trainDigital(Path out, String model, int epochs, long seed, boolean progress,
            PrintStream log) {
        return trainDigital(out, model, epochs, seed, progress, log, false);
    }

    /**
     * As {@link #trainDigital(Path, String, int, long, boolean, PrintStream)}. A checkpoint already in {@code out}
     * is replaced when {@code overwrite} is set or when an earlier demo wrote it with the same settings (model,
     * epochs, seed: the run reproduces it, nothing is lost); any other checkpoint stops the demo with a
     * {@link dev.aimc.util.ConfigException}.
     *
     * @param out the checkpoint directory
     * @param model the architecture name
     * @param epochs epochs to train (≥ 1)
     * @param seed seed of initialisation and shuffling
     * @param progress show a progress bar on stderr
     * @param log receives one line per epoch
     * @param overwrite replace any checkpoint in {@code out}
     * @return the checkpoint path and test accuracy
     */
    public static TrainRun.Result trainDigital(Path out, String model, int epochs, long seed, boolean progress,
            PrintStream log, boolean overwrite) {
        TrainConfig c = config(model, epochs, seed);
        c.progress = progress;
        TrainRun.IfExists mode = TrainRun.IfExists.REFUSE;
        if (overwrite) {
            mode = TrainRun.IfExists.OVERWRITE;
        } else if (Files.exists(out.resolve(Checkpoint.META))) {
            CheckpointMeta prior = Checkpoint.readMeta(out);
            if (prior.training != null && prior.training.epochs == epochs
                    && c.differencesFrom(prior.training).isEmpty()) {
                mode = TrainRun.IfExists.OVERWRITE; // an earlier demo's own checkpoint
            } else {
                throw new dev.aimc.util.ConfigException("--out " + out + " holds a checkpoint trained with other than"
                        + " this demo's settings (" + TrainRun.describe(out) + "); choose another --out or pass"
                        + " --overwrite");
            }
        }
        return TrainRun.run(c, out, mode, null, log, TrainRun.Extras.NONE);
    }
}
