package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;

/**
 * Programming-noise standard deviation of a memory device as a function of its target conductance, used to
 * shape the weight noise of hardware-aware training ({@link WeightNoise#deviceShaped}).
 *
 * <p>Kept free of the {@code dev.aimc.device} package so that HWA training needs only this small
 * vectorised function; {@link #pcm()} is the published PCM polynomial.
 */
public interface ProgrammingNoiseProfile {

    /**
     * σ_prog in µS for target conductances in µS.
     *
     * @param gTargetMicroSiemens targets in [0, g_max], any shape, float32
     * @return σ_prog, same shape, in the manager of {@code gTargetMicroSiemens}
     */
    NDArray sigmaMicroSiemens(NDArray gTargetMicroSiemens);

    /**
     * The conductance the largest |weight| of a layer maps to, µS.
     *
     * @return g_max in µS
     */
    double gMaxMicroSiemens();

    /**
     * Short name for metadata, e.g. "pcm".
     *
     * @return the name
     */
    default String name() {
        return "custom";
    }

    /** Reference g_max of the PCM fit (Nandakumar et al. 2019; Joshi et al. 2020), µS. */
    double PCM_G_MAX_US = 25.0;

    /**
     * The PCM profile at the fitted g_max = 25 µS.
     *
     * @return σ_prog(g) of PcmModel eq. (1) at g_max = 25 µS
     */
    static ProgrammingNoiseProfile pcm() {
        return pcm(PCM_G_MAX_US);
    }

    /**
     * The PCM programming-noise fit σ_prog(g_T) = 0.26348 + 1.9650·g_T − 1.1731·g_T² µS with g_T = g/g_max,
     * fitted at g_max = 25 µS and scaled by g_max/25 for another g_max (as {@code device.PcmModel} does).
     *
     * @param gMaxMicroSiemens the conductance of the largest |weight|, µS
     * @return the profile
     */
    static ProgrammingNoiseProfile pcm(double gMaxMicroSiemens) {
        dev.aimc.util.Check.positive("g-max", gMaxMicroSiemens);
        return new ProgrammingNoiseProfile() {
            @Override
            public NDArray sigmaMicroSiemens(NDArray g) {
                NDArray gT = g.div((float) gMaxMicroSiemens);
                NDArray a = gT.mul(-1.1731f);
                NDArray b = a.add(1.9650f);
                NDArray c = b.mul(gT);
                NDArray d = c.add(0.26348f);
                NDArray out = d.mul((float) (gMaxMicroSiemens / PCM_G_MAX_US));
                gT.close();
                a.close();
                b.close();
                c.close();
                d.close();
                return out;
            }

            @Override
            public double gMaxMicroSiemens() {
                return gMaxMicroSiemens;
            }

            @Override
            public String name() {
                return "pcm";
            }
        };
    }

    /**
     * Scalar version of the PCM fit in µS for relative target g_T (used by tests and reports).
     *
     * @param gT target conductance relative to g_max, in [0, 1]
     * @param gMaxMicroSiemens g_max in µS
     * @return σ_prog in µS
     */
    static double pcmSigma(double gT, double gMaxMicroSiemens) {
        return (0.26348 + 1.9650 * gT - 1.1731 * gT * gT) * gMaxMicroSiemens / PCM_G_MAX_US;
    }
}
