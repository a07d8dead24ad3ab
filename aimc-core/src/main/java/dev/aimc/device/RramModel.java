package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;

/**
 * Generic multi-level resistive RAM (RRAM) model without drift.
 *
 * <p>Programming, in this order, with N(0,1) and U[0,1) fresh draws per device:
 * <ol>
 *   <li>Levels: the target is clipped to [g_min, g_max]; with {@code bitsPerCell} = b &gt; 0 it is snapped to
 *       the nearest of 2^b levels g_min + k·(g_max − g_min)/(2^b − 1); b = 0 means continuous.</li>
 *   <li>Cycle-to-cycle/device-to-device variation, log-normal as reported for filamentary oxide RRAM
 *       (H.-S. P. Wong et al., "Metal–Oxide RRAM", Proc. IEEE 100(6), 1951–1970, 2012; S. Yu,
 *       "Neuro-inspired computing with emerging nonvolatile memory", Proc. IEEE 106(2), 260–285, 2018):
 *       g' = g·exp(θ), θ = σ·N(0,1).</li>
 *   <li>Stuck-at faults: with probability {@code stuckAtMinRate} the device reads g_min, with probability
 *       {@code stuckAtMaxRate} g_max, whatever the target (fault rates of the order of 1.75 % and 9 % were
 *       measured by C.-Y. Chen et al., IEEE Trans. Comput. 64(1), 180–190, 2015; default 0).</li>
 * </ol>
 * No drift: ν = 0 and {@link #drift} returns g_prog. Read noise (optional, default off):
 * g = max(0, g_drift + |g_drift|·σ_read·N(0,1)).
 *
 * <p>Defaults: g_min = 1 µS, g_max = 100 µS (on/off ratio 100, i.e. roughly 1 MΩ / 10 kΩ), b = 0 (continuous),
 * σ = 0.1 (a moderate write-and-verify spread), no stuck-at faults, no read noise.
 *
 * @param gMinMicroSiemens lowest conductance in µS (default 1), ≥ 0
 * @param gMaxMicroSiemens highest conductance in µS (default 100), &gt; g_min
 * @param bitsPerCell bits per cell b, 2^b levels; 0 = continuous (default 0), in [0, 16]
 * @param logNormalSigma σ of θ = ln(g'/g) (default 0.1), ≥ 0
 * @param stuckAtMinRate probability of a device stuck at g_min (default 0), in [0, 1]
 * @param stuckAtMaxRate probability of a device stuck at g_max (default 0), in [0, 1], sum of both ≤ 1
 * @param readNoiseRelStd relative read-noise std σ_read (default 0), ≥ 0
 */
public record RramModel(double gMinMicroSiemens, double gMaxMicroSiemens, int bitsPerCell, double logNormalSigma,
        double stuckAtMinRate, double stuckAtMaxRate, double readNoiseRelStd) implements DeviceModel {

    /** Default g_min, µS. */
    public static final double DEFAULT_G_MIN_US = 1.0;
    /** Default g_max, µS. */
    public static final double DEFAULT_G_MAX_US = 100.0;
    /** Default σ of ln(g'/g). */
    public static final double DEFAULT_LOG_NORMAL_SIGMA = 0.1;

    /**
     * Validates the parameters; a bad one gives a {@code ConfigException} naming it.
     *
     * @param gMinMicroSiemens lowest conductance in µS, ≥ 0
     * @param gMaxMicroSiemens highest conductance in µS, &gt; g_min
     * @param bitsPerCell bits per cell b, 2^b levels; 0 = continuous; in [0, 16]
     * @param logNormalSigma σ of θ = ln(g'/g), ≥ 0
     * @param stuckAtMinRate probability of a device stuck at g_min, in [0, 1]
     * @param stuckAtMaxRate probability of a device stuck at g_max, in [0, 1]; the sum of both ≤ 1
     * @param readNoiseRelStd relative read-noise std σ_read, ≥ 0
     */
    public RramModel {
        Check.nonNegative("g-min", gMinMicroSiemens);
        Check.positive("g-max", gMaxMicroSiemens);
        Check.that(gMaxMicroSiemens > gMinMicroSiemens, "g-max", "must be > g-min (" + gMinMicroSiemens + ")",
                gMaxMicroSiemens);
        Check.range("bits", bitsPerCell, 0, 16);
        Check.nonNegative("log-normal-sigma", logNormalSigma);
        Check.range("stuck-at-min-rate", stuckAtMinRate, 0, 1);
        Check.range("stuck-at-max-rate", stuckAtMaxRate, 0, 1);
        if (stuckAtMinRate + stuckAtMaxRate > 1) {
            throw new ConfigException("stuck-at-min-rate + stuck-at-max-rate must be <= 1, got "
                    + (stuckAtMinRate + stuckAtMaxRate));
        }
        Check.nonNegative("read-noise", readNoiseRelStd);
    }

    /**
     * The defaults listed in the class documentation.
     *
     * @return g_min 1 µS, g_max 100 µS, continuous, σ = 0.1, no faults, no read noise
     */
    public static RramModel defaults() {
        return builder().build();
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Every parameter by its {@code --device} key ({@link DeviceModels#RRAM}'s table). */
    @Override
    public java.util.Map<String, Object> parameters() {
        return DeviceModels.RRAM.valuesOf(this);
    }

    @Override
    public String name() {
        return "rram";
    }

    /**
     * Number of levels, 2^b, or 0 for a continuous cell.
     *
     * @return 2^{@link #bitsPerCell()}, or 0 when continuous
     */
    public int levels() {
        return bitsPerCell == 0 ? 0 : 1 << bitsPerCell;
    }

    /** The level a target snaps to, step (1) (the clipped target itself when continuous). */
    @Override
    public double nominalMicroSiemens(double gTargetMicroSiemens) {
        double g = Math.min(Math.max(gTargetMicroSiemens, gMinMicroSiemens), gMaxMicroSiemens);
        if (bitsPerCell == 0) {
            return g;
        }
        double step = (gMaxMicroSiemens - gMinMicroSiemens) / (levels() - 1);
        return Math.min(Math.rint((g - gMinMicroSiemens) / step) * step + gMinMicroSiemens, gMaxMicroSiemens);
    }

    @Override
    public ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng) {
        NDManager outer = gTargetMicroSiemens.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            float gMin = (float) gMinMicroSiemens;
            float gMax = (float) gMaxMicroSiemens;
            // (1) clip, then snap to the nearest level
            NDArray g = PcmPhysics.float32Copy(tmp, gTargetMicroSiemens).clip(gMin, gMax);
            if (bitsPerCell > 0) {
                float step = (float) ((gMaxMicroSiemens - gMinMicroSiemens) / (levels() - 1));
                g = g.sub(gMin).div(step).round().mul(step).add(gMin).clip(gMin, gMax);
            }
            // (2) log-normal variation g' = g·exp(σ·N)
            if (logNormalSigma > 0) {
                NDArray theta = rng.normal(tmp, (float) logNormalSigma, g.getShape());
                g = g.mul(theta.exp());
            }
            // (3) stuck-at faults
            if (stuckAtMinRate > 0 || stuckAtMaxRate > 0) {
                NDArray u = rng.uniform(tmp, 0f, 1f, g.getShape());
                float p0 = (float) stuckAtMinRate;
                float p1 = (float) (stuckAtMinRate + stuckAtMaxRate);
                g = NDArrays.where(u.lt(p0), g.zerosLike().add(gMin), g);
                g = NDArrays.where(u.gte(p0).logicalAnd(u.lt(p1)), g.zerosLike().add(gMax), g);
            }
            NDArray gProg = g;
            NDArray nu = tmp.zeros(g.getShape(), DataType.FLOAT32);
            gProg.attach(outer);
            nu.attach(outer);
            return new ProgrammedState(gProg, nu);
        }
    }

    /** No drift: returns a copy of g_prog in its manager. */
    @Override
    public NDArray drift(ProgrammedState state, double tSeconds) {
        Check.nonNegative("time", tSeconds);
        return state.gProg().duplicate();
    }

    @Override
    public NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        Check.nonNegative("time", tSeconds);
        if (readNoiseRelStd == 0) {
            return gDrift.duplicate();
        }
        NDManager outer = gDrift.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            NDArray noise = rng.normal(tmp, (float) readNoiseRelStd, gDrift.getShape());
            NDArray out = PcmPhysics.in(tmp, gDrift.abs()).mul(noise).add(gDrift).maximum(0f);
            out.attach(outer);
            return out;
        }
    }

    /** Builder for {@link RramModel}; starts from the defaults. */
    public static final class Builder {
        private double gMin = DEFAULT_G_MIN_US;
        private double gMax = DEFAULT_G_MAX_US;
        private int bits = 0;
        private double sigma = DEFAULT_LOG_NORMAL_SIGMA;
        private double sa0 = 0;
        private double sa1 = 0;
        private double read = 0;

        private Builder() {}

        /**
         * g_min in µS.
         *
         * @param v g_min in µS, ≥ 0 and below g_max
         * @return this builder
         */
        public Builder gMinMicroSiemens(double v) {
            gMin = v;
            return this;
        }

        /**
         * g_max in µS.
         *
         * @param v g_max in µS, above g_min
         * @return this builder
         */
        public Builder gMaxMicroSiemens(double v) {
            gMax = v;
            return this;
        }

        /**
         * Bits per cell (2^bits levels; 0 = continuous).
         *
         * @param v bits per cell in [0, 16]
         * @return this builder
         */
        public Builder bitsPerCell(int v) {
            bits = v;
            return this;
        }

        /**
         * σ of ln(g'/g).
         *
         * @param v σ of ln(g'/g), ≥ 0 (0: no programming variation)
         * @return this builder
         */
        public Builder logNormalSigma(double v) {
            sigma = v;
            return this;
        }

        /**
         * Probability of stuck-at-g_min.
         *
         * @param v probability in [0, 1]
         * @return this builder
         */
        public Builder stuckAtMinRate(double v) {
            sa0 = v;
            return this;
        }

        /**
         * Probability of stuck-at-g_max.
         *
         * @param v probability in [0, 1]
         * @return this builder
         */
        public Builder stuckAtMaxRate(double v) {
            sa1 = v;
            return this;
        }

        /**
         * Relative read-noise std.
         *
         * @param v read-noise std relative to the conductance, ≥ 0
         * @return this builder
         */
        public Builder readNoiseRelStd(double v) {
            read = v;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the model
         * @throws dev.aimc.util.ConfigException naming the first invalid parameter
         */
        public RramModel build() {
            return new RramModel(gMin, gMax, bits, sigma, sa0, sa1, read);
        }
    }
}
