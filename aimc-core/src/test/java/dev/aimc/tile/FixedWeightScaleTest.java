package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import org.junit.jupiter.api.Test;

/** {@link TileConfig.WeightScaling#FIXED}: one weight scale s = W on every tile, whatever the tile's weights. */
class FixedWeightScaleTest {

    private static final float[] W = {0.25f, -0.5f, 0.125f, 0f, 0.375f, -0.25f}; // [2 out, 3 in], max|w| = 0.5

    @Test
    void fixedScaleMapsWeightsAtWOverGMaxAndReconstructsThemExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(W, new Shape(2, 3));
            TileConfig cfg = TileConfig.builder().tileSize(2, 1).fixedWeightScale(2.0).build();
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                // every tile's scale is 2, not its max|w| (0.5, 0.25, 0.375, ...)
                for (float s : a.digitalScale().toFloatArray()) {
                    assertEquals(2f, s);
                }
                // the largest weight 0.5 sits at a quarter of g_max: target w/W
                assertEquals(0.25f, a.normalizedTargets().abs().max().getFloat());
                a.program(TestDevices.ideal());
                a.driftTo(1);
                NDArray back = a.reconstructWeight(a.readEffective(m));
                float[] got = back.toFloatArray();
                for (int i = 0; i < W.length; i++) {
                    assertEquals(W[i], got[i], 1e-7, "weight " + i);
                }
            }
            // per-tile scaling puts each tile's largest weight at g_max instead
            TileConfig perTile = TileConfig.builder().tileSize(2, 1).weightScaling(TileConfig.WeightScaling.PER_TILE)
                    .build();
            try (AnalogMatrix a = new AnalogMatrix(w, null, perTile)) {
                assertEquals(1f, a.normalizedTargets().abs().max().getFloat());
            }
        }
    }

    @Test
    void weightsBeyondTheFixedScaleClipAtGMax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(W, new Shape(2, 3));
            TileConfig cfg = TileConfig.builder().fixedWeightScale(0.25).build();
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(TestDevices.ideal());
                a.driftTo(1);
                float[] got = a.reconstructWeight(a.readEffective(m)).toFloatArray();
                assertEquals(-0.25f, got[1], 1e-7); // −0.5 clipped to −W
                assertEquals(0.25f, got[4], 1e-7); // 0.375 clipped to W
                assertEquals(0.125f, got[2], 1e-7);
            }
        }
    }

    @Test
    void fixedScalingNeedsItsScaleAndOnlyIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TileConfig.builder().weightScaling(TileConfig.WeightScaling.FIXED).build());
        assertTrue(e.getMessage().startsWith("weight-scale"), e.getMessage());
        assertThrows(ConfigException.class, () -> TileConfig.builder().fixedWeightScale(Double.NaN).build());
        TileConfig c = TileConfig.builder().fixedWeightScale(0.75).build();
        assertEquals(0.75, c.weightScale());
        assertEquals(0.75, c.toMap().get("weightScale"));
        assertEquals(c, c.toBuilder().build());
        // switching back to a computed scale drops the fixed value
        assertEquals(0.0, c.toBuilder().weightScaling(TileConfig.WeightScaling.PER_TILE).build().weightScale());
    }
}
