package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.RramModel;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 1: a device with g_min &gt; 0 on a tile. Normalized weights map to g_min + |w|·(g_max − g_min) on the
 * active device and g_min on the other, and the periphery subtracts g_min back, so an RRAM without variation
 * reproduces any weight matrix exactly, for every mapping. Before the fix the tile mapped weights to [0, g_max]
 * and the device clipped them to [g_min, g_max]: every nonzero weight lost g_min/g_max and small weights became 0.
 */
class RramOnTileTest {

    /** 24-bit converters, ranges wide enough, no input scaling: the tiles compute the exact product. */
    private static TileConfig.Builder exact() {
        return TileConfig.builder().tileSize(6, 4).inputBits(24).outputBits(24)
                .inputScaling(TileConfig.InputScaling.NONE).inputRange(16).outputRange(64);
    }

    private static RramModel noVariation(double gMin, double gMax) {
        return RramModel.builder().gMinMicroSiemens(gMin).gMaxMicroSiemens(gMax).logNormalSigma(0).build();
    }

    /** ‖y − W x‖ / ‖W x‖ of the tile forward for {@code x} [B, in]. */
    static double mvmError(NDManager m, NDArray w, TileConfig cfg, RramModel device, NDArray x) {
        try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
            a.program(device);
            a.driftTo(1);
            NDArray y = a.forward(x);
            NDArray yt = x.matMul(w.transpose());
            return Math.sqrt(y.sub(yt).square().sum().getFloat() / yt.square().sum().getFloat());
        }
    }

    @Test
    void rramWithoutVariationReconstructsEveryMappingExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(12);
            NDArray signed = m.randomNormal(new Shape(7, 13)); // [out 7, in 13]: 3 × 2 tiles
            NDArray positive = signed.abs();
            NDArray x = m.randomUniform(-1f, 1f, new Shape(16, 13));
            for (double[] g : new double[][] {{1, 100}, {10, 100}, {30, 40}}) {
                RramModel rram = noVariation(g[0], g[1]);
                TileConfig[] cfgs = {
                    exact().build(),
                    exact().weightScaling(TileConfig.WeightScaling.PER_TILE).build(),
                    exact().mapping(TileConfig.Mapping.UNIPOLAR_OFFSET).build(),
                    exact().multi(3, 4).build(),
                };
                for (TileConfig cfg : cfgs) {
                    double eps = mvmError(m, signed, cfg, rram, x);
                    assertEquals(0, eps, 1e-5, cfg.mapping() + " g=" + g[0] + ".." + g[1]);
                }
                TileConfig unipolar = exact().mapping(TileConfig.Mapping.UNIPOLAR).build();
                assertEquals(0, mvmError(m, positive, unipolar, rram, x), 1e-5, "UNIPOLAR g=" + g[0]);
                assertEquals(0, mvmError(m, positive.neg(), unipolar, rram, x), 1e-5, "UNIPOLAR negative");
            }
        }
    }


    @Test
    void targetsSpanGMinToGMaxAndTheInactiveDeviceSitsAtGMin() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, -0.5f, 0f}, new Shape(1, 3)); // one output, three inputs
            try (AnalogMatrix a = new AnalogMatrix(w, null, exact().build())) {
                RramModel rram = noVariation(10, 100);
                NDArray t = a.targetConductances(rram); // [1, 1, 2, 3, 1]
                float[] v = t.toFloatArray();
                // G+ for w = 1, −0.5, 0; then G− for the same
                float[] expected = {100f, 10f, 10f, 10f, 55f, 10f};
                for (int i = 0; i < v.length; i++) {
                    assertEquals(expected[i], v[i], 1e-4, "device " + i);
                }
                a.program(rram);
                a.driftTo(0);
                NDArray rec = a.reconstructWeight(a.effective(a.driftedConductances()));
                assertEquals(1f, rec.getFloat(0, 0), 1e-6);
                assertEquals(-0.5f, rec.getFloat(0, 1), 1e-6);
                assertEquals(0f, rec.getFloat(0, 2), 1e-6);
            }
        }
    }
}
