package dev.aimc.train;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Augmenter;
import dev.aimc.data.DataSets;
import dev.aimc.models.Models;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;

/** Training configuration; serialised into a checkpoint's {@code model.json} as {@code "training"}. */
public final class TrainConfig {
    public String model = "lenet5";
    public String dataset = "cifar10";
    public int epochs = 30;
    public int batch = 128;
    /** Learning rate; null means the optimizer's default (sgd 0.05, adam 0.001). */
    public Double lr;
    public String optimizer = "sgd";
    public double momentum = 0.9;
    public boolean nesterov;
    public double weightDecay = 5e-4;
    public String schedule = "cosine";
    public long seed;
    /** Intra-op threads; 0 means the number of available processors. */
    public int threads;
    /** Use only the first N training samples (0: all). */
    public int trainLimit;
    public double labelSmoothing;
    /** Training augmentation; null means on for cifar10 (crop 4 + flip), off otherwise. */
    public Boolean augment;
    public int evalBatch = 500;
    /** Progress bar on stderr. */
    public boolean progress = true;
    /** Stop after this many epochs in this invocation (0: run to {@code epochs}); for tests of resume. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int stopAfter;

    /** The learning rate after defaults. */
    public double learningRate() {
        return lr != null ? lr : "adam".equals(optimizer) ? 1e-3 : 0.05;
    }

    /** Whether augmentation is applied after defaults. */
    public boolean augmentation() {
        return augment != null ? augment : "cifar10".equals(dataset);
    }

    /** The training augmentation seeded with {@code seed} (crop 4 + flip), or null when augmentation is off. */
    public Augmenter augmenter(long seed) {
        return augmentation() ? Augmenter.cifar(seed) : null;
    }

    /** Thread count after defaults. */
    public int threadCount() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Validates every value; throws {@link ConfigException} naming the option. */
    public TrainConfig validate() {
        if (!Models.NAMES.contains(model)) {
            throw new ConfigException("--model must be one of " + String.join(", ", Models.NAMES) + ", got " + model);
        }
        if (!DataSets.NAMES.contains(dataset)) {
            throw new ConfigException("--dataset must be one of " + String.join(", ", DataSets.NAMES) + ", got "
                    + dataset);
        }
        Check.range("--epochs", epochs, 1, 100_000);
        Check.range("--batch", batch, 1, 1 << 20);
        Check.range("--eval-batch", evalBatch, 1, 1 << 20);
        Check.positive("--lr", learningRate());
        if (!"sgd".equals(optimizer) && !"adam".equals(optimizer)) {
            throw new ConfigException("--optimizer must be one of sgd, adam, got " + optimizer);
        }
        Check.range("--momentum", momentum, 0, 0.999999);
        Check.that(!nesterov || momentum > 0, "--nesterov", "needs --momentum > 0", momentum);
        Check.nonNegative("--weight-decay", weightDecay);
        LrSchedule.parse(schedule, 1);
        Check.range("--threads", threads, 0, 1024);
        Check.range("--train-limit", trainLimit, 0, Integer.MAX_VALUE);
        Check.range("--label-smoothing", labelSmoothing, 0, 0.999);
        return this;
    }

    /** The optimizer this configuration names, state in {@code m}. */
    public Optimizer newOptimizer(NDManager m) {
        return "adam".equals(optimizer)
                ? new Optimizer.Adam(m, 0.9, 0.999, 1e-8, weightDecay)
                : new Optimizer.Sgd(m, momentum, nesterov, weightDecay);
    }

    /** The schedule this configuration names. */
    public LrSchedule newSchedule() {
        return LrSchedule.parse(schedule, learningRate());
    }
}
