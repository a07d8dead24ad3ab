package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.AnalogConv2d;
import dev.aimc.nn.Conv2d;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.Test;

/** Issue 12, item 7: iterative bound management, least-significant-pair-first filling and aihwkit's presets. */
class PeripheryOptionsTest {

    /** One tile, no input scaling, a fine DAC, a 12-bit ADC of range 2, no noise. */
    private static TileConfig.Builder saturating() {
        return TileConfig.builder().tileSize(16, 4).inputBits(12).outputBits(12).outputRange(2)
                .inputScaling(TileConfig.InputScaling.NONE);
    }

    private static float[] forward(NDManager m, NDArray w, TileConfig cfg, NDArray x) {
        try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
            a.program(TestDevices.ideal());
            a.driftTo(0);
            return a.forward(x).toFloatArray();
        }
    }

    @Test
    void iterativeBoundManagementRereadsSaturatedVectorsWithHalvedInputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.ones(new Shape(2, 8)); // two outputs, eight inputs, s = 1
            // sample 0: tile output 8 (saturates at 2 until the input is divided by 8: 8 → 4 → 2 (= bound) → 1);
            // sample 1: output 1, never saturates
            NDArray x = m.create(new float[] {1, 1, 1, 1, 1, 1, 1, 1, .125f, .125f, .125f, .125f, .125f, .125f,
                .125f, .125f}, new Shape(2, 8));
            float[] none = forward(m, w, saturating().build(), x);
            assertArrayEquals(new float[] {2, 2, 1, 1}, none, 1e-3f);
            TileConfig bm = saturating().boundManagement(TileConfig.BoundManagement.ITERATIVE).build();
            assertFalse(new AnalogMatrix(w, null, bm).integerUnits(), "bound management runs stepwise");
            float[] managed = forward(m, w, bm, x);
            assertArrayEquals(new float[] {8, 8, 1, 1}, managed, 0.01f); // the 12-bit DAC rounds u/8 to 256/2047
        }
    }

    @Test
    void boundManagementStopsAtTheCoarsestEffectiveInputStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.ones(new Shape(1, 16));
            NDArray x = m.full(new Shape(1, 16), 6.25f); // tile output 100 with inputs unscaled (range 8 DAC)
            // 8-bit DAC of range 8: Δin = 8/127; 2^k·Δin ≤ 0.25 allows no halving at all (2·8/127 = 0.126 ≤ 0.25,
            // 4·8/127 = 0.252 > 0.25): one re-read at factor 2, still saturated → 2·2 = 4
            TileConfig cfg = saturating().inputBits(8).inputRange(8)
                    .boundManagement(TileConfig.BoundManagement.ITERATIVE).build();
            assertEquals(4f, forward(m, w, cfg, x)[0], 1e-5f);
        }
    }

    @Test
    void boundManagementAppliesToConvolutionsPerImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(m, 2, 1, 3, 1, 0, false);
            InPlace.assign(conv.weight(), m.ones(new Shape(1, 2, 3, 3)).toFloatArray()); // output = Σ of 18 inputs
            NDArray x = m.full(new Shape(1, 2, 4, 4), 0.5f); // every output 9
            TileConfig cfg = saturating().tileSize(18, 4).outputRange(4)
                    .boundManagement(TileConfig.BoundManagement.ITERATIVE).build();
            try (AnalogConv2d a = new AnalogConv2d(conv, cfg)) {
                a.program(TestDevices.ideal());
                a.driftTo(0);
                for (float v : a.forward(x, false).toFloatArray()) {
                    assertEquals(9f, v, 0.01f); // 9 → 4.5 (saturated at 4) → 2.25, times 4 (DAC rounding ±0.01)
                }
            }
        }
    }

    @Test
    void leastSignificantPairFirstFillingStillRepresentsTheWeightExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(4);
            NDArray w = m.randomUniform(-1f, 1f, new Shape(3, 10));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(5, 10));
            TileConfig.Builder b = TileConfig.builder().tileSize(16, 4).inputBits(20).outputBits(20).outputRange(40)
                    .inputScaling(TileConfig.InputScaling.NONE).multi(2, 4);
            TileConfig lsb = b.filling(TileConfig.Filling.LSB_FIRST).build();
            TileConfig msb = b.filling(TileConfig.Filling.MSB_FIRST).build();
            float[] want = x.matMul(w.transpose()).toFloatArray();
            assertArrayEquals(want, forward(m, w, lsb, x), 1e-4f);
            assertArrayEquals(want, forward(m, w, msb, x), 1e-4f);
            try (AnalogMatrix a = new AnalogMatrix(w, null, lsb); AnalogMatrix c = new AnalogMatrix(w, null, msb)) {
                // planes: pair 0 (f = 1) G+, G−, pair 1 (f = 4) G+, G−: LSB-first puts more into pair 0
                double lsbLow = a.normalizedTargets().get(":, :, 0:2").sum().getFloat();
                double msbLow = c.normalizedTargets().get(":, :, 0:2").sum().getFloat();
                assertTrue(lsbLow > msbLow, lsbLow + " vs " + msbLow);
                // |w|·F = |w|·5 ≥ 1 saturates the f = 1 pair first: it holds min(1, 5|w|)
                float w00 = Math.abs(w.getFloat(0, 0));
                float g0 = a.normalizedTargets().get(0, 0, w.getFloat(0, 0) >= 0 ? 0 : 1, 0, 0).getFloat();
                assertEquals(Math.min(1f, 5 * w00 / Math.abs(w.get("0").abs().max().getFloat())), g0, 1e-5f);
            }
        }
    }

    private static float[] conv(NDManager m, Conv2d c, TileConfig cfg, NDArray x) {
        try (AnalogConv2d a = new AnalogConv2d(c, cfg)) {
            a.program(TestDevices.ideal());
            a.driftTo(0);
            return a.forward(x, false).toFloatArray();
        }
    }

    private static double relError(float[] got, float[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (double) (got[i] - want[i]);
            den += want[i] * (double) want[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void perPatchInputScalingIsExactWithFineConvertersAndFinerThanPerImageWithCoarseOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d c = new Conv2d(m, 3, 4, 3, 2, 1, true); // stride 2, padding 1: the im2col geometry matters
            NDArray x = dev.aimc.util.RandomStream.of(5).uniform(m, -1f, 1f, new Shape(2, 3, 9, 9));
            float[] digital = c.forward(x, false).toFloatArray();
            TileConfig.Builder fine = TileConfig.builder().tileSize(18, 4).inputBits(24).outputBits(24).outputRange(64)
                    .convScaling(TileConfig.ConvScaling.PER_PATCH); // 2 channels per tile: 2 row-tiles
            assertArrayEquals(digital, conv(m, c, fine.build(), x), 1e-4f);
            // one bright pixel per image: per image, every other patch is quantized against it
            x.set(new ai.djl.ndarray.index.NDIndex("0, 0, 4, 4"), 40f);
            x.set(new ai.djl.ndarray.index.NDIndex("1, 1, 2, 6"), -40f);
            float[] want = c.forward(x, false).toFloatArray();
            TileConfig.Builder coarse = TileConfig.builder().tileSize(27, 4).inputBits(4).outputBits(20)
                    .outputRange(256);
            double perImage = relError(conv(m, c, coarse.build(), x), want);
            double perPatch = relError(conv(m, c, coarse.convScaling(TileConfig.ConvScaling.PER_PATCH).build(), x),
                    want);
            assertTrue(perPatch < 0.5 * perImage, "per patch " + perPatch + " vs per image " + perImage);
        }
    }

    @Test
    void aihwkitPresetHasItsIoParameterDefaults() {
        TileConfig t = TileConfig.aihwkitInference();
        // inp_res 1/(2^7 − 2): 7-bit DAC over ±1; out_res 1/(2^9 − 2): 9-bit ADC over ±12; out_noise 0.06
        assertEquals(7, t.inputBits());
        assertEquals(1.0, t.inputRange());
        assertEquals(2.0 / (Math.pow(2, 7) - 2), t.inputStep(), 1e-15);
        assertEquals(9, t.outputBits());
        assertEquals(12.0, t.outputRange());
        assertEquals(2.0 * 12 / (Math.pow(2, 9) - 2), t.outputStep(), 1e-12);
        assertEquals(0.06, t.outputNoise());
        assertEquals(TileConfig.InputScaling.ABS_MAX, t.inputScaling());
        assertEquals(TileConfig.BoundManagement.ITERATIVE, t.boundManagement());
        assertEquals(512, t.maxRows());
        assertEquals(512, t.maxCols());
    }
}
