package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.Check;

/**
 * Statistical phase-change memory (PCM) model of Nandakumar et al., "Phase-change memory models for deep
 * learning training and inference", ICECS 2019, as used by Joshi et al., "Accurate deep neural network
 * inference using computational phase-change memory", Nat. Commun. 11, 2473 (2020), for g_max = 25 µS.
 *
 * <p>With g_T = g_target / g_max (the target clipped to [0, g_max]) and N(0,1) a fresh standard normal draw
 * per device:
 * <ol>
 *   <li>Programming noise: σ_prog(g_T) = 0.26348 + 1.9650·g_T − 1.1731·g_T² (µS, scaled by g_max/25 for
 *       another g_max); g_prog = max(0, g_target + σ_prog·N(0,1)).</li>
 *   <li>Drift exponent: μ_ν = clip(−0.0155·ln g_T + 0.0244, 0.049, 0.1),
 *       σ_ν = clip(−0.0125·ln g_T − 0.0059, 0.008, 0.045), ν = |μ_ν + σ_ν·N(0,1)|, where g_T is floored at
 *       1e-6 before the logarithm (so g_target = 0 gets μ_ν = 0.1, σ_ν = 0.045).</li>
 *   <li>Drift: g_drift(t) = g_prog·(t/t0)^(−ν) with t = t_inf + t0, t0 = 20 s, t_inf the time since
 *       programming.</li>
 *   <li>1/f read noise, t_read = 250 ns: Q_s = min(0.0088 / max((g_prog/g_max)^0.65, 1e-3), 0.2),
 *       σ_read(t) = Q_s·sqrt(ln((t + t_read)/(2·t_read))), g = max(0, g_drift + |g_drift|·σ_read·N(0,1)).</li>
 * </ol>
 * The scale factors multiply σ_prog in (1), ν in (2) and σ_read in (4); a scale of 0 switches that source
 * off exactly (and draws no random numbers for it).
 *
 * @param gMaxMicroSiemens g_max in µS (default 25), &gt; 0
 * @param progNoiseScale factor on σ_prog, eq. (1) (default 1), ≥ 0
 * @param driftScale factor on ν, eq. (2)–(3) (default 1), ≥ 0
 * @param readNoiseScale factor on σ_read, eq. (4) (default 1), ≥ 0
 */
public record PcmModel(double gMaxMicroSiemens, double progNoiseScale, double driftScale, double readNoiseScale)
        implements PcmDevice {

    /** Default g_max of the fitted model, µS. */
    public static final double DEFAULT_G_MAX_US = PcmPhysics.G_MAX_REF_US;
    /** t0 of eq. (3), seconds. */
    public static final double T0_SECONDS = PcmPhysics.T0_S;
    /** t_read of eq. (4), seconds. */
    public static final double T_READ_SECONDS = PcmPhysics.T_READ_S;

    /**
     * Validates the parameters; a bad one gives a {@code ConfigException} naming it.
     *
     * @param gMaxMicroSiemens g_max in µS, &gt; 0
     * @param progNoiseScale factor on σ_prog, eq. (1), ≥ 0
     * @param driftScale factor on ν, eq. (2)–(3), ≥ 0
     * @param readNoiseScale factor on σ_read, eq. (4), ≥ 0
     */
    public PcmModel {
        Check.positive("g-max", gMaxMicroSiemens);
        Check.nonNegative("prog-noise-scale", progNoiseScale);
        Check.nonNegative("drift-scale", driftScale);
        Check.nonNegative("read-noise-scale", readNoiseScale);
    }

    /**
     * The published model: g_max = 25 µS, all scales 1.
     *
     * @return the model of Nandakumar et al. (2019) as used by Joshi et al. (2020)
     */
    public static PcmModel defaults() {
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

    /** Every parameter by its {@code --device} key ({@link DeviceModels#PCM}'s table). */
    @Override
    public java.util.Map<String, Object> parameters() {
        return DeviceModels.PCM.valuesOf(this);
    }

    @Override
    public String name() {
        return "pcm";
    }

    /**
     * Eq. (1) σ_prog in µS for a relative target g_T in [0, 1], before {@link #progNoiseScale()}.
     *
     * @param gT target conductance relative to g_max, in [0, 1]
     * @return 0.26348 + 1.9650·g_T − 1.1731·g_T², scaled by g_max / 25 µS, in µS
     */
    public double progNoiseStdMicroSiemens(double gT) {
        return (0.26348 + 1.9650 * gT - 1.1731 * gT * gT) * gMaxMicroSiemens / DEFAULT_G_MAX_US;
    }

    /**
     * Eq. (2) μ_ν for a relative target g_T, before folding and {@link #driftScale()}.
     *
     * @param gT target conductance relative to g_max (floored to avoid ln 0)
     * @return −0.0155·ln g_T + 0.0244, clamped to [0.049, 0.1]
     */
    public static double nuMean(double gT) {
        double ln = Math.log(Math.max(gT, PcmPhysics.G_T_FLOOR));
        return Math.min(Math.max(-0.0155 * ln + 0.0244, 0.049), 0.1);
    }

    /**
     * Eq. (2) σ_ν for a relative target g_T, before folding and {@link #driftScale()}.
     *
     * @param gT target conductance relative to g_max (floored to avoid ln 0)
     * @return −0.0125·ln g_T − 0.0059, clamped to [0.008, 0.045]
     */
    public static double nuStd(double gT) {
        double ln = Math.log(Math.max(gT, PcmPhysics.G_T_FLOOR));
        return Math.min(Math.max(-0.0125 * ln - 0.0059, 0.008), 0.045);
    }

    /**
     * Eq. (4) relative read-noise std σ_read for a programmed g_prog (µS) at t_inf seconds, scale included.
     *
     * @param gProgMicroSiemens programmed conductance in µS
     * @param tSeconds inference time in seconds since programming
     * @return σ_read relative to the drifted conductance, dimensionless
     */
    public double readNoiseStd(double gProgMicroSiemens, double tSeconds) {
        double qs = Math.min(0.0088 / Math.max(Math.pow(Math.max(gProgMicroSiemens / gMaxMicroSiemens, 0), 0.65),
                1e-3), 0.2);
        return readNoiseScale * qs * PcmPhysics.readTimeFactor(tSeconds);
    }

    @Override
    public NDArray[] nuMeanStd(NDArray g, NDArray gT) {
        return PcmPhysics.nuMeanStd(gT); // (2)
    }

    /** Builder for {@link PcmModel}; starts from the defaults. */
    public static final class Builder extends PcmBuilder<Builder> {
        private Builder() {}

        /**
         * Builds and validates.
         *
         * @return the model
         * @throws dev.aimc.util.ConfigException naming the first invalid parameter
         */
        public PcmModel build() {
            return new PcmModel(gMax, prog, drift, read);
        }
    }
}
