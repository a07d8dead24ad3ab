package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Linear;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TestDevices;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.Gradients;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-tile sign constraint of a uniform layer and its weights on per-tile-sign inference tiles. */
class TileSignsTest {

    @Test
    void projectionHoldsEachTileToItsSign() {
        try (NDManager m = NDManager.newBaseManager()) {
            // [out 2, in 4] on tiles of 2 inputs × 1 output: row-tile 0 = inputs 0, 1; column-tile c = output c
            NDArray w = m.create(new float[] {0.5f, -0.25f, 0.75f, -1f, -0.5f, 0.25f, -0.75f, 1f}, new Shape(2, 4));
            TileSigns s = TileSigns.parse("--tile-signs", 2, 1, "+-/0+");
            assertEquals("+-/0+", s.label());
            assertArrayEquals(new float[] {0.5f, 0f, 0.75f, -1f, -0.5f, 0f, 0f, 1f}, s.project(w).toFloatArray());
            ConfigException e = assertThrows(ConfigException.class, () -> TileSigns.parse("--tile-signs", 2, 1,
                    "+x"));
            assertTrue(e.getMessage().startsWith("--tile-signs"), e.getMessage());
            assertThrows(ConfigException.class, () -> TileSigns.parse("--tile-signs", 2, 1, "+-/0"));
            assertThrows(ConfigException.class, () -> TileSigns.parse("--tile-signs", 2, 1, "+").project(w));
        }
    }

    /**
     * Regression test: maximum and minimum keep their bounds for the backward pass, which runs after the projection
     * has closed its temporaries. The bounds were made by {@code create(float[])}, which wraps a Java direct buffer
     * (torch from_blob) that only the closed array kept alive; once a garbage collection freed it, the backward pass
     * read reused memory, and the gradient of a one-signed tile changed with the collector's timing (the tiny HAR
     * arch-search of ArchSearchCommandTest: its one-signed candidate 0.912 in one run, 0.892 in the next).
     */
    @Test
    void theProjectionsGradientSurvivesGarbageCollectionOfDirectBuffers() {
        int out = 32;
        int in = 64; // bounds of 8 KiB: freed to the allocator's bins, not a thread cache, and reused below
        Random r = new Random(7);
        float[] v = new float[out * in];
        for (int k = 0; k < v.length; k++) {
            v[k] = (r.nextBoolean() ? 1 : -1) * (0.125f + r.nextFloat()); // no zeros: no ties at the bounds
        }
        TileSigns s = TileSigns.parse("--tile-signs", 32, 16, "+-/0+"); // tiles of 32 inputs × 16 outputs
        float[] want = new float[v.length]; // d Σ project(w) / dw: 1 where kept, 0 where held at 0
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                int sg = s.signs()[i / 32][o / 16];
                want[o * in + i] = sg * v[o * in + i] < 0 ? 0f : 1f;
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(v, new Shape(out, in)).mul(1f);
            w.setRequiresGradient(true);
            List<NDArray> churn = new ArrayList<>();
            try (Gradients g = Gradients.record()) {
                NDArray loss = s.project(w).sum();
                for (int i = 0; i < 20; i++) {
                    System.gc();
                    float[] junk = new float[v.length];
                    Arrays.fill(junk, 1e31f);
                    churn.add(m.create(junk)); // reuses freed direct memory of the bounds' size
                }
                g.backward(loss);
            }
            assertArrayEquals(want, w.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void signedTilesOfAUniformLayerMapOnOneDevicePerWeightAndReconstructExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(4);
            Linear lin = new Linear(m, 8, 6, false);
            double wr = lin.weight().abs().max().getFloat();
            UniformScaling us = UniformScaling.of(2, CellLevels.Polarity.BIPOLAR, wr, 8, 4, 8, 16, 0);
            // tiles of 4 inputs × 3 outputs: (0,0) +, (0,1) −, (1,0) bipolar, (1,1) +
            TileSigns signs = TileSigns.parse("--tile-signs", 4, 3, "+-/0+");
            UniformLinear u = new UniformLinear(lin, us, signs);
            float[] q = u.quantizedWeight(m).toFloatArray(); // [out 6, in 8]
            for (int o = 0; o < 6; o++) {
                for (int i = 0; i < 8; i++) {
                    int sg = signs.signs()[i / 4][o / 3];
                    float v = q[o * 8 + i];
                    assertTrue(sg == 0 || v * sg >= 0, "tile sign " + sg + " at " + o + "," + i + ": " + v);
                }
            }
            // on tiles of the same size with per-tile signs and the fixed scale W: exactly these weights
            TileConfig cfg = TileConfig.builder().tileSize(4, 3).mapping(TileConfig.Mapping.PER_TILE_SIGN)
                    .fixedWeightScale(wr).build();
            NDArray qw = u.quantizedWeight(m);
            try (AnalogMatrix a = new AnalogMatrix(qw, null, cfg)) {
                NDArray t = a.normalizedTargets(); // [R, C, 2, rows, cols]
                assertEquals(0f, t.get("0, 0, 1").abs().sum().getFloat(), "+ tile: one device per weight");
                assertEquals(0f, t.get("0, 1, 1").abs().sum().getFloat(), "− tile: one device per weight");
                a.program(TestDevices.ideal());
                a.driftTo(1);
                assertArrayEquals(q, a.reconstructWeight(a.readEffective(m)).toFloatArray(), 1e-6f);
            }
            assertThrows(ConfigException.class, () -> new UniformLinear(lin, UniformScaling.of(2,
                    CellLevels.Polarity.POSITIVE, wr, 8, 4, 8, 16, 0), signs));
        }
    }
}
