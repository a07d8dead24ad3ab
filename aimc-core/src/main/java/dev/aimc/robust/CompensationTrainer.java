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
 *
 * <p>Selection on held-out samples (ours; {@link Settings#valSamples()} &gt; 0): the last {@code valSamples} training
 * samples are kept out of the compensation's training, and its accuracy on them, in the same surrogate forward over
 * {@link Settings#valChips()} fixed validation chips (seeds {@code Rng.derive(Rng.derive(seed, -1), k)}, a stream
 * of their own), is measured before training (the zero-initialized compensation, which leaves the network's outputs
 * unchanged) and after every epoch; the best state is kept (the earlier on a tie). A compensation trained where the
 * chips carry little information can lower the accuracy (its cross-entropy falls by collapsing towards one class);
 * selection keeps the identity then. Without it the last epoch is kept.
 *
 * <p>One chip ({@link #trainOnChip}; ours, a diagnostic, not CorrectNet's method): every step and every validation
 * programs the same chip, so the compensation learns that chip's errors, a calibration of one chip after it is
 * programmed. Evaluated on that chip, it bounds what a correction of this structure can restore once the
 * chip-to-chip spread is out of the question.
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
     * @param valSamples hold out the last N training samples and keep the state (zero initialization or an epoch)
     *     most accurate on them; 0: no selection, keep the last epoch
     * @param valChips validation chips of the selection, ≥ 1
     *
     * @serial exclude
     */
    public record Settings(int epochs, int batch, double lr, long seed, int limit, int valSamples, int valChips)
            implements java.io.Serializable {
        /**
         * Validates (options --comp-epochs, --comp-batch, --comp-lr, --comp-train-limit, --comp-val-limit,
         * --comp-val-chips).
         *
         * @param epochs passes over the training samples, ≥ 1
         * @param batch samples per step, ≥ 1
         * @param lr Adam learning rate, &gt; 0
         * @param seed seed of the chips and of the shuffling
         * @param limit use the first {@code limit} training samples (0: all)
         * @param valSamples held-out samples of the selection (0: none)
         * @param valChips validation chips of the selection
         */
        public Settings {
            Check.range("--comp-epochs", epochs, 1, 100_000);
            Check.range("--comp-batch", batch, 1, 1 << 20);
            Check.positive("--comp-lr", lr);
            Check.range("--comp-train-limit", limit, 0, Integer.MAX_VALUE);
            Check.range("--comp-val-limit", valSamples, 0, Integer.MAX_VALUE);
            Check.range("--comp-val-chips", valChips, 1, 1_000_000);
        }

        /**
         * Settings without selection (the last epoch is kept).
         *
         * @param epochs passes over the training samples, ≥ 1
         * @param batch samples per step, ≥ 1
         * @param lr Adam learning rate, &gt; 0
         * @param seed seed of the chips and of the shuffling
         * @param limit use the first {@code limit} training samples (0: all)
         */
        public Settings(int epochs, int batch, double lr, long seed, int limit) {
            this(epochs, batch, lr, seed, limit, 0, 1);
        }
    }

    /**
     * What a training did.
     *
     * @param lastLoss mean training loss of the last epoch
     * @param keptEpoch the state kept: 0 = the zero initialization, e = after epoch e (the last epoch without
     *     selection)
     * @param validationAccuracy accuracy of each state on the held-out samples, index 0 the zero initialization
     *     (empty without selection)
     *
     * @serial exclude
     */
    public record Result(double lastLoss, int keptEpoch, double[] validationAccuracy)
            implements java.io.Serializable {
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
     * @return the last epoch's loss, the state kept and the validation accuracies
     */
    public static Result train(Module net, RramVariation hw, ErrorCompensation comp, Dataset train, Settings s,
            java.util.function.Consumer<String> log) {
        long vs = Rng.derive(s.seed(), -1);
        return train(net, hw, comp, train, s, (e, step) -> Rng.derive(Rng.derive(s.seed(), 1L + e), step),
                k -> Rng.derive(vs, k), log);
    }

    /**
     * Trains {@code comp} on {@code net} on one chip: every training step and every validation chip is the chip of
     * seed {@code chipSeed} ({@code AnalogNetwork.program(chipSeed)}); shuffling and selection as {@link #train}.
     *
     * @param net the trained digital network (left unchanged)
     * @param hw the hardware and variation level
     * @param comp the compensation (its parameters are trained; not installed on return)
     * @param train training samples
     * @param s the settings ({@link Settings#valChips()} evaluations of the same chip when selecting)
     * @param chipSeed the chip's seed, e.g. {@link ChipMonteCarlo#chipSeed}
     * @param log receives one line per epoch, or null
     * @return the last epoch's loss, the state kept and the validation accuracies
     */
    public static Result trainOnChip(Module net, RramVariation hw, ErrorCompensation comp, Dataset train, Settings s,
            long chipSeed, java.util.function.Consumer<String> log) {
        return train(net, hw, comp, train, s, (e, step) -> chipSeed, k -> chipSeed, log);
    }

    /**
     * The training loop: step {@code step} of epoch {@code e} programs chip {@code stepChip(e, step)}, validation chip
     * k is {@code valChip(k)}.
     */
    private static Result train(Module net, RramVariation hw, ErrorCompensation comp, Dataset train, Settings s,
            java.util.function.LongBinaryOperator stepChip, java.util.function.LongUnaryOperator valChip,
            java.util.function.Consumer<String> log) {
        int pool = train.size() - s.valSamples();
        Check.that(pool >= 1, "--comp-val-limit", "must leave training samples (the training split has "
                + train.size() + ")", s.valSamples());
        int n = s.limit() > 0 ? Math.min(s.limit(), pool) : pool;
        int[] valIdx = java.util.stream.IntStream.range(pool, train.size()).toArray();
        double[] valAcc = new double[s.valSamples() > 0 ? s.epochs() + 1 : 0];
        int kept = s.epochs();
        Map<String, float[]> best = null;
        int b = Math.min(s.batch(), n);
        int steps = n / b;
        Map<String, NDArray> params = comp.parameters();
        double last = Double.NaN;
        try (AnalogNetwork an = hw.convert(net); NDManager m = NDManager.newBaseManager()) {
            an.restoreDigital();
            Map<String, NDArray> weights = new LinkedHashMap<>();
            an.analogLayers().forEach((p, l) -> weights.put(p, LipschitzRegularizer.weights(l.digital()).get("")));
            Map<String, float[]> saved = snapshot(weights); // the backbone's trained weights, restored at the end
            Optimizer opt = new Optimizer.Adam(m, 0.9, 0.999, 1e-8, 0);
            comp.install(net);
            try {
                if (valAcc.length > 0) {
                    valAcc[0] = validationAccuracy(an, net, weights, train, valIdx, s, valChip, m);
                    best = snapshot(params);
                    kept = 0;
                }
                for (int e = 0; e < s.epochs(); e++) {
                    int[] perm = Rng.permutation(n, new Random(Rng.derive(s.seed(), 1_000L + e)));
                    double sum = 0;
                    for (int step = 0; step < steps; step++) {
                        int[] idx = java.util.Arrays.copyOfRange(perm, step * b, step * b + b);
                        try (NDManager bm = m.newSubManager()) {
                            an.program(stepChip.applyAsLong(e, step));
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
                    String val = "";
                    if (valAcc.length > 0) {
                        valAcc[e + 1] = validationAccuracy(an, net, weights, train, valIdx, s, valChip, m);
                        if (valAcc[e + 1] > valAcc[kept]) {
                            best = snapshot(params);
                            kept = e + 1;
                        }
                        val = String.format(java.util.Locale.ROOT, ", validation %.2f %% (without %.2f %%)",
                                100 * valAcc[e + 1], 100 * valAcc[0]);
                    }
                    if (log != null) {
                        log.accept(String.format(java.util.Locale.ROOT, "compensation epoch %d/%d: train loss %.4f"
                                + " (%d chips)%s", e + 1, s.epochs(), last, steps, val));
                    }
                }
                if (best != null) {
                    restore(params, best);
                    if (log != null) {
                        log.accept(kept == 0 ? "compensation kept at its zero initialization (no epoch beat it on "
                                + "the held-out samples)" : "compensation kept after epoch " + kept);
                    }
                }
            } finally {
                comp.uninstall(net);
                restore(weights, saved);
            }
        }
        return new Result(last, kept, valAcc);
    }

    /**
     * Accuracy of the network with the compensation installed, in the training's surrogate forward, on the held-out
     * samples over the validation chips.
     */
    private static double validationAccuracy(AnalogNetwork an, Module net, Map<String, NDArray> weights,
            Dataset train, int[] valIdx, Settings s, java.util.function.LongUnaryOperator valChip, NDManager m) {
        long correct = 0;
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int k = 0; k < s.valChips(); k++) {
                try (NDManager cm = m.newSubManager()) {
                    an.program(valChip.applyAsLong(k));
                    an.driftTo(0);
                    setRealizedWeights(an, weights, cm);
                    for (int i = 0; i < valIdx.length; i += 500) {
                        try (NDManager bm = cm.newSubManager()) {
                            int[] idx = java.util.Arrays.copyOfRange(valIdx, i, Math.min(valIdx.length, i + 500));
                            NDArray[] xy = train.batch(bm, idx);
                            correct += Loss.correct(net.forward(xy[0], false), xy[1]).getLong();
                        }
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return (double) correct / ((long) valIdx.length * s.valChips());
    }

    /** Copies of the arrays' values, by name. */
    private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    /** Writes {@code state} back into the arrays of the same names, outside the autograd graph. */
    private static void restore(Map<String, NDArray> params, Map<String, float[]> state) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            state.forEach((k, v) -> InPlace.assign(params.get(k), v));
        } finally {
            JniUtils.setGradMode(grad);
        }
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
