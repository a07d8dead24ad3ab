package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.Sequential;
import dev.aimc.nn.Module;
import dev.aimc.nn.hwa.HardwareAware;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.nn.uniform.CellLevels;
import dev.aimc.nn.uniform.ConverterDesign;
import dev.aimc.nn.uniform.UniformTraining;
import dev.aimc.robust.CompensationTrainer;
import dev.aimc.robust.ErrorCompensation;
import dev.aimc.robust.RramVariation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Training is bit for bit the same whether or not the garbage collector runs between a forward pass and its backward
 * pass. An array made from Java memory ({@code create(float[])}, and the scalar operand DJL makes and closes at once
 * for {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)}, {@code minimum(Number)})
 * wraps a direct buffer (torch from_blob) that only the Java array keeps alive; an autograd op that saves such an
 * operand for the backward pass reads freed, reused memory once the array is closed or dropped and a collection frees
 * the buffer (TileSigns.project's bounds; the Lipschitz penalty's β in {@link Trainer}).
 *
 * <p>Each training case runs a few seeded steps twice, once as usual and once under stress, and compares every trained
 * array bit for bit. The stress: a daemon thread calls {@link System#gc()} every millisecond and allocates and drops
 * direct buffers, and, because a thread's allocations reuse only what was freed in its own malloc arena, the network
 * ends in a {@link Churn} module that, on the training thread between the forward and the backward pass, collects,
 * waits for the cleaners and fills new direct buffers of the sizes such operands have (4 bytes to 64 KiB) with a
 * pattern no training computes. That catches an operand of any layer's forward (TileSigns.project without its fix: the
 * one-signed case fails); the loss and the Lipschitz term come after the forward, so β has its own check.
 */
class GcStressDeterminismTest {
    /** Sizes of the direct buffers the stress thread allocates: scalars, small bounds, tile-sized arrays. */
    private static final int[] SIZES = {4, 8, 16, 32, 64, 128, 256, 1024, 4096, 8192, 16384, 65536};
    private static final Dataset MNIST = DataSets.embeddedMnist(Split.TRAIN);

    /**
     * Identity at the end of a network that, while on and gradients are recorded, collects garbage, waits until the
     * cleaners ran and fills fresh direct buffers on the calling (training) thread: freed Java-owned operands of the
     * forward pass are reused with {@code 0x71} bytes (about 1.2e30 as a float) before the backward pass reads them.
     */
    static final class Churn extends Module {
        private final List<ByteBuffer> held = new ArrayList<>();
        private boolean on;
        private int runs;

        @Override
        public NDArray forward(NDArray x, boolean training) {
            if (on && ai.djl.pytorch.jni.JniUtils.isGradMode()) {
                churn(held);
                runs++;
            }
            return x.reshape(x.getShape()); // a new handle (Sequential closes the previous output), same values
        }

        /** Collects, waits for the cleaners, then allocates and fills direct buffers, kept in {@code held}. */
        static void churn(List<ByteBuffer> held) {
            for (int round = 0; round < 2; round++) {
                CountDownLatch cleaned = new CountDownLatch(1);
                CLEANER.register(new Object(), cleaned::countDown); // unreachable at once: cleaned after this gc
                System.gc();
                try {
                    cleaned.await(1, TimeUnit.SECONDS);
                    Thread.sleep(1); // the reference handler frees direct buffers beside the cleaner thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int size : SIZES) {
                    for (int k = 0; k < 2; k++) {
                        held.add(filled(size));
                    }
                }
            }
        }

        /** Turns the churn on or off; off frees what it held (at a later collection). */
        void set(boolean on) {
            this.on = on;
            held.clear();
        }
    }

    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private static ByteBuffer filled(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        while (b.hasRemaining()) {
            b.put((byte) 0x71);
        }
        return b;
    }

    /** The first {@code n} training images. */
    private static Dataset images(int n) {
        return MNIST.subset("gc-stress", IntStream.range(0, n).toArray());
    }

    private static TrainConfig config(String model) {
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.dataset = "mnist-subset";
        c.epochs = 1;
        c.batch = 32;
        c.optimizer = "sgd";
        c.lr = 0.05;
        c.seed = 11;
        c.threads = 1;
        c.progress = false;
        return c;
    }

    /** Copies of the arrays' values. */
    private static Map<String, float[]> values(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Trains {@code net} for one epoch over {@code train} (3 steps of 32) and returns its parameters. */
    private static Map<String, float[]> trainEpoch(Module net, NDManager m, TrainConfig c, Dataset train,
            java.util.function.Consumer<Module> afterStep) {
        Trainer t = new Trainer(net, m, c.newOptimizer(m), c);
        if (afterStep != null) {
            t.afterStepCallbacks().add(afterStep);
        }
        t.trainEpoch(train, 1, 1);
        return values(net.namedParameters());
    }

    /**
     * Runs {@code body} once as usual and once under garbage-collection stress (the background thread, and
     * {@code churn}, which the body puts at the end of its network, on), and asserts that both give the same arrays
     * bit for bit.
     */
    private static void sameUnderGcStress(String what, Churn churn, Supplier<Map<String, float[]>> body) {
        churn.set(false);
        Map<String, float[]> plain = body.get();
        churn.set(true);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger collections = new AtomicInteger();
        Thread stress = new Thread(() -> {
            List<ByteBuffer> held = new ArrayList<>();
            while (!stop.get()) {
                System.gc(); // frees the direct buffers of closed or unreachable arrays (their cleaners run)
                collections.incrementAndGet();
                for (int size : SIZES) { // reuse what was freed (in this thread's arena) with a pattern
                    held.add(filled(size));
                }
                if (held.size() > 4 * SIZES.length) {
                    held.clear(); // dropped: freed by a later collection, then reused in turn
                }
                LockSupport.parkNanos(1_000_000);
            }
        }, "gc-stress");
        stress.setDaemon(true);
        stress.start();
        Map<String, float[]> stressed;
        try {
            stressed = body.get();
        } finally {
            stop.set(true);
            churn.set(false);
            try {
                stress.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertTrue(collections.get() >= 3, what + ": only " + collections.get() + " collections during the run");
        assertTrue(churn.runs >= 2, what + ": the churn ran " + churn.runs + " times (not at the network's end?)");
        assertEquals(plain.keySet(), stressed.keySet(), what);
        plain.forEach((k, v) -> assertArrayEquals(v, stressed.get(k), what + ": " + k + " changed under GC stress ("
                + collections.get() + " collections)"));
    }

    /** LeNet-5 (MNIST) with {@code churn} appended (an identity: the same parameters, paths and function). */
    private static Module lenet(NDManager m, Churn churn) {
        Sequential net = (Sequential) Models.create("lenet5-mnist", m, 1);
        net.add(churn);
        return net;
    }

    @Test
    void plainLenetTraining() {
        Dataset train = images(96);
        Churn churn = new Churn();
        sameUnderGcStress("LeNet-5", churn, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return trainEpoch(lenet(m, churn), m, config("lenet5-mnist"), train, null);
            }
        });
    }

    /** Additive weight noise, ±2.5 σ clipping after each step, 6-bit DAC, 6-bit ADC with output noise. */
    @Test
    void hardwareAwareTrainingWithNoiseClippingAndConverters() {
        Dataset train = images(96);
        HwaConfig cfg = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.ADDITIVE, 0.05)
                .withClip(HwaConfig.ClipMode.SIGMA, 2.5).withDac(6, 1).withAdc(6, 12).withOutputNoise(0.02);
        Churn churn = new Churn();
        sameUnderGcStress("hardware-aware LeNet-5", churn, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                HardwareAware.Conversion c = HardwareAware.convert(lenet(m, churn), cfg, Set.of());
                return trainEpoch(c.net(), m, config("lenet5-mnist"), train, c.clipHook());
            }
        });
    }

    /**
     * Quantization-aware training as the arch-search proxy does it (ProxyTraining.score's second stage, on LeNet-5
     * rather than a search graph so that the churn can end the network): uniform scaling with 2-bit bipolar cells,
     * 8-bit DAC and ADC, the layers 0 (+), 3 (−) and 9 (+) on one-signed tiles (TileSigns.project; one 512 × 512
     * tile each), weights clipped after each step.
     */
    @Test
    void uniformScalingWithOneSignedTiles() {
        Dataset train = images(96);
        Churn churn = new Churn();
        sameUnderGcStress("uniform one-signed LeNet-5", churn, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = lenet(m, churn);
                UniformTraining.Options o = new UniformTraining.Options(ConverterDesign.UNIFORM, 2,
                        CellLevels.Polarity.BIPOLAR, 8, 8, null, null, null, 0, Map.of("0", "+", "3", "-", "9", "+"));
                UniformTraining.Conversion conv;
                try (NDManager cal = m.newSubManager()) {
                    conv = UniformTraining.prepare(net, o, null, train.batch(cal, IntStream.range(0, 64).toArray())[0]);
                }
                return trainEpoch(conv.net(), m, config("lenet5-mnist"), train, conv.clipHook());
            }
        });
    }

    @Test
    void lipschitzRegularizedTraining() {
        Dataset train = images(96);
        Churn churn = new Churn();
        sameUnderGcStress("Lipschitz-regularized LeNet-5", churn, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                TrainConfig c = config("lenet5-mnist");
                c.lipschitzBeta = 0.05;
                return trainEpoch(lenet(m, churn), m, c, train, null);
            }
        });
    }

    /**
     * The trainer's Lipschitz term β·R after the forward pass: its gradient survives a collection and reuse of freed
     * direct memory before the backward pass (with β as {@code mul(Number)}, a Java-owned scalar closed at once, the
     * gradient was scaled by the reused memory).
     */
    @Test
    void lipschitzTermsGradientSurvivesGarbageCollection() {
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (boolean stress : new boolean[] {false, true}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = Models.create("lenet5-mnist", m, 1);
                List<ByteBuffer> held = new ArrayList<>();
                try (NDManager b = m.newSubManager(); Gradients g = Gradients.record()) {
                    NDArray term = dev.aimc.robust.LipschitzRegularizer.weightedPenalty(net, 1, 0.05, b);
                    if (stress) {
                        Churn.churn(held);
                    }
                    g.backward(term);
                }
                net.namedParameters().forEach((k, w) -> {
                    float[] gr = w.getGradient().toFloatArray();
                    float[] want = grads.putIfAbsent(k, gr);
                    if (want != null) {
                        assertArrayEquals(want, gr, k + ": gradient of β·R changed by a garbage collection");
                    }
                });
            }
        }
        assertTrue(grads.get("7.weight").length > 0);
    }

    /** Two steps of compensation training on two programmed chips (ErrorCompensationTest's settings). */
    @Test
    void compensationTraining() {
        Dataset train = images(160);
        CompensationTrainer.Settings s = new CompensationTrainer.Settings(1, 64, 0.01, 21, 128);
        Churn churn = new Churn();
        sameUnderGcStress("compensation", churn, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = lenet(m, churn);
                try (ErrorCompensation c = ErrorCompensation.create(net, List.of("3", "9"), 4, 3, m)) {
                    CompensationTrainer.train(net, RramVariation.of(0.5, 2, 9), c, train, s, null);
                    return values(c.parameters());
                }
            }
        });
    }
}
