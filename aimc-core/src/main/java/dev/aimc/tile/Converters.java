package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Nd;

/**
 * The converters of a tile in tile units (see {@link TileConfig}): the input DAC, the output noise and the ADC. This
 * is their one definition: the inference tile ({@link AnalogMatrix}), hardware-aware training ({@link TiledMvm},
 * with straight-through gradients) and the reads of programming all call it. The integer-units forward of
 * {@link AnalogMatrix} and the native kernels are faster formulations of the same functions, checked against this
 * class by tests ({@code IntegerUnitsForwardTest}, {@code NativeQuantizerTest}).
 *
 * <p>Level definition (aihwkit's {@code inp_res = out_res = 1/(2^bits − 2)} over the full range [−R, R]): a
 * converter with {@code bits} bits and range R has the step Δ = R/(2^(bits−1) − 1) = 2R/(2^bits − 2) and the
 * 2^bits − 1 levels k·Δ, |k| ≤ 2^(bits−1) − 1, symmetric around an exact 0 with ±R the outermost levels. A value is
 * clipped to [−R, R], then rounded to the nearest level (PyTorch rounds half to even).
 *
 * <p>Straight-through gradients ({@code straightThrough} true, the training forward): a converter returns
 * x + stopGradient(v − x) (x the clipped input, v its level): the forward value is exactly v (v − x is exact: v = 0
 * or v/x ∈ [2/3, 2], Sterbenz) and the derivative is 1 inside the range and 0 where it clipped. Otherwise (inference)
 * it returns v computed directly, with no gradient through the rounding.
 */
public final class Converters {
    private Converters() {}

    /** Smallest and largest converter resolution, bits (0 means "no converter" where allowed). */
    public static final int MIN_BITS = 2;
    /** See {@link #MIN_BITS}. */
    public static final int MAX_BITS = 24;

    /**
     * Converter settings: the DAC (bits, range, input scaling), the ADC (bits, range) and the output noise, all in
     * tile units. Bits 0 means no converter (the values pass unquantized and, for the ADC, unsaturated).
     *
     * @param dacBits 0 or {@value #MIN_BITS} … {@value #MAX_BITS}
     * @param inputRange DAC range in normalized input units (aihwkit {@code inp_bound}), &gt; 0
     * @param inputScaling per-vector input scaling before the DAC (aihwkit noise management)
     * @param adcBits 0 or {@value #MIN_BITS} … {@value #MAX_BITS}
     * @param outputRange ADC range in normalized output units (aihwkit {@code out_bound}), &gt; 0
     * @param outputNoise std of the additive output noise in normalized output units (aihwkit {@code out_noise}), ≥ 0
     */
    public record Settings(int dacBits, double inputRange, TileConfig.InputScaling inputScaling, int adcBits,
            double outputRange, double outputNoise) {

        /**
         * Validates.
         *
         * @param dacBits 0 (off) or {@value #MIN_BITS} … {@value #MAX_BITS}
         * @param inputRange DAC range in normalized input units, &gt; 0
         * @param inputScaling per-vector input scaling before the DAC (not null)
         * @param adcBits 0 (off) or {@value #MIN_BITS} … {@value #MAX_BITS}
         * @param outputRange ADC range in normalized output units, &gt; 0
         * @param outputNoise std of the additive output noise in normalized output units, ≥ 0
         */
        public Settings {
            checkBits("dac-bits", dacBits);
            checkBits("adc-bits", adcBits);
            Check.positive("dac-range", inputRange);
            Check.positive("adc-range", outputRange);
            Check.nonNegative("out-noise", outputNoise);
            if (inputScaling == null) {
                throw new ConfigException("input-scaling must be one of NONE, ABS_MAX, got null");
            }
        }

        /**
         * DAC step in normalized input units (NaN without a DAC).
         *
         * @return inputRange/(2^(dacBits−1) − 1), or NaN
         */
        public double inputStep() {
            return dacBits == 0 ? Double.NaN : step(dacBits, inputRange);
        }

        /**
         * ADC step in normalized output units (NaN without an ADC).
         *
         * @return outputRange/(2^(adcBits−1) − 1), or NaN
         */
        public double outputStep() {
            return adcBits == 0 ? Double.NaN : step(adcBits, outputRange);
        }
    }

    /**
     * Validates a converter resolution that may be switched off.
     *
     * @param option the option to name in the error
     * @param bits 0 (no converter) or {@value #MIN_BITS} … {@value #MAX_BITS}
     * @throws ConfigException naming {@code option} otherwise
     */
    public static void checkBits(String option, int bits) {
        Check.that(bits == 0 || (bits >= MIN_BITS && bits <= MAX_BITS), option,
                "must be 0 (off) or in [" + MIN_BITS + ", " + MAX_BITS + "]", bits);
    }

    /**
     * The step Δ = R/(2^(bits−1) − 1) of a converter with {@code bits} bits and range ±R.
     *
     * @param bits converter resolution (≥ 2)
     * @param range half-range R, &gt; 0, in the converter's units
     * @return Δ in the same units as R
     */
    public static double step(int bits, double range) {
        Check.range("bits", bits, MIN_BITS, MAX_BITS);
        return range / ((1L << (bits - 1)) - 1);
    }

    /**
     * The DAC's output: the quantized normalized inputs u_q (in [−inputRange, inputRange], the DAC's levels) and
     * the per-vector input scale α (no gradient), so that x ≈ α·u_q.
     *
     * @param levels u_q, the shape of the grouped input
     * @param alpha α, the grouped input's shape without its last axis
     */
    public record DacOutput(NDArray levels, NDArray alpha) {}

    /**
     * The DAC on grouped inputs [..., N] (N values of one tile's input vector, the last axis): α = max|x| over the N
     * values (floored at {@link Float#MIN_NORMAL}; ABS_MAX, aihwkit's noise management) or 1 (NONE), u = x/α, then
     * clip to ±inputRange and round to the DAC's levels (none with dacBits 0). Straight-through: d u_q / d x = 1/α
     * inside the range. Results are in x's manager.
     *
     * @param xg inputs [..., N], N the rows of one tile
     * @param s the converter settings
     * @param straightThrough whether gradients pass through the rounding (training) or not (inference)
     * @return the quantized u_q and the per-vector α (the output is u_q·α in input units)
     */
    public static DacOutput dac(NDArray xg, Settings s, boolean straightThrough) {
        NDManager m = xg.getManager();
        int last = xg.getShape().dimension() - 1;
        boolean absMax = s.inputScaling() == TileConfig.InputScaling.ABS_MAX;
        if (s.dacBits() == 0 || !absMax || !straightThrough || s.inputRange() < 1) {
            NDArray alpha;
            if (absMax) {
                try (NDManager tmp = m.newSubManager()) {
                    alpha = Nd.in(m, absMax(Nd.constant(xg, tmp), last));
                }
            } else {
                Shape sh = xg.getShape();
                alpha = m.ones(sh.slice(0, last));
            }
            NDArray u = absMax ? Nd.in(m, xg.div(alpha.expandDims(last))) : xg;
            if (s.dacBits() == 0) {
                return new DacOutput(u, alpha);
            }
            NDArray q = quantize(u, s.dacBits(), s.inputRange(), straightThrough);
            if (u != xg && q != u) {
                u.close();
            }
            return new DacOutput(q, alpha);
        }
        // ABS_MAX with a gradient and range ≥ 1: |u| ≤ 1 ≤ range, nothing clips; u_q = u + c with c = level − u
        // computed without gradient (natively, with α, in one pass per vector where the kernels are enabled)
        float step = (float) step(s.dacBits(), s.inputRange());
        try (NDManager tmp = m.newSubManager()) {
            NDArray xs = Nd.constant(xg, tmp);
            NDArray c;
            NDArray alpha;
            NDArray[] nat = NativeKernels.hwaDac(xs, xg.getShape().get(last), step);
            if (nat != null) {
                c = Nd.in(tmp, nat[0]);
                alpha = Nd.in(m, nat[1].reshape(xg.getShape().slice(0, last)));
            } else {
                alpha = Nd.in(m, absMax(xs, last));
                NDArray us = Nd.in(tmp, xs.div(alpha.expandDims(last)));
                c = levelMinus(us, step);
            }
            NDArray u = Nd.in(tmp, xg.div(alpha.expandDims(last)));
            return new DacOutput(Nd.in(m, u.add(c)), alpha);
        }
    }

    /** α = max(max|x| over {@code axis}, Float.MIN_NORMAL), without the axis (x without gradient). */
    static NDArray absMax(NDArray x, int axis) {
        return x.abs().max(new int[] {axis}).maximum(Float.MIN_NORMAL);
    }

    /**
     * Clips to [−range, range] and rounds to the levels of a {@code bits}-bit converter; straight-through: the
     * derivative is 1 inside the range, 0 outside.
     *
     * @param x the values
     * @param bits converter resolution (≥ 2)
     * @param range half-range, &gt; 0
     * @param straightThrough whether gradients pass through the rounding
     * @return a new array in x's manager
     */
    public static NDArray quantize(NDArray x, int bits, double range, boolean straightThrough) {
        Check.positive("range", range);
        float r = (float) range;
        float st = (float) step(bits, range);
        NDManager m = x.getManager();
        if (!straightThrough) {
            return Nd.in(m, quantizeToStep(x, range, st));
        }
        NDArray xc = Nd.in(m, x.clip(-r, r));
        NDArray q = straightThrough(xc, st);
        xc.close();
        return q;
    }

    /**
     * The ADC rule at an explicit range and step (no gradient): saturate at ±range and round to the multiples of
     * step. {@link #quantize} is this rule with the step of a {@code bits}-bit converter; the single-cell reads of
     * programming use it with their own range and step.
     *
     * @param y the values, in normalized output units
     * @param range the saturation bound, &gt; 0
     * @param step the quantization step, &gt; 0
     * @return a new array in y's manager
     */
    public static NDArray quantizeToStep(NDArray y, double range, double step) {
        float r = (float) range;
        float st = (float) step;
        return y.clip(-r, r).div(st).round().mul(st);
    }

    /**
     * round(x/Δ)·Δ − x, the distance from x to its level, without gradient (the straight-through correction of
     * every converter here; the native kernels compute it in the same order).
     *
     * @param x values without gradient, float32
     * @param step the converter step Δ
     * @return a new array in x's manager
     */
    private static NDArray levelMinus(NDArray x, float step) {
        return x.div(step).round().muli(step).subi(x);
    }

    /**
     * xc + stopGradient(round(xc/Δ)·Δ − xc): one recorded op (the add) on top of {@code xc}, whose forward value is
     * exactly the level and whose derivative is 1. In xc's manager.
     */
    private static NDArray straightThrough(NDArray xc, float step) {
        NDManager m = xc.getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDArray xs = Nd.constant(xc, tmp);
            NDArray d = levelMinus(xs, step); // q − xc, no gradient
            return Nd.in(m, xc.add(d));
        }
    }

    /**
     * Additive output noise: y + σ·z, z the next draw of {@code rng} over y (no gradient through the noise); returns
     * y itself (and draws nothing) for σ = 0. σ in normalized output units.
     *
     * @param y tile outputs in normalized output units
     * @param sigma the noise std in normalized output units, ≥ 0
     * @param rng the stream the noise is drawn from (advanced only when σ &gt; 0)
     * @return y + σ·z, or y itself
     */
    public static NDArray outputNoise(NDArray y, double sigma, RandomStream rng) {
        if (sigma == 0) {
            return y;
        }
        NDManager m = y.getManager();
        try (NDManager tmp = m.newSubManager()) {
            NDArray noise = rng.normal(tmp, (float) sigma, y.getShape());
            return Nd.in(m, y.add(noise));
        }
    }

    /**
     * The ADC without noise: saturate at ±range and round to its levels. Returns y itself with adcBits 0.
     *
     * @param y tile outputs in normalized output units
     * @param s the converter settings (adcBits and outputRange)
     * @param straightThrough whether gradients pass through the rounding
     * @return the quantized outputs, or y itself without an ADC
     */
    public static NDArray adc(NDArray y, Settings s, boolean straightThrough) {
        return s.adcBits() == 0 ? y : quantize(y, s.adcBits(), s.outputRange(), straightThrough);
    }

    /**
     * Output noise and ADC in one step, as the training forward uses them: h = y + σ·z (the next draw of {@code rng}, none
     * for σ = 0), then saturation at ±outputRange and rounding (none with adcBits 0). Straight-through, the result is
     * y·mask + stopGradient(v − y·mask), v the converter's level and mask the saturation (1 where |h| ≤ range):
     * the gradient is the clip's and the value is v up to one rounding of the add; the multiply is left out when
     * nothing saturates. Natively in one pass per block where the kernels are enabled (same values).
     *
     * @param y tile outputs in normalized output units
     * @param s the converter settings (output noise, adcBits, outputRange)
     * @param straightThrough whether gradients pass through the rounding
     * @param rng the stream the output noise is drawn from
     * @return the noisy, quantized outputs
     */
    public static NDArray noisyAdc(NDArray y, Settings s, boolean straightThrough, RandomStream rng) {
        if (s.adcBits() == 0) {
            return outputNoise(y, s.outputNoise(), rng);
        }
        if (!straightThrough) {
            return adc(outputNoise(y, s.outputNoise(), rng), s, false);
        }
        NDManager m = y.getManager();
        float sigma = (float) s.outputNoise();
        float range = (float) s.outputRange();
        float step = (float) s.outputStep();
        try (NDManager tmp = m.newSubManager()) {
            NDArray ys = Nd.constant(y, tmp);
            NativeKernels.AdcCorrection a = NativeKernels.hwaAdc(ys, sigma, range, step, rng);
            if (a == null) {
                NDArray h = sigma == 0 ? ys : rng.normal(tmp, sigma, y.getShape()).addi(ys);
                NDArray mask = h.gte(-range).logicalAnd(h.lte(range)).toType(DataType.FLOAT32, false);
                NDArray hc = Nd.in(tmp, h.clip(-range, range));
                NDArray v = levelMinus(hc, step).addi(hc); // hc + (level − hc)
                NDArray c = v.subi(ys.mul(mask));
                a = new NativeKernels.AdcCorrection(c, mask, -1);
            }
            Nd.in(tmp, a.correction());
            Nd.in(tmp, a.mask());
            NDArray base = a.saturated() == 0 ? y : y.mul(a.mask());
            return Nd.in(m, base.add(a.correction()));
        }
    }
}
