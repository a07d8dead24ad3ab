package dev.aimc.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import java.util.Arrays;

/**
 * Global drift compensation as the benchmark applies it while the {@code comp} branch has no GDC of its own:
 * per analog layer one factor f = Σ|G_eff(programmed)| / Σ|G_eff(drifted)| (computed once after
 * {@code driftTo}, no read noise), installed as the layer's digital output scale. The per-batch cost — one
 * multiply per output — is that of any global/per-column compensation applied in the digital periphery, which
 * is what the benchmark is about; the estimate itself is not the calibrated-read GDC of aihwkit.
 */
public final class Gdc {
    private Gdc() {}

    /** Computes and installs the factors of every analog layer of {@code net}; returns them in layer order. */
    public static double[] apply(AnalogNetwork net) {
        return net.analogLayers().values().stream().mapToDouble(Gdc::apply).toArray();
    }

    /** Computes and installs the factor of one layer. */
    public static double apply(AnalogLayer layer) {
        AnalogMatrix m = layer.matrix();
        try (NDManager tmp = m.manager().newSubManager()) {
            NDArray e0 = m.effective(m.state().gProg());
            e0.attach(tmp);
            NDArray e1 = m.effective(m.driftedConductances());
            e1.attach(tmp);
            double num = e0.abs().sum().getFloat();
            double den = e1.abs().sum().getFloat();
            double f = den > 0 ? num / den : 1.0;
            float[] scale = new float[m.outFeatures()];
            Arrays.fill(scale, (float) f);
            m.setOutputScale(scale);
            return f;
        }
    }
}
