package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.data.Augmenter;
import dev.aimc.data.Dataset;
import dev.aimc.nn.Module;
import dev.aimc.util.ProgressMeter;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Mini-batch training of a {@link Module} with our own autograd loop on DJL.
 *
 * <p>Each step: a per-batch sub-manager of the model's manager holds the batch and every temporary;
 * {@code model.forward(x, true)} (hardware-aware layers inject their noise when training is true), softmax
 * cross-entropy, backward, {@link Optimizer#step} (which zeroes gradients), then the after-step callbacks
 * (e.g. weight clipping). Loss and accuracy are accumulated on tensors and read every {@link #READ_EVERY}
 * steps only.
 *
 * <p>Epochs are numbered from 1, as on the command line and in {@link CheckpointMeta#epoch} (epochs completed):
 * {@code trainEpoch(train, 1, n)} is the first. Determinism: epoch {@code e} shuffles with
 * {@code Rng.derive(seed, 2(e-1))}, seeds the engine RNG and gives the hardware-aware layers their training-noise
 * streams ({@code HardwareAware.setNoiseStreams}) with {@code Rng.derive(seed, 2(e-1) + 1)} and the
 * augmenter with {@code Rng.derive(seed, 1_000_000 + e - 1)}, so a run resumed at an epoch boundary continues
 * exactly like an uninterrupted one.
 *
 * <p>Lipschitz regularization: with {@link TrainConfig#lipschitzBeta} β &gt; 0 the loss of every step is the
 * cross-entropy plus β·Σ_l ‖G_l − λI‖²_F ({@link dev.aimc.robust.LipschitzRegularizer}); the reported training
 * loss includes the penalty.
 *
 * <p>Divergence: the running loss is read every {@link #READ_EVERY} steps and at the end of the epoch, and every
 * parameter is checked after it; a NaN or infinite loss or weight stops the epoch with {@link Diverged}.
 *
 * <p>Augmentation: {@link TrainConfig#augmenter} decides (on for CIFAR-10 unless switched off, off for every
 * other data set unless switched on); a configuration that names no data set does not augment.
 */
public final class Trainer {
    /** Steps between reads of the on-tensor loss/accuracy sums (for the progress bar). */
    public static final int READ_EVERY = 25;

    private final Module model;
    private final NDManager manager;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final TrainConfig config;
    private final Map<String, NDArray> params;
    private final List<Consumer<Module>> afterStep = new ArrayList<>();

    /**
     * A trainer for {@code model} whose parameters live in {@code manager}.
     *
     * @param model the network to train
     * @param manager the manager of the parameters; batches use sub-managers of it
     * @param optimizer the optimizer, stepped once per batch
     * @param config batch size, schedule, label smoothing, seed and limits
     */
    public Trainer(Module model, NDManager manager, Optimizer optimizer, TrainConfig config) {
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer;
        this.config = config;
        this.schedule = config.newSchedule();
        this.params = model.namedParameters();
    }

    /**
     * Callbacks run after every optimizer step, with gradient recording off (mutable list).
     *
     * @return the live list; add callbacks such as weight clipping
     */
    public List<Consumer<Module>> afterStepCallbacks() {
        return afterStep;
    }

    /**
     * The optimizer stepped after each batch.
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The network being trained.
     *
     * @return the model
     */
    public Module model() {
        return model;
    }

    /**
     * Training diverged: a loss or a weight became NaN or infinite. A {@link dev.aimc.util.ConfigException} (exit
     * status 2 on the command line): the usual cause is a learning rate too large for the network.
     */
    public static final class Diverged extends dev.aimc.util.ConfigException {
        /** The epoch (1-based) that diverged. */
        private final int epoch;

        Diverged(int epoch, String message) {
            super(message);
            this.epoch = epoch;
        }

        /**
         * The epoch (1-based) that diverged.
         *
         * @return the epoch number, ≥ 1
         */
        public int epoch() {
            return epoch;
        }
    }

    /** Result of one training epoch. */
    public record EpochStats(double loss, double accuracy, double seconds, double imagesPerSecond, double lastLr) {}

    /**
     * Trains epoch {@code epoch} (1-based: 1 is the first) of {@code totalEpochs} over {@code train}.
     *
     * @param train the training set (its augmentation, if tagged, is applied)
     * @param epoch the epoch, 1-based
     * @param totalEpochs epochs in the whole run (sets the learning-rate schedule)
     * @return mean training loss, training accuracy, images per second and learning rate of the epoch
     * @throws Diverged when a loss or, after the epoch, a parameter is NaN or infinite
     */
    public EpochStats trainEpoch(Dataset train, int epoch, int totalEpochs) {
        dev.aimc.util.Check.range("epoch", epoch, 1, Math.max(1, totalEpochs));
        int e0 = epoch - 1; // the seeds below keep their 0-based derivation (bit-identical resumes of old checkpoints)
        int n = train.size();
        int b = config.batch;
        int steps = n / b; // drop the last partial batch (constant batch-norm statistics and step count)
        if (steps == 0) {
            steps = 1;
            b = n;
        }
        long totalSteps = (long) steps * totalEpochs;
        int[] perm = Rng.permutation(n, new Random(Rng.derive(config.seed, 2L * e0)));
        Rng.seed(Rng.derive(config.seed, 2L * e0 + 1));
        dev.aimc.nn.hwa.HardwareAware.setNoiseStreams(model, RandomStream.of(Rng.derive(config.seed, 2L * e0 + 1)));
        Augmenter aug = config.augmenter(Rng.derive(config.seed, 1_000_000L + e0));
        ProgressMeter pb = config.progress
                ? ProgressMeter.start(String.format("epoch %d/%d", epoch, totalEpochs), steps, "steps", true)
                : null;
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correctSum = 0;
        double lr = 0;
        try (NDManager epochM = manager.newSubManager()) {
            NDArray lossAcc = epochM.zeros(new ai.djl.ndarray.types.Shape());
            NDArray correctAcc = epochM.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.INT64);
            int[] idx = new int[b];
            for (int s = 0; s < steps; s++) {
                System.arraycopy(perm, s * b, idx, 0, b);
                lr = schedule.lr((long) e0 * steps + s, totalSteps);
                try (NDManager batch = manager.newSubManager()) {
                    NDArray[] xy = train.batch(batch, idx, aug);
                    NDArray logits;
                    NDArray loss;
                    try (Gradients gc = Gradients.record()) {
                        logits = model.forward(xy[0], true);
                        loss = Loss.softmaxCrossEntropy(logits, xy[1], config.labelSmoothing);
                        if (config.lipschitzBeta > 0) {
                            // β torch-owned (weightedPenalty): a mul(Number) operand is freed Java memory by backward
                            loss = loss.add(dev.aimc.robust.LipschitzRegularizer.weightedPenalty(model,
                                    config.lipschitzLambda, config.lipschitzBeta, batch));
                        }
                        gc.backward(loss);
                    }
                    optimizer.step(params, lr, batch);
                    for (Consumer<Module> c : afterStep) {
                        c.accept(model);
                    }
                    boolean grad = JniUtils.isGradMode();
                    JniUtils.setGradMode(false);
                    lossAcc.addi(loss.mul(b));
                    correctAcc.addi(Loss.correct(logits, xy[1]));
                    JniUtils.setGradMode(grad);
                }
                if ((s + 1) % READ_EVERY == 0 || s == steps - 1) {
                    double seen = (double) (s + 1) * b;
                    float running = lossAcc.getFloat();
                    if (!Float.isFinite(running)) {
                        throw new Diverged(epoch, String.format(java.util.Locale.ROOT, "training diverged in epoch"
                                + " %d/%d: loss %s by step %d of %d (lr %.4g); try a lower --lr", epoch, totalEpochs,
                                running, s + 1, steps, lr));
                    }
                    if (pb != null) {
                        double el = (System.nanoTime() - t0) / 1e9;
                        pb.message(String.format("loss %.4f acc %.2f%% %.0f img/s lr %.3g",
                                running / seen, 100.0 * correctAcc.getLong() / seen, seen / el, lr));
                    }
                }
                if (pb != null) {
                    pb.step();
                }
            }
            lossSum = lossAcc.getFloat();
            correctSum = correctAcc.getLong();
            String bad = nonFiniteParameter();
            if (bad != null) {
                throw new Diverged(epoch, String.format(java.util.Locale.ROOT, "training diverged in epoch %d/%d:"
                        + " parameter %s holds NaN or infinite values (lr %.4g); try a lower --lr", epoch,
                        totalEpochs, bad, lr));
            }
        } finally {
            if (pb != null) {
                pb.close();
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double seen = (double) steps * b;
        return new EpochStats(lossSum / seen, correctSum / seen, sec, seen / sec, lr);
    }

    /** The dotted path of the first parameter holding a NaN or an infinity, or null (read once per epoch). */
    private String nonFiniteParameter() {
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            for (float v : p.getValue().toFloatArray()) {
                if (!Float.isFinite(v)) {
                    return p.getKey();
                }
            }
        }
        return null;
    }
}
