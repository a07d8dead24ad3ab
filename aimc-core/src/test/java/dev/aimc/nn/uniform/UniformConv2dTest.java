package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.tile.Im2col;
import dev.aimc.tile.TestDevices;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link UniformConv2d}: the uniform linear on the im2col patches, weights on the cells' levels, straight-through
 * gradients, one-signed tiles, and a LeNet-5 design that round-trips through its record onto ideal inference tiles.
 */
class UniformConv2dTest {

    /**
     * A design on which every value is an integer: 1-bit cells over W = 1 (weights −1, 0, 1), a 3-bit DAC over
     * ±3 (step 1) and a 4-bit ADC over ±7 (step 1), so both forwards are exact in float32.
     */
    private static final UniformScaling INTEGER = UniformScaling.of(1, CellLevels.Polarity.BIPOLAR, 1.0, 3, 3.0, 4,
            7.0, 0);

    private static Conv2d conv(NDManager m, int in, int out, int k, int pad, float scale) {
        Conv2d c = new Conv2d(m, in, out, k, 1, pad, true);
        Rng.seed(5);
        c.weight().set(m.randomNormal(c.weight().getShape()).mul(scale).toFloatArray());
        c.bias().set(m.arange(out).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(0.5f).toFloatArray());
        return c;
    }

    /** Integer inputs in [−4, 4] (some clipped by the DAC's ±3). */
    private static NDArray integerInputs(NDManager m, Shape s) {
        Rng.seed(6);
        return m.randomInteger(-4, 5, s, ai.djl.ndarray.types.DataType.INT32).toType(
                ai.djl.ndarray.types.DataType.FLOAT32, false);
    }

    @Test
    void forwardIsTheUniformLinearOnTheIm2colPatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d c = conv(m, 2, 3, 3, 1, 0.8f);
            NDArray x = integerInputs(m, new Shape(2, 2, 5, 5));
            float[] got = new UniformConv2d(c, INTEGER).forward(x, false).toFloatArray();
            Linear l = new Linear(m, 18, 3, true);
            l.weight().set(c.weight().toFloatArray());
            l.bias().set(c.bias().toFloatArray());
            Im2col.Unfolded u = Im2col.unfold(x, 3, 1, 1);
            float[] want = u.fold(new UniformLinear(l, INTEGER).forward(u.rows(), false)).toFloatArray();
            assertArrayEquals(want, got, 0f);
            // the converters act: the ADC saturates some outputs at ±7 (+ bias) and the output is not the float one
            float[] plain = c.forward(x, false).toFloatArray();
            assertTrue(!Arrays.equals(plain, got));
            float lo = Float.MAX_VALUE;
            for (int i = 0; i < got.length; i++) {
                lo = Math.min(lo, got[i] - 0.5f * ((i / 25) % 3));
            }
            assertEquals(-7f, lo, 0f, "saturated at the ADC's −R");
        }
    }

    @Test
    void quantizedWeightsLieOnTheCellLevels() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (CellLevels.Polarity p : new CellLevels.Polarity[] {CellLevels.Polarity.BIPOLAR,
                    CellLevels.Polarity.POSITIVE}) {
                for (int bits : new int[] {2, 4}) {
                    UniformScaling s = UniformScaling.of(bits, p, 0.5, 8, 1, 8, 4, 0);
                    float[] q = new UniformConv2d(conv(m, 3, 4, 3, 0, 0.3f), s).quantizedWeight(m).toFloatArray();
                    float[] levels = s.weights().values();
                    java.util.Set<Float> seen = new java.util.TreeSet<>();
                    for (float v : q) {
                        float z = v + 0f; // −0 as 0
                        assertTrue(Arrays.binarySearch(levels, z) >= 0, p + " " + bits + ": " + v);
                        seen.add(z);
                    }
                    int most = p == CellLevels.Polarity.BIPOLAR ? 2 * (1 << bits) - 1 : 1 << bits;
                    assertEquals(most, levels.length);
                    assertTrue(seen.size() > 2 && seen.size() <= most, seen.toString());
                }
            }
        }
    }

    @Test
    void gradientPassesStraightThroughInsideTheRangeAndStopsWhereTheWeightClips() {
        try (NDManager m = NDManager.newBaseManager()) {
            Conv2d c = conv(m, 2, 3, 3, 1, 0.8f); // some |w| > W = 1
            // wide converters: nothing saturates, the integer inputs pass the 8-bit DAC exactly
            UniformScaling s = UniformScaling.of(1, CellLevels.Polarity.BIPOLAR, 1.0, 8, 127, 24, 1e4, 0);
            NDArray x = integerInputs(m, new Shape(2, 2, 5, 5));
            float[] w = c.weight().toFloatArray();
            c.weight().setRequiresGradient(true);
            UniformConv2d u = new UniformConv2d(c, s);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(u.forward(x, true).sum());
            }
            float[] g = c.weight().getGradient().toFloatArray();
            // the gradient of Σ conv(x, w) with respect to w: Σ over positions of the input each weight sees
            Conv2d ref = new Conv2d(m, 2, 3, 3, 1, 1, false);
            ref.weight().setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(ref.forward(x, true).sum());
            }
            float[] want = ref.weight().getGradient().toFloatArray();
            int clipped = 0;
            for (int i = 0; i < w.length; i++) {
                boolean in = Math.abs(w[i]) <= 1;
                clipped += in ? 0 : 1;
                assertEquals(in ? want[i] : 0f, g[i], 1e-4f, "weight " + i + " = " + w[i]);
            }
            assertTrue(clipped > 0 && clipped < w.length, "some weights clipped: " + clipped);
        }
    }

    @Test
    void oneSignedTilesHoldNonNegativeOrNonPositiveWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            // positive-only polarity: every weight ≥ 0
            UniformScaling pos = UniformScaling.of(2, CellLevels.Polarity.POSITIVE, 0.5, 8, 1, 8, 4, 0);
            for (float v : new UniformConv2d(conv(m, 3, 4, 3, 0, 0.3f), pos).quantizedWeight(m).toFloatArray()) {
                assertTrue(v >= 0, "" + v);
            }
            // per-tile signs on the unrolled matrix: 60 channels of 3 × 3 are two row-tiles of 56 and 4 channels
            assertEquals(504, TileSigns.rowsPerTile(512, 3));
            UniformScaling bi = UniformScaling.of(2, CellLevels.Polarity.BIPOLAR, 0.5, 8, 1, 8, 4, 0);
            TileSigns ts = TileSigns.parse("t", 504, 512, "+/-");
            NDArray q = new UniformConv2d(conv(m, 60, 4, 3, 1, 0.3f), bi, ts).quantizedWeight(m);
            float[] first = q.get(":, 0:56").toFloatArray();
            float[] rest = q.get(":, 56:").toFloatArray();
            assertTrue(first.length == 4 * 56 * 9 && rest.length == 4 * 4 * 9);
            int pos1 = 0;
            int neg2 = 0;
            for (float v : first) {
                assertTrue(v >= 0, "" + v);
                pos1 += v > 0 ? 1 : 0;
            }
            for (float v : rest) {
                assertTrue(v <= 0, "" + v);
                neg2 += v < 0 ? 1 : 0;
            }
            assertTrue(pos1 > 0 && neg2 > 0);
            // signs that do not fit the layer's tiles, or with a one-signed polarity, are one-line errors
            assertThrows(ConfigException.class, () -> new UniformConv2d(conv(m, 60, 4, 3, 1, 0.3f), bi,
                    TileSigns.parse("t", 504, 512, "+")).quantizedWeight(m));
            assertThrows(ConfigException.class, () -> new UniformConv2d(conv(m, 3, 4, 3, 0, 0.3f), pos,
                    TileSigns.parse("t", 504, 512, "+")));
        }
    }

    @Test
    void lenet5DesignRoundTripsThroughItsRecordOntoIdealTiles() {
        for (CellLevels.Polarity pol : new CellLevels.Polarity[] {CellLevels.Polarity.BIPOLAR,
                CellLevels.Polarity.POSITIVE}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(11);
                NDArray cal = m.randomNormal(new Shape(16, 3, 32, 32));
                NDArray x = m.randomNormal(new Shape(4, 3, 32, 32));
                Module net = Models.create("lenet5", m, 3);
                Map<String, String> signs = pol == CellLevels.Polarity.BIPOLAR ? Map.of("0", "-") : Map.of();
                UniformTraining.Conversion c = UniformTraining.prepare(net, new UniformTraining.Options(
                        ConverterDesign.UNIFORM, 2, pol, 8, 8, null, null, null, 0, signs), null, cal);
                assertTrue(c.net().module("0") instanceof UniformConv2d && UniformTraining.isUniform(c.net()));
                assertEquals(5, c.layers().size(), "2 convolutions and 3 fully connected layers");
                float[] want = AnalogNetwork.inference(() -> c.net().forward(x, false)).toFloatArray();
                Map<String, Object> rec = c.toMap();
                // the record converts a fresh network (same seed: same latent weights) to the same forward
                Module again = UniformTraining.prepare(Models.create("lenet5", m, 3), null, rec, null).net();
                assertArrayEquals(want, AnalogNetwork.inference(() -> again.forward(x, false)).toFloatArray(), 0f);
                // the plain network deployed onto its design's tiles computes the same on an ideal device
                Module plain = Models.create("lenet5", m, 3);
                UniformTraining.deploy(plain, rec);
                if (pol == CellLevels.Polarity.BIPOLAR) {
                    assertTrue(plain.module("0").parameter("weight").max().getFloat() <= 0, "tile '-'");
                }
                Map<String, TileConfig> tiles = UniformTraining.tileConfigs(rec);
                assertEquals(pol == CellLevels.Polarity.BIPOLAR ? TileConfig.Mapping.PER_TILE_SIGN
                        : TileConfig.Mapping.UNIPOLAR, tiles.get("0").mapping());
                try (AnalogNetwork a = AnalogConverter.convert(plain, Set.of(), TileConfig.defaults(), tiles,
                        TestDevices.ideal())) {
                    a.program(0);
                    a.driftTo(1);
                    float[] got = a.forward(x).toFloatArray();
                    double worst = 0;
                    for (int i = 0; i < want.length; i++) {
                        worst = Math.max(worst, Math.abs(want[i] - got[i]));
                    }
                    assertTrue(worst < 1e-3, pol + ": max |Δ| = " + worst);
                }
            }
        }
    }
}
