package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.Check;
import dev.aimc.util.GaussianNoise;
import dev.aimc.util.NativeKernels;

/**
 * DAC/ADC models for the training forward pass with straight-through gradients.
 *
 * <p>Level definition (the same as aihwkit's {@code inp_res = out_res = 1/(2^bits − 2)} over a normalised
 * range [−1, 1]): a converter with {@code bits} bits and range R has step Δ = 2R/(2^bits − 2) and the
 * 2^bits − 1 levels k·Δ, k = −(2^(bits−1) − 1) … 2^(bits−1) − 1, symmetric around an exact 0 with ±R the
 * outermost levels. A value is first clipped to [−R, R] (gradient 0 outside, 1 inside, as a clamp gives), then
 * rounded to the nearest level (half away from zero is not guaranteed: PyTorch rounds half to even) with a
 * straight-through gradient: q(x) = x + stopGradient(round(x/Δ)·Δ − x), whose forward value is exactly the
 * level and whose derivative is exactly 1 (one recorded op besides the clip).
 */
public final class Quantizer {
    private Quantizer() {}

    /** Smallest and largest accepted bit width (0 means "no converter"). */
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 24;

    /** Step Δ = 2R/(2^bits − 2) of a converter with {@code bits} bits and range ±R. */
    public static double step(int bits, double range) {
        Check.range("bits", bits, MIN_BITS, MAX_BITS);
        return 2.0 * range / ((1L << bits) - 2);
    }

    /**
     * Clips to [−range, range] and rounds to the converter's levels with a straight-through gradient.
     *
     * @param x values (any shape, float32), gradient recorded if {@code x} requires it
     * @param bits converter resolution, {@value #MIN_BITS} … {@value #MAX_BITS}
     * @param range R &gt; 0
     * @return quantized values attached to {@code x.getManager()}
     */
    public static NDArray quantize(NDArray x, int bits, double range) {
        Check.positive("range", range);
        NDManager m = x.getManager();
        NDArray xc = Nd.in(m, x.clip(-range, range));
        return straightThrough(xc, step(bits, range));
    }

    /**
     * xc + stopGradient(round(xc/Δ)·Δ − xc): one recorded op (the add) on top of {@code xc}, whose forward value
     * is exactly the level (q − xc is exact: q = 0 or q/xc ∈ [2/3, 2], Sterbenz) and whose derivative is 1. The
     * correction is computed on a detached view with in-place ops. Closes {@code xc}.
     */
    private static NDArray straightThrough(NDArray xc, double step) {
        NDManager m = xc.getManager();
        NDArray out;
        try (NDManager tmp = m.newSubManager()) {
            NDArray xs = Nd.constant(xc, tmp);
            NDArray r = Nd.in(tmp, xs.div((float) step));
            NDArray d = Nd.in(tmp, r.round()).muli((float) step).subi(xs); // q − xc, no gradient
            out = Nd.in(m, xc.add(d));
        }
        xc.close();
        return out;
    }

    /** True when {@code axes} are the last axes of an array of {@code dims} axes, in order. */
    private static boolean trailing(int[] axes, int dims) {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != dims - axes.length + i) {
                return false;
            }
        }
        return axes.length > 0;
    }

    /** Saturation only: clip to [−range, range] (gradient 0 outside). */
    public static NDArray saturate(NDArray x, double range) {
        return Nd.in(x.getManager(), x.clip(-range, range));
    }

    /**
     * DAC of the training forward for a Linear input: an input vector is one row (the last axis). See
     * {@link #dac(NDArray, HwaConfig, int...)}.
     */
    public static NDArray dac(NDArray x, HwaConfig cfg) {
        return dac(x, cfg, x.getShape().dimension() - 1);
    }

    /**
     * DAC of the training forward; returns {@code x} itself when dacBits is 0.
     *
     * <ul>
     *   <li>{@link HwaConfig.InputScaling#NONE}: {@link #quantize}(x, dacBits, inputRange), i.e. clip to
     *       ±inputRange in input units (gradient 0 outside) and round.
     *   <li>{@link HwaConfig.InputScaling#ABS_MAX} (the tile's default, {@code AnalogMatrix.quantizeInputs}):
     *       α = max|x| over {@code vectorAxes} (one α per input vector; no gradient; floored at
     *       {@link Float#MIN_NORMAL} as the tile does, so an all-zero vector gives 0), then
     *       y = α · quantize(x/α, dacBits, inputRange). x/α lies in [−1, 1], so with inputRange ≥ 1 nothing is
     *       clipped and dy/dx is exactly 1 everywhere (α·(1/α) in float is 1), the max-|x| element is reproduced
     *       exactly (x/α = ±1 is the outermost level for inputRange 1) and y/α lies on the tile's grid.
     * </ul>
     *
     * <p>The grid is the tile's: {@link #step}(bits, R) = 2R/(2^bits − 2) = R/(2^(bits−1) − 1) =
     * {@code TileConfig.inputStep()}, the same float32 step, division, round-half-even and multiplication.
     * The tile takes α over each row-tile's slice of the vector (its rows of a Linear input, its channels of a
     * conv input); this equals α over the whole vector when the layer fits one row-tile (in ≤ maxRows, resp.
     * in_ch·k² ≤ maxRows), and is otherwise a per-tile refinement of it.
     *
     * @param vectorAxes the axes of one input vector: {@code {last}} for Linear [B, in]; {@code {1, 2, 3}} for
     *     Conv2d [B, C, H, W] (per sample over all channels and positions, as {@code AnalogConv2d})
     */
    public static NDArray dac(NDArray x, HwaConfig cfg, int... vectorAxes) {
        if (cfg.dacBits() == 0) {
            return x;
        }
        if (cfg.inputScaling() == HwaConfig.InputScaling.NONE) {
            return quantize(x, cfg.dacBits(), cfg.inputRange());
        }
        NDManager m = x.getManager();
        if (cfg.inputRange() >= 1 && trailing(vectorAxes, x.getShape().dimension()) && NativeKernels.enabled()) {
            // the values in one native pass; y = values + (x − x): the forward value is exactly the level·α (never
            // −0, so adding +0 keeps it) and dy/dx = 1 exactly, as the recorded clip (a no-op for |x/α| ≤ 1 ≤
            // range), add and multiply give up to rounding of α·(1/α)
            try (NDManager tmp = m.newSubManager()) {
                NDArray xs = Nd.constant(x, tmp);
                long n = 1;
                for (int axis : vectorAxes) {
                    n *= x.getShape().get(axis);
                }
                NDArray v = Nd.in(tmp, NativeKernels.hwaDac(xs, n, (float) step(cfg.dacBits(), cfg.inputRange())));
                return Nd.in(m, v.add(x.sub(xs)));
            }
        }
        NDArray alpha;
        try (NDManager tmp = m.newSubManager()) {
            NDArray xs = Nd.constant(x, tmp);
            NDArray a = xs.abs();
            for (int axis : vectorAxes) { // one axis at a time: the engine reduces max over a single axis only
                a = a.max(new int[] {axis}, true);
            }
            alpha = Nd.in(m, a.maximum(Float.MIN_NORMAL)); // no gradient
        }
        NDArray u = Nd.in(m, x.div(alpha));
        NDArray q = quantize(u, cfg.dacBits(), cfg.inputRange());
        u.close();
        NDArray y = Nd.in(m, q.mul(alpha));
        q.close();
        return y;
    }

    /**
     * Output path of the training forward: additive Gaussian noise with std outputNoise·outputRange (a fresh
     * draw per element and call, no gradient), then the ADC (saturate at ±outputRange and quantize) when
     * adcBits &gt; 0. Returns {@code y} itself when neither is configured.
     */
    public static NDArray adc(NDArray y, HwaConfig cfg) {
        NDManager m = y.getManager();
        if (cfg.adcBits() > 0 && NativeKernels.enabled()) {
            // noise, clip and rounding in one native pass; y_out = values + (y − y)·mask: the forward value is
            // exactly the level (never −0) and the gradient is the clip's mask, as add, clip and add give
            try (NDManager tmp = m.newSubManager()) {
                NDArray ys = Nd.constant(y, tmp);
                float sigma = cfg.outputNoise() > 0 ? (float) (cfg.outputNoise() * cfg.outputRange()) : 0f;
                NDArray[] qm = NativeKernels.hwaAdc(ys, sigma, (float) cfg.outputRange(),
                        (float) step(cfg.adcBits(), cfg.outputRange()));
                Nd.in(tmp, qm[0]);
                Nd.in(tmp, qm[1]);
                return Nd.in(m, qm[0].add(y.sub(ys).muli(qm[1])));
            }
        }
        NDArray h = y;
        if (cfg.outputNoise() > 0) {
            try (NDManager tmp = m.newSubManager()) {
                NDArray noise = GaussianNoise.normal(tmp, (float) (cfg.outputNoise() * cfg.outputRange()),
                        y.getShape()); // N(0, σ) drawn directly (no separate scaling pass)
                h = Nd.in(m, y.add(noise));
            }
        }
        if (cfg.adcBits() > 0) {
            NDArray q = quantize(h, cfg.adcBits(), cfg.outputRange());
            if (h != y) {
                h.close();
            }
            h = q;
        }
        return h;
    }
}
