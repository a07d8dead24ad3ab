package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
        NDArray q = straightThrough(xc, step(bits, range));
        xc.close();
        return q;
    }

    /**
     * xc + stopGradient(round(xc/Δ)·Δ − xc): one recorded op (the add) on top of {@code xc}, whose forward value
     * is exactly the level (q − xc is exact: q = 0 or q/xc ∈ [2/3, 2], Sterbenz) and whose derivative is 1. The
     * correction is computed on a detached view with in-place ops. On an array without gradient it is just the
     * level. The result is in xc's manager.
     */
    private static NDArray straightThrough(NDArray xc, double step) {
        NDManager m = xc.getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDArray xs = Nd.constant(xc, tmp);
            NDArray r = Nd.in(tmp, xs.div((float) step));
            NDArray d = Nd.in(tmp, r.round()).muli((float) step).subi(xs); // q − xc, no gradient
            return Nd.in(m, xc.add(d));
        }
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
     *       v = α · quantize(x/α, dacBits, inputRange). x/α lies in [−1, 1], so with inputRange ≥ 1 nothing is
     *       clipped: the result is then x + stopGradient(v − x), one recorded add, dy/dx exactly 1 everywhere, and
     *       its value is v (v − x is exact: v = 0 or v/x ∈ [2/3, 2]); the max-|x| element is reproduced exactly
     *       (x/α = ±1 is the outermost level for inputRange 1) and y/α lies on the tile's grid.
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
        if (cfg.inputRange() >= 1) {
            // y = x + c with c = v − x computed without gradient (v the converter's value): one recorded op, dy/dx = 1
            // exactly (nothing is clipped: |x/α| ≤ 1 ≤ range); natively in one pass where the kernels are enabled
            try (NDManager tmp = m.newSubManager()) {
                NDArray xs = Nd.constant(x, tmp);
                float step = (float) step(cfg.dacBits(), cfg.inputRange());
                NDArray c = null;
                if (trailing(vectorAxes, x.getShape().dimension()) && NativeKernels.enabled()) {
                    long n = 1;
                    for (int axis : vectorAxes) {
                        n *= x.getShape().get(axis);
                    }
                    c = Nd.in(tmp, NativeKernels.hwaDac(xs, n, step));
                }
                if (c == null) {
                    NDArray alpha = absMax(xs, vectorAxes);
                    NDArray u = xs.div(alpha);
                    c = straightThrough(u, step).muli(alpha).subi(xs);
                }
                return Nd.in(m, x.add(c));
            }
        }
        NDArray alpha;
        try (NDManager tmp = m.newSubManager()) {
            alpha = Nd.in(m, absMax(Nd.constant(x, tmp), vectorAxes));
        }
        NDArray u = Nd.in(m, x.div(alpha));
        NDArray q = quantize(u, cfg.dacBits(), cfg.inputRange());
        u.close();
        NDArray y = Nd.in(m, q.mul(alpha));
        q.close();
        return y;
    }

    /** α = max(max|x| over {@code axes}, Float.MIN_NORMAL), kept as size-1 axes (x without gradient). */
    private static NDArray absMax(NDArray x, int[] axes) {
        NDArray a = x.abs();
        for (int axis : axes) { // one axis at a time: the engine reduces max over a single axis only
            a = a.max(new int[] {axis}, true);
        }
        return a.maximum(Float.MIN_NORMAL);
    }

    /**
     * Output path of the training forward: additive Gaussian noise with std outputNoise·outputRange (a fresh
     * draw per element and call, no gradient), then the ADC (saturate at ±outputRange and quantize) when
     * adcBits &gt; 0. Returns {@code y} itself when neither is configured.
     *
     * <p>With the ADC the result is y·mask + stopGradient(v − y·mask), v the converter's level and mask the
     * saturation (1 where |y + noise| ≤ outputRange): the gradient is the clip's, and the value is v up to one
     * rounding of the add (the noise makes v − y inexact in a few per cent of the elements: an ulp of v at most).
     * The multiply is left out when nothing saturates.
     */
    public static NDArray adc(NDArray y, HwaConfig cfg) {
        NDManager m = y.getManager();
        float sigma = cfg.outputNoise() > 0 ? (float) (cfg.outputNoise() * cfg.outputRange()) : 0f;
        if (cfg.adcBits() == 0) {
            if (sigma == 0) {
                return y;
            }
            try (NDManager tmp = m.newSubManager()) {
                NDArray noise = GaussianNoise.normal(tmp, sigma, y.getShape()); // N(0, σ) drawn directly
                return Nd.in(m, y.add(noise));
            }
        }
        // y·mask + c with c = v − y·mask computed without gradient (v the converter's value, mask the clip's
        // gradient): the multiply is left out where nothing saturates; natively in one pass where enabled
        float range = (float) cfg.outputRange();
        float step = (float) step(cfg.adcBits(), cfg.outputRange());
        try (NDManager tmp = m.newSubManager()) {
            NDArray ys = Nd.constant(y, tmp);
            NativeKernels.AdcCorrection a = NativeKernels.hwaAdc(ys, sigma, range, step);
            if (a == null) {
                NDArray h = sigma == 0 ? ys : GaussianNoise.normal(tmp, sigma, y.getShape()).addi(ys);
                NDArray mask = h.gte(-range).logicalAnd(h.lte(range)).toType(DataType.FLOAT32, false);
                NDArray c = straightThrough(h.clip(-range, range), step).subi(ys.mul(mask));
                a = new NativeKernels.AdcCorrection(c, mask, -1);
            }
            Nd.in(tmp, a.correction());
            Nd.in(tmp, a.mask());
            NDArray base = a.saturated() == 0 ? y : y.mul(a.mask());
            return Nd.in(m, base.add(a.correction()));
        }
    }
}
