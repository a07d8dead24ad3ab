package dev.aimc.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.train.Gradients;
import dev.aimc.train.Loss;
import dev.aimc.train.Optimizer;
import dev.aimc.util.Check;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Trains {@link ErrorCompensation} layers with the backbone frozen and a fresh chip (variation draw) per batch, so
 * they learn the error statistics of the hardware rather than one chip (CorrectNet's compensation training; the
 * surrogate forward is ours).
 *
 * <p>Each step programs a new chip of the backbone on the hardware {@code hw} (chip seed
 * {@code Rng.derive(Rng.derive(seed, 1 + epoch), step)}), reads the weight matrix every layer's tiles realize
 * (cell quantization, bit slicing and log-normal variation included, {@link AnalogMatrix#reconstructWeight}) into
 * the digital layers, and runs the digital network in inference mode (batch norm on its running statistics) with
 * the compensation installed; softmax cross-entropy, backward, Adam on the compensation parameters only. The DAC,
 * ADC and ADC noise are not in this surrogate forward (they are in every evaluation). The backbone's weights are
 * restored afterwards, so the network is left exactly as it was. Shuffling: epoch e uses
 * {@code Random(Rng.derive(seed, 1_000 + e))}.
 */
public final class CompensationTrainer {
    private CompensationTrainer() {}

    /**
     * Training settings.
     *
     * @param epochs passes over the training samples, ≥ 1
     * @param batch samples per step, ≥ 1
     * @param lr Adam learning rate, &gt; 0
     * @param seed seed of the chips and of the shuffling
     * @param limit use the first {@code limit} training samples (0: all)
     *
     * @serial exclude
     */
    public record Settings(int epochs, int batch, double lr, long seed, int limit)
            implements java.io.Serializable {
        /**
         * Validates (options --comp-epochs, --comp-batch, --comp-lr, --comp-train-limit).
         *
         * @param epochs passes over the training samples, ≥ 1
         * @param batch samples per step, ≥ 1
         * @param lr Adam learning rate, &gt; 0
         * @param seed seed of the chips and of the shuffling
         * @param limit use the first {@code limit} training samples (0: all)
         */
        public Settings {
            Check.range("--comp-epochs", epochs, 1, 100_000);
            Check.range("--comp-batch", batch, 1, 1 << 20);
            Check.positive("--comp-lr", lr);
            Check.range("--comp-train-limit", limit, 0, Integer.MAX_VALUE);
        }
    }

    /**
     * Trains {@code comp} on {@code net} under the hardware {@code hw}.
     *
     * @param net the trained digital network (left unchanged)
     * @param hw the hardware and variation level the compensation learns
     * @param comp the compensation (its parameters are trained; not installed on return)
     * @param train training samples
     * @param s the settings
     * @param log receives one line per epoch, or null
     * @return the mean training loss of the last epoch
     */
    public static double train(Module net, RramVariation hw, ErrorCompensation comp, Dataset train, Settings s,
            java.util.function.Consumer<String> log) {
        int n = s.limit() > 0 ? Math.min(s.limit(), train.size()) : train.size();
        int b = Math.min(s.batch(), n);
        int steps = n / b;
        Map<String, NDArray> params = comp.parameters();
        double last = Double.NaN;
        try (AnalogNetwork an = hw.convert(net); NDManager m = NDManager.newBaseManager()) {
            an.restoreDigital();
            Map<String, NDArray> weights = new LinkedHashMap<>();
            Map<String, float[]> saved = new LinkedHashMap<>();
            an.analogLayers().forEach((p, l) -> {
                NDArray w = LipschitzRegularizer.weights(l.digital()).get("");
                weights.put(p, w);
                saved.put(p, w.toFloatArray());
            });
            Optimizer opt = new Optimizer.Adam(m, 0.9, 0.999, 1e-8, 0);
                comp.install(net);
            try {
                for (int e = 0; e < s.epochs(); e++) {
                    int[] perm = Rng.permutation(n, new Random(Rng.derive(s.seed(), 1_000L + e)));
                    long epochSeed = Rng.derive(s.seed(), 1L + e);
                    double sum = 0;
                    for (int step = 0; step < steps; step++) {
                        int[] idx = java.util.Arrays.copyOfRange(perm, step * b, step * b + b);
                        try (NDManager bm = m.newSubManager()) {
                            an.program(Rng.derive(epochSeed, step));
                            an.driftTo(0);
                            setRealizedWeights(an, weights, bm);
                            NDArray[] xy = train.batch(bm, idx);
                            NDArray loss;
                            try (Gradients gc = Gradients.record()) {
                                loss = Loss.softmaxCrossEntropy(net.forward(xy[0], false), xy[1], 0);
                                gc.backward(loss);
                            }
                            opt.step(params, s.lr(), bm);
                            sum += loss.getFloat();
                        }
                    }
                    last = sum / Math.max(1, steps);
                    if (log != null) {
                        log.accept(String.format(java.util.Locale.ROOT, "compensation epoch %d/%d: train loss %.4f"
                                + " (%d chips)", e + 1, s.epochs(), last, steps));
                    }
                }
            } finally {
                comp.uninstall(net);
                boolean grad = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                saved.forEach((p, v) -> InPlace.assign(weights.get(p), v));
                JniUtils.setGradMode(grad);
            }
        }
        return last;
    }

    /** Writes the weights the programmed tiles realize into the digital layers' weight arrays. */
    private static void setRealizedWeights(AnalogNetwork an, Map<String, NDArray> weights, NDManager bm) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Map.Entry<String, AnalogLayer> e : an.analogLayers().entrySet()) {
                AnalogMatrix mx = e.getValue().matrix();
                NDArray w = weights.get(e.getKey());
                NDArray real = mx.reconstructWeight(mx.readEffective(bm)).reshape(w.getShape());
                real.attach(bm);
                InPlace.assign(w, real);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
