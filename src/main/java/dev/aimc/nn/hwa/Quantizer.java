package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.Check;

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
    /** Saturation only: clip to [−range, range] (gradient 0 outside). */
    public static NDArray saturate(NDArray x, double range) {
        return Nd.in(x.getManager(), x.clip(-range, range));
    }

    /** DAC of the training forward: clip to ±inputRange and quantize; identity when dacBits is 0. */
    public static NDArray dac(NDArray x, HwaConfig cfg) {
        return cfg.dacBits() == 0 ? x : quantize(x, cfg.dacBits(), cfg.inputRange());
    }

    /**
     * Output path of the training forward: additive Gaussian noise with std outputNoise·outputRange (a fresh
     * draw per element and call, no gradient), then the ADC (saturate at ±outputRange and quantize) when
     * adcBits &gt; 0. Returns {@code y} itself when neither is configured.
     */
    public static NDArray adc(NDArray y, HwaConfig cfg) {
        NDManager m = y.getManager();
        NDArray h = y;
        if (cfg.outputNoise() > 0) {
            try (NDManager tmp = m.newSubManager()) {
                NDArray noise = tmp.randomNormal(0f, (float) (cfg.outputNoise() * cfg.outputRange()), y.getShape(),
                        DataType.FLOAT32); // N(0, σ) drawn directly (no separate scaling pass)
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
