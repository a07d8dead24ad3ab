package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.InPlace;

/**
 * A layer trained hardware-aware: {@link HwaLinear} or {@link HwaConv2d}. Its training forward applies
 * DAC → noisy weights → product → output noise/ADC → learned output scale → digital bias; its inference
 * forward is the plain digital layer (times the learned output scale, if any: call {@link #foldOutScale()}
 * before handing the network to the analog simulator so that the scale lives in the weights).
 */
public interface HwaLayer {

    /** The settings the layer was built with. */
    HwaConfig config();

    /** The weight noise of the training forward. */
    WeightNoise noise();

    /** The clean weight parameter ("weight"). */
    NDArray weight();

    /** The learned per-output scale ("outScale", shape [out]), or null when not configured. */
    NDArray outScale();

    /** The digital bias ("bias", shape [out]), or null. */
    NDArray bias();

    /**
     * The pipeline shared by the twins: DAC (training) → noisy weights (training) → {@code product} →
     * output noise/ADC (training) → learned output scale → digital bias. Per-output arrays ([out]) are reshaped to
     * {@code perOutput} to broadcast over the product. Every array it makes is attached to {@code x.getManager()}.
     *
     * @param dacAxes the axes of x over which the ABS_MAX input scale α is taken (one α per remaining index)
     */
    default NDArray hwaForward(NDArray x, boolean training, int[] dacAxes, Shape perOutput,
            java.util.function.BinaryOperator<NDArray> product) {
        NDManager m = x.getManager();
        HwaConfig cfg = config();
        NDArray xq = training ? Quantizer.dac(x, cfg, dacAxes) : x;
        NDArray w = training ? noise().apply(weight(), m) : weight();
        NDArray y = Nd.in(m, product.apply(xq, w));
        if (xq != x) {
            xq.close();
        }
        if (w != weight()) {
            w.close();
        }
        NDArray h = training ? Quantizer.adc(y, cfg) : y;
        if (h != y) {
            y.close();
        }
        for (NDArray perOut : new NDArray[] {outScale(), bias()}) {
            if (perOut == null) {
                continue;
            }
            NDArray c = Nd.in(m, perOut.reshape(perOutput));
            NDArray next = Nd.in(m, perOut == outScale() ? h.mul(c) : h.add(c));
            c.close();
            h.close();
            h = next;
        }
        return h;
    }

    /**
     * Folds the learned output scale into the weights (row/out-channel o multiplied by s_o) and resets the
     * scale to 1, in place and without recording gradients; the digital function is unchanged. No-op without
     * a learned scale.
     */
    default void foldOutScale() {
        NDArray s = outScale();
        if (s == null) {
            return;
        }
        NDArray w = weight();
        try (NDManager tmp = w.getManager().newSubManager()) {
            NDArray wc = Nd.constant(w, tmp);
            long[] dims = new long[w.getShape().dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = w.getShape().get(0);
            NDArray sc = Nd.constant(s, tmp).reshape(new Shape(dims));
            InPlace.assign(w, wc.mul(sc));
            InPlace.assign(s, tmp.ones(s.getShape()));
        }
    }
}
