package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.WeightMapping;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bit-sliced b-bit cells and CorrectNet's log-normal variation on tiles. */
class BitSlicedVariationTest {

    @Test
    void slicesHoldBaseTwoToTheBDigitsOfTheQuantizedMagnitude() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1-bit cells, 2 slices: q = round(|w|·3); 0.4 → 1 (slice 0), −1 → 3 (both slices, minus devices)
            NDArray wn = m.create(new float[] {0.4f, -1f, 0.5f, 0f}, new Shape(1, 1, 1, 4));
            WeightMapping.Mapped r = new WeightMapping.BitSliced(2, 1).map(wn, wn);
            float[] t = r.targets().toFloatArray(); // [1, 1, 4 planes, 1, 4]: +0, −0, +1, −1
            assertArrayEquals(new float[] {1, 0, 0, 0, /* −0 */ 0, 1, 0, 0, /* +1 */ 0, 0, 1, 0, /* −1 */ 0, 1, 0, 0},
                    t, 0f);
            assertArrayEquals(new float[] {1, -1, 2, -2}, r.coefficients(), 0f);
            assertEquals(1f / 3, r.gain(), 0f);
        }
    }

    @Test
    void everyCellResolutionReproducesTheQuantizedWeight() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wn = RandomStream.of(5).uniform(m, -1f, 1f, new Shape(2, 1, 7, 3));
            float[] w = wn.toFloatArray();
            for (int b = 1; b <= 4; b++) {
                for (int p = 1; p <= 3; p++) {
                    WeightMapping.Mapped r = new WeightMapping.BitSliced(p, b).map(wn, wn);
                    int levels = (1 << b) - 1;
                    for (float v : r.targets().toFloatArray()) { // every device on one of its 2^b levels
                        assertEquals(Math.round(v * levels), v * levels, 1e-4, "b=" + b + " p=" + p);
                    }
                    double top = Math.pow(2, b * p) - 1;
                    float[] got = combine(r);
                    for (int i = 0; i < w.length; i++) {
                        double want = Math.signum(w[i]) * Math.round(Math.abs(w[i]) * top) / top;
                        assertEquals(want, got[i], 2e-6, "b=" + b + " p=" + p + " w=" + w[i]);
                    }
                }
            }
        }
    }

    private static float[] combine(WeightMapping.Mapped m) {
        NDArray t = m.targets();
        NDArray sum = null;
        for (int d = 0; d < m.coefficients().length; d++) {
            NDArray plane = t.get(":, :, " + d).mul(m.coefficients()[d]);
            sum = sum == null ? plane : sum.add(plane);
        }
        return sum.mul(m.gain()).toFloatArray();
    }

    @Test
    void sigmaZeroRealizesTheQuantizedWeightsExactlyAndOneSliceVariesAsWTimesExpTheta() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = RandomStream.of(1).uniform(m, -1f, 1f, new Shape(64, 80));
            float[] wv = w.toFloatArray();
            // σ = 0, 2-bit cells × 4 slices (9-bit weights): one column's max|w| is full scale
            RramVariation hw = RramVariation.of(0, 2, 9);
            float[] q = realized(hw, w, 3);
            float[] again = realized(hw, w, 4);
            assertArrayEquals(q, again, 0f, "σ = 0 draws nothing: every chip is the same");
            float[] colMax = new float[64];
            for (int o = 0; o < 64; o++) {
                for (int i = 0; i < 80; i++) {
                    colMax[o] = Math.max(colMax[o], Math.abs(wv[o * 80 + i]));
                }
            }
            for (int k = 0; k < wv.length; k++) {
                double s = colMax[k / 80];
                double want = s * Math.signum(wv[k]) * Math.round(Math.abs(wv[k]) / s * 255) / 255;
                assertEquals(want, q[k], 2e-6, "weight " + k);
            }
            // one slice of 4-bit cells (5-bit weights): w' = w_q·e^θ, ln(w'/w_q) ~ N(0, σ²)
            RramVariation one = RramVariation.of(0.3, 4, 5);
            float[] q1 = realized(one.withSigma(0), w, 0);
            float[] v1 = realized(one, w, 0);
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int k = 0; k < q1.length; k++) {
                if (q1[k] != 0) {
                    double th = Math.log(v1[k] / q1[k]);
                    sum += th;
                    sq += th * th;
                    n++;
                } else {
                    assertEquals(0f, v1[k], 0f, "a zero weight stays zero (g_min = 0)");
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(sq / n - mean * mean);
            assertTrue(n > 4000, "n " + n);
            assertEquals(0, mean, 0.02, "mean of θ");
            assertEquals(0.3, std, 0.01, "std of θ");
        }
    }

    /** The weight matrix realized by one chip (seed) of {@code hw}. */
    private static float[] realized(RramVariation hw, NDArray w, long seed) {
        try (AnalogMatrix mx = new AnalogMatrix(w, null, hw.tileConfig())) {
            mx.program(hw.device(), RandomStream.of(seed));
            mx.driftTo(0);
            try (NDManager t = w.getManager().newSubManager()) {
                return mx.reconstructWeight(mx.readEffective(t)).toFloatArray();
            }
        }
    }

    @Test
    void perLayerAdcResolutionReachesTheLayersTiles() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 0);
            RramVariation hw = RramVariation.of(0.1, 2, 9).withLayerAdcBits(Map.of("3", 5))
                    .withLayer("7", new RramVariation.LayerBits(1, 5, 6));
            try (AnalogNetwork an = hw.convert(net)) {
                assertEquals(5, an.analogLayers().get("3").matrix().config().outputBits());
                assertEquals(8, an.analogLayers().get("0").matrix().config().outputBits());
                assertEquals(List.of(1.0, 4.0, 16.0, 64.0), an.analogLayers().get("0").matrix().config().significance());
                TileConfig fc = an.analogLayers().get("7").matrix().config();
                assertEquals(TileConfig.Filling.BIT_SLICED, fc.filling());
                assertEquals(List.of(1.0, 2.0, 4.0, 8.0), fc.significance(), "1-bit cells × 4 slices");
                assertEquals(6, fc.outputBits());
                assertEquals(12.0 * 15, fc.outputRange(), 0, "ADC range × F = 1 + 2 + 4 + 8");
            }
            assertTrue(assertThrows(ConfigException.class, () -> hw.withLayerAdcBits(Map.of("3", 1))).getMessage()
                    .startsWith("--layer-adc-bits 3 must be in [2, 24]"));
            ConfigException e = assertThrows(ConfigException.class,
                    () -> hw.withLayerAdcBits(Map.of("2", 6)).convert(net));
            assertTrue(e.getMessage().startsWith("--layer must name an analog Linear/Conv2d path"), e.getMessage());
        }
    }

    @Test
    void badSettingsNameTheirOption() {
        assertTrue(assertThrows(ConfigException.class, () -> RramVariation.of(-0.1, 2, 9)).getMessage()
                .startsWith("--sigma must be"));
        assertTrue(assertThrows(ConfigException.class, () -> RramVariation.of(0.1, 0, 9)).getMessage()
                .startsWith("--cell-bits must be in [1, 4]"));
        assertTrue(assertThrows(ConfigException.class, () -> RramVariation.of(0.1, 5, 9)).getMessage()
                .startsWith("--cell-bits must be in [1, 4]"));
        assertTrue(assertThrows(ConfigException.class, () -> RramVariation.of(0.1, 1, 10)).getMessage()
                .startsWith("--weight-bits must be in [2, 9]"));
        assertThrows(ConfigException.class, () -> TileConfig.builder().multi(2, 3).cellBits(1)
                .filling(TileConfig.Filling.BIT_SLICED).build());
        assertThrows(ConfigException.class, () -> TileConfig.builder().filling(TileConfig.Filling.BIT_SLICED)
                .build());
        assertEquals(List.of(1.0, 4.0, 16.0), TileConfig.builder().bitSliced(3, 2).build().significance());
    }
}
