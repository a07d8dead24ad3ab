package dev.aimc.train;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Augmenter;
import dev.aimc.data.DataSets;
import dev.aimc.data.Normalization;
import dev.aimc.models.Models;
import dev.aimc.nn.GraphSpec;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;

/**
 * Training configuration; serialised into a checkpoint's {@code model.json} as {@code "training"}.
 *
 * <p>{@link #model} and {@link #dataset} have no default: {@link #validate()} requires both, and a configuration
 * that names no data set never augments. {@link #epochs} counts epochs; epochs are numbered from 1 everywhere
 * (the first is epoch 1, as in {@link Trainer#trainEpoch} and {@link CheckpointMeta#epoch}).
 */
public final class TrainConfig {
    /** Architecture ({@link Models#NAMES}); required. */
    public String model;
    /** Data set ({@link DataSets#NAMES}); required, and it decides the default augmentation. */
    public String dataset;
    /** Epochs to train in all (the last one is epoch {@code epochs}). */
    public int epochs = 30;
    /** Training batch size. */
    public int batch = 128;
    /** Learning rate; null means the optimizer's default (sgd 0.05, adam 0.001). */
    public Double lr;
    /** Optimizer: "sgd" or "adam". */
    public String optimizer = "sgd";
    /** SGD momentum μ, in [0, 1). */
    public double momentum = 0.9;
    /** Nesterov momentum for SGD. */
    public boolean nesterov;
    /** L2 weight decay λ, ≥ 0. */
    public double weightDecay = 5e-4;
    /** Learning-rate schedule: "cosine", "step" or "none". */
    public String schedule = "cosine";
    /** Seed of initialisation, shuffling and augmentation. */
    public long seed;
    /** Intra-op threads; 0 means the number of available processors. */
    public int threads;
    /** Use only the first N training samples (0: all). */
    public int trainLimit;
    /** Label smoothing ε of the cross-entropy, in [0, 1); 0 is none. */
    public double labelSmoothing;
    /**
     * Training augmentation (crop 4 + flip); null means on for cifar10, off for every other data set (MNIST digits
     * and HAR signals must not be flipped) and off when no data set is named.
     */
    public Boolean augment;
    /**
     * β of the Lipschitz regularizer added to the loss, β·Σ_l ‖G_l − λI‖²_F
     * ({@link dev.aimc.robust.LipschitzRegularizer}); 0 (the default) is off.
     */
    public double lipschitzBeta;
    /** λ of the Lipschitz regularizer (the target squared singular value), ≥ 0; default 1. */
    public double lipschitzLambda = dev.aimc.robust.LipschitzRegularizer.DEFAULT_LAMBDA;
    /** Evaluation batch size (does not change the accuracy). */
    public int evalBatch = 500;
    /** Progress bar on stderr. */
    public boolean progress = true;
    /** Stop once epoch {@code stopAfter} (1-based) is complete (0: run to {@code epochs}); for tests of resume. */
    public transient int stopAfter;
    /**
     * The graph and input normalisation of a network that is not one of {@link Models#NAMES} ({@link #model}
     * {@value GraphSpec#ARCHITECTURE}, e.g. imported from ONNX), taken from its checkpoint; null for the reference
     * networks. Not serialised: the checkpoint records both itself.
     */
    public transient Imported imported;

    /**
     * A graph network and the normalisation its inputs need.
     *
     * @param graph the network's graph
     * @param input the normalisation of raw values the network expects (replaces the data set's own)
     */
    public record Imported(GraphSpec graph, Normalization input) {}

    /**
     * The learning rate after defaults.
     *
     * @return lr if set, else 0.05 for sgd and 0.001 for adam
     */
    public double learningRate() {
        return lr != null ? lr : "adam".equals(optimizer) ? 1e-3 : 0.05;
    }

    /**
     * Whether augmentation is applied after defaults: as set, else only for cifar10 (never without a data set).
     *
     * @return true when samples are randomly cropped and flipped during training
     */
    public boolean augmentation() {
        return augment != null ? augment : "cifar10".equals(dataset);
    }

    /**
     * The settings in which {@code other} differs from this configuration and which change the trained network,
     * named by command-line option ({@code --lr}); defaults are applied first (a null {@code lr} is the optimizer's
     * default). Not compared: {@code epochs} (a run may be extended), threads, the progress bar and the evaluation
     * batch.
     *
     * @param other the recorded configuration, e.g. a checkpoint's
     * @return one entry per differing setting, empty when the run would reproduce {@code other}
     */
    public java.util.List<Difference> differencesFrom(TrainConfig other) {
        java.util.List<Difference> d = new java.util.ArrayList<>();
        diff(d, "--model", model, other.model);
        diff(d, "--dataset", dataset, other.dataset);
        diff(d, "--batch", batch, other.batch);
        diff(d, "--optimizer", optimizer, other.optimizer);
        diff(d, "--lr", learningRate(), other.learningRate());
        diff(d, "--momentum", momentum, other.momentum);
        diff(d, "--nesterov", nesterov, other.nesterov);
        diff(d, "--weight-decay", weightDecay, other.weightDecay);
        diff(d, "--schedule", schedule, other.schedule);
        diff(d, "--seed", seed, other.seed);
        diff(d, "--train-limit", trainLimit, other.trainLimit);
        diff(d, "--label-smoothing", labelSmoothing, other.labelSmoothing);
        diff(d, "--augment", augmentation(), other.augmentation());
        diff(d, "--lipschitz-beta", lipschitzBeta, other.lipschitzBeta);
        diff(d, "--lipschitz-lambda", lipschitzLambda, other.lipschitzLambda);
        return d;
    }

    /** One setting that differs: its command-line option, this configuration's value and the recorded one. */
    public record Difference(String option, Object value, Object recorded) {
        @Override
        public String toString() {
            return option + " " + value + " (recorded: " + recorded + ")";
        }
    }

    private static void diff(java.util.List<Difference> d, String option, Object mine, Object recorded) {
        if (!java.util.Objects.equals(mine, recorded)) {
            d.add(new Difference(option, mine, recorded));
        }
    }

    /**
     * The training augmentation seeded with {@code seed} (crop 4 + flip), or null when augmentation is off.
     *
     * @param seed seed of the crop offsets and flips
     * @return a new augmenter, or null
     */
    public Augmenter augmenter(long seed) {
        return augmentation() ? Augmenter.cifar(seed) : null;
    }

    /**
     * Thread count after defaults.
     *
     * @return threads if &gt; 0, else the number of available processors
     */
    public int threadCount() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Validates every value; throws {@link ConfigException} naming the option.
     *
     * @return this configuration
     */
    public TrainConfig validate() {
        if (model == null) {
            throw new ConfigException("--model is required (one of " + String.join(", ", Models.NAMES) + ")");
        }
        if (dataset == null) {
            throw new ConfigException("--dataset is required (one of " + String.join(", ", DataSets.NAMES) + ")");
        }
        if (!Models.NAMES.contains(model) && !(imported != null && GraphSpec.ARCHITECTURE.equals(model))) {
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
        Check.nonNegative("--lipschitz-beta", lipschitzBeta);
        Check.nonNegative("--lipschitz-lambda", lipschitzLambda);
        return this;
    }

    /**
     * The optimizer this configuration names, state in {@code m}.
     *
     * @param m the manager of the optimizer's state
     * @return SGD (momentum, Nesterov, weight decay as set) or Adam (0.9, 0.999, 1e-8)
     */
    public Optimizer newOptimizer(NDManager m) {
        return "adam".equals(optimizer)
                ? new Optimizer.Adam(m, 0.9, 0.999, 1e-8, weightDecay)
                : new Optimizer.Sgd(m, momentum, nesterov, weightDecay);
    }

    /**
     * The schedule this configuration names.
     *
     * @return the schedule at {@link #learningRate()}
     */
    public LrSchedule newSchedule() {
        return LrSchedule.parse(schedule, learningRate());
    }
}
