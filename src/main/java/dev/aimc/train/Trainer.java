package dev.aimc.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.aimc.data.Augmenter;
import dev.aimc.data.Dataset;
import dev.aimc.nn.Module;
import dev.aimc.util.ProgressMeter;
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
 * <p>Determinism: epoch {@code e} (0-based) shuffles with {@code Rng.derive(seed, 2e)}, seeds the engine RNG
 * with {@code Rng.derive(seed, 2e + 1)} and the augmenter with {@code Rng.derive(seed, 1_000_000 + e)}, so a
 * run resumed at an epoch boundary continues exactly like an uninterrupted one.
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

    /** A trainer for {@code model} whose parameters live in {@code manager}. */
    public Trainer(Module model, NDManager manager, Optimizer optimizer, TrainConfig config) {
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer;
        this.config = config;
        this.schedule = config.newSchedule();
        this.params = model.namedParameters();
    }

    /** Callbacks run after every optimizer step, with gradient recording off (mutable list). */
    public List<Consumer<Module>> afterStepCallbacks() {
        return afterStep;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Module model() {
        return model;
    }

    /** Result of one training epoch. */
    public record EpochStats(double loss, double accuracy, double seconds, double imagesPerSecond, double lastLr) {}

    /** Trains one epoch (0-based index {@code epoch} of {@code totalEpochs}) over {@code train}. */
    public EpochStats trainEpoch(Dataset train, int epoch, int totalEpochs) {
        int n = train.size();
        int b = config.batch;
        int steps = n / b; // drop the last partial batch (constant batch-norm statistics and step count)
        if (steps == 0) {
            steps = 1;
            b = n;
        }
        long totalSteps = (long) steps * totalEpochs;
        int[] perm = permutation(n, new Random(Rng.derive(config.seed, 2L * epoch)));
        Rng.seed(Rng.derive(config.seed, 2L * epoch + 1));
        Augmenter aug = config.augmenter(Rng.derive(config.seed, 1_000_000L + epoch));
        ProgressMeter pb = config.progress
                ? ProgressMeter.start(String.format("epoch %d/%d", epoch + 1, totalEpochs), steps, "steps", true)
                : null;
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correctSum = 0;
        double lr = 0;
        Engine engine = Engine.getInstance();
        try (NDManager epochM = manager.newSubManager()) {
            NDArray lossAcc = epochM.zeros(new ai.djl.ndarray.types.Shape());
            NDArray correctAcc = epochM.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.INT64);
            int[] idx = new int[b];
            for (int s = 0; s < steps; s++) {
                System.arraycopy(perm, s * b, idx, 0, b);
                lr = schedule.lr((long) epoch * steps + s, totalSteps);
                try (NDManager batch = manager.newSubManager()) {
                    NDArray[] xy = train.batch(batch, idx, aug);
                    NDArray logits;
                    NDArray loss;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        logits = model.forward(xy[0], true);
                        loss = Loss.softmaxCrossEntropy(logits, xy[1], config.labelSmoothing);
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
                if (pb != null) {
                    pb.step();
                    if ((s + 1) % READ_EVERY == 0 || s == steps - 1) {
                        double seen = (double) (s + 1) * b;
                        double el = (System.nanoTime() - t0) / 1e9;
                        pb.message(String.format("loss %.4f acc %.2f%% %.0f img/s lr %.3g",
                                lossAcc.getFloat() / seen, 100.0 * correctAcc.getLong() / seen, seen / el, lr));
                    }
                }
            }
            lossSum = lossAcc.getFloat();
            correctSum = correctAcc.getLong();
        } finally {
            if (pb != null) {
                pb.close();
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double seen = (double) steps * b;
        return new EpochStats(lossSum / seen, correctSum / seen, sec, seen / sec, lr);
    }

    /** Test accuracy of {@code model} on {@code test} in inference mode (no gradient recording). */
    public static double evaluate(Module model, NDManager manager, Dataset test, int batchSize) {
        return evaluate(model, manager, test, batchSize, test.size());
    }

    /** Test accuracy of {@code model} on the first {@code n} samples of {@code test}, in inference mode. */
    public static double evaluate(Module model, NDManager manager, Dataset test, int batchSize, int n) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager evalM = manager.newSubManager()) {
            NDArray correct = evalM.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.INT64);
            for (int start = 0; start < n; start += batchSize) {
                int len = Math.min(batchSize, n - start);
                int[] idx = new int[len];
                for (int i = 0; i < len; i++) {
                    idx[i] = start + i;
                }
                try (NDManager batch = manager.newSubManager()) {
                    NDArray[] xy = test.batch(batch, idx);
                    correct.addi(Loss.correct(model.forward(xy[0], false), xy[1]));
                }
            }
            return n == 0 ? 0 : correct.getLong() / (double) n;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
