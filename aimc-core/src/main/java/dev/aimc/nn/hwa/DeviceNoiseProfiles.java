package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import dev.aimc.device.PcmModel;

/** Adapters from {@code dev.aimc.device} models to {@link ProgrammingNoiseProfile}. */
public final class DeviceNoiseProfiles {
    private DeviceNoiseProfiles() {}

    /**
     * The programming noise of a {@link PcmModel}: σ_prog(g)·progNoiseScale in µS at the model's g_max.
     * The model's eq. (1) is a quadratic in g_T = g/g_max, so its three coefficients are read off
     * {@link PcmModel#progNoiseStdMicroSiemens(double)} at g_T = 0, ½, 1 and evaluated vectorised.
     *
     * @param model the PCM model
     * @return the profile: g_max and σ_prog(g)·progNoiseScale in µS
     */
    public static ProgrammingNoiseProfile of(PcmModel model) {
        double gMax = model.gMaxMicroSiemens();
        double s = model.progNoiseScale();
        double f0 = model.progNoiseStdMicroSiemens(0.0);
        double fh = model.progNoiseStdMicroSiemens(0.5);
        double f1 = model.progNoiseStdMicroSiemens(1.0);
        double c0 = f0 * s;
        double c2 = 2 * (f1 - 2 * fh + f0) * s;
        double c1 = (f1 - f0) * s - c2;
        return new ProgrammingNoiseProfile() {
            @Override
            public NDArray sigmaMicroSiemens(NDArray g) {
                NDArray gT = g.div((float) gMax);
                NDArray a = gT.mul((float) c2);
                NDArray b = a.add((float) c1);
                NDArray c = b.mul(gT);
                NDArray out = c.add((float) c0);
                gT.close();
                a.close();
                b.close();
                c.close();
                return out;
            }

            @Override
            public double gMaxMicroSiemens() {
                return gMax;
            }

            @Override
            public String name() {
                return model.name();
            }
        };
    }
}
