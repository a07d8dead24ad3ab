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
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
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
