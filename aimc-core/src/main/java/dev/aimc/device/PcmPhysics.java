package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.RandomStream;

/**
 * Vectorised PCM equations shared by {@link PcmModel} and {@link PcmTableModel}; equation numbers refer to
 * the list in {@link PcmModel}.
 *
 * <p>Memory discipline: every method that makes temporaries opens a sub-manager of the manager its result
 * belongs to, attaches the first result computed from a caller's array to it (so that all later results
 * land there too), and attaches only the final result back to the caller's manager.
 */
final class PcmPhysics {
    private PcmPhysics() {}

    /** Reference maximum conductance of the fitted PCM model, µS. */
    static final double G_MAX_REF_US = 25.0;
    /** Time of the first read after programming, t0 in eq. (3), seconds. */
    static final double T0_S = 20.0;
    /** Read duration t_read in eq. (4), seconds. */
    static final double T_READ_S = 250e-9;
    /** Floor on g_T before ln(g_T) in eq. (2). */
    static final double G_T_FLOOR = 1e-6;

    /** Attaches {@code a} to {@code m} and returns it. */
    static NDArray in(NDManager m, NDArray a) {
        a.attach(m);
        return a;
    }

    /** Returns a float32 copy of {@code a} attached to {@code m} (never {@code a} itself). */
    static NDArray float32Copy(NDManager m, NDArray a) {
        NDArray c = a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, true);
        return in(m, c);
    }

    /**
     * Eq. (1): g_prog = max(0, g_target + s·σ_prog(g_T)·N(0,1)), σ_prog in µS scaled by g_max/25.
     *
     * @param tmp manager for the result and temporaries
     * @param g target conductances clipped to [0, g_max], µS (in {@code tmp})
     * @param gT g / g_max (in {@code tmp})
     */
    static NDArray programNoise(NDManager tmp, NDArray g, NDArray gT, double gMax, double scale, RandomStream rng) {
        if (scale == 0) {
            return g.duplicate();
        }
        // (1) σ_prog(g_T) = 0.26348 + 1.9650·g_T − 1.1731·g_T², in µS for g_max = 25 µS
        NDArray sigma = gT.mul(-1.1731f).add(1.9650f).mul(gT).add(0.26348f)
                .mul((float) (scale * gMax / G_MAX_REF_US));
        NDArray noise = rng.standard(tmp, g.getShape());
        return g.add(sigma.mul(noise)).maximum(0f);
    }

    /**
     * Eq. (2), PCM fit: μ_ν = clip(−0.0155·ln g_T + 0.0244, 0.049, 0.1) and
     * σ_ν = clip(−0.0125·ln g_T − 0.0059, 0.008, 0.045), with g_T floored at {@link #G_T_FLOOR}.
     *
     * @return {μ_ν, σ_ν} in the manager of {@code gT}
     */
    static NDArray[] nuMeanStd(NDArray gT) {
        NDArray lnG = gT.maximum((float) G_T_FLOOR).log();
        NDArray mu = lnG.mul(-0.0155f).add(0.0244f).clip(0.049f, 0.1f);
        NDArray sd = lnG.mul(-0.0125f).sub(0.0059f).clip(0.008f, 0.045f);
        return new NDArray[] {mu, sd};
    }

    /** Eq. (2), draw: ν = s·|μ_ν + σ_ν·N(0,1)|; exact zeros when {@code driftScale} is 0. */
    static NDArray drawNu(NDManager tmp, NDArray mu, NDArray sd, double driftScale, RandomStream rng) {
        if (driftScale == 0) {
            return tmp.zeros(mu.getShape(), DataType.FLOAT32);
        }
        NDArray noise = rng.standard(tmp, mu.getShape());
        return mu.add(sd.mul(noise)).abs().mul((float) driftScale);
    }

    /** Eq. (3): g_drift = g_prog·(t/t0)^(−ν), t = t_inf + t0; result in {@code state.gProg()}'s manager. */
    static NDArray drift(ProgrammedState state, double tSeconds) {
        return drift(state, tSeconds, T0_S);
    }

    /** Eq. (3) with another first-read time t0 (seconds): g_prog·((t_inf + t0)/t0)^(−ν). */
    static NDArray drift(ProgrammedState state, double tSeconds, double t0) {
        NDArray gProg = state.gProg();
        NDManager outer = gProg.getManager();
        double lnRatio = Math.log((tSeconds + t0) / t0);
        if (lnRatio == 0) {
            return gProg.duplicate(); // t_inf = 0: (t/t0)^(−ν) = 1 exactly
        }
        try (NDManager tmp = outer.newSubManager()) {
            // (3) (t/t0)^(−ν) = exp(−ν·ln(t/t0))
            NDArray factor = in(tmp, state.nu().mul((float) -lnRatio)).exp();
            NDArray out = in(tmp, gProg.mul(factor));
            out.attach(outer);
            return out;
        }
    }

    /** Eq. (4) relative read-noise time factor sqrt(ln((t + t_read)/(2·t_read))), t = t_inf + t0. */
    static double readTimeFactor(double tSeconds) {
        double t = tSeconds + T0_S;
        return Math.sqrt(Math.log((t + T_READ_S) / (2 * T_READ_S)));
    }

    /**
     * Eq. (4): Q_s = min(0.0088 / max((g_prog/g_max)^0.65, 1e-3), 0.2), σ = s·Q_s·sqrt(ln((t + t_read)/(2·t_read))),
     * g = max(0, g_drift + |g_drift|·σ·N(0,1)); result in {@code gDrift}'s manager.
     */
    static NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, double gMax, double scale,
            RandomStream rng) {
        NDManager outer = gDrift.getManager();
        if (scale == 0) {
            return gDrift.duplicate();
        }
        try (NDArray amp = readAmplitude(state, gDrift, tSeconds, gMax, scale)) {
            return NoisyRead.apply(gDrift, amp, rng);
        }
    }

    /** Eq. (4), the per-device part that is the same for every read: |g_drift|·σ; in {@code gDrift}'s manager. */
    static NDArray readAmplitude(ProgrammedState state, NDArray gDrift, double tSeconds, double gMax, double scale) {
        NDManager outer = gDrift.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            // (4) Q_s per device, from the programmed conductance
            NDArray qs = in(tmp, state.gProg().div((float) gMax)).maximum(0f).pow(0.65f)
                    .maximum(1e-3f).pow(-1f).mul(0.0088f).minimum(0.2f);
            NDArray sigma = qs.mul((float) (scale * readTimeFactor(tSeconds)));
            NDArray amp = in(tmp, gDrift.abs()).mul(sigma);
            amp.attach(outer);
            return amp;
        }
    }

    /**
     * A reader that keeps the amplitude of eq. (4) between reads; each read is max(0, g_drift + amp·N(0,1)) with the
     * next draw of {@code rng}, drawn, scaled, added and clamped in one pass where {@code NativeKernels} are loaded.
     */
    static DeviceModel.Reader reader(ProgrammedState state, NDArray gDrift, double tSeconds, double gMax,
            double scale, RandomStream rng) {
        return NoisyRead.reader(gDrift, scale == 0 ? null : readAmplitude(state, gDrift, tSeconds, gMax, scale), rng);
    }
}
