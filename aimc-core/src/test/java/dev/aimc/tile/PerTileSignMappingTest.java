package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link TileConfig.Mapping#PER_TILE_SIGN}: unipolar tiles (all weights ≥ 0 or all ≤ 0) on one device per weight with
 * the sign applied digitally, bipolar tiles on differential pairs, in one layer.
 */
class PerTileSignMappingTest {

    /** [out 4, in 4] on 2×2 tiles: tile (row-tile 0, col-tile 0) +, (0, 1) −, (1, 0) bipolar, (1, 1) +. */
    private static final float[] W = {
        // out 0, 1 (col-tile 0); in 0, 1 (row-tile 0) and in 2, 3 (row-tile 1)
        0.5f, 0.25f, -0.75f, 0.5f,
        0.125f, 0f, 0.25f, -0.5f,
        // out 2, 3 (col-tile 1)
        -0.5f, -1f, 0.25f, 0.5f,
        -0.25f, 0f, 0f, 0.75f};

    private static TileConfig cfg(TileConfig.Mapping map) {
        return TileConfig.builder().tileSize(2, 2).inputBits(24).outputBits(24).inputRange(16).outputRange(64)
                .inputScaling(TileConfig.InputScaling.NONE).mapping(map).fixedWeightScale(1.0).build();
    }

    @Test
    void signOfEachTileFromItsWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            TileGrid g = TileGrid.of(4, 4, 2, cfg(TileConfig.Mapping.PER_TILE_SIGN));
            int[][] s = WeightMapping.tileSigns(g.tiles(m.create(W, new Shape(4, 4))));
            assertArrayEquals(new int[] {1, -1}, s[0]);
            assertArrayEquals(new int[] {0, 1}, s[1]);
        }
    }

    @Test
    void mixedLayerReconstructsItsWeightsExactlyWithOneDevicePerWeightOnUnipolarTiles() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(W, new Shape(4, 4));
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg(TileConfig.Mapping.PER_TILE_SIGN))) {
                NDArray t = a.normalizedTargets(); // [R, C, 2, rows, cols]
                assertEquals(2, a.devicePlanes());
                // unipolar tiles use plane 0 only: their second device is absent
                assertEquals(0f, t.get("0, 0, 1").abs().sum().getFloat());
                assertEquals(0f, t.get("0, 1, 1").abs().sum().getFloat());
                assertEquals(0f, t.get("1, 1, 1").abs().sum().getFloat());
                // the negative tile holds |w| on its one device
                assertEquals(1f, t.get("0, 1, 0").max().getFloat());
                // the bipolar tile holds −0.75 and −0.5 on its second devices
                assertEquals(1.25f, t.get("1, 0, 1").sum().getFloat(), 1e-7);
                a.program(TestDevices.ideal());
                a.driftTo(1);
                assertArrayEquals(W, a.reconstructWeight(a.readEffective(m)).toFloatArray(), 1e-7f);
                NDArray x = m.randomUniform(-1f, 1f, new Shape(3, 4));
                assertArrayEquals(x.matMul(w.transpose()).toFloatArray(), a.forward(x).toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void absentDevicesAddNoReadNoise() {
        // a read-noisy device: a unipolar tile's weights see the noise of one device, a bipolar tile's of two; the
        // absent device of a unipolar tile must add none, so a zero weight there reads as exactly zero noise only from
        // plane 0
        try (NDManager m = NDManager.newBaseManager()) {
            float[] pos = {0.5f, 0.25f, 0.125f, 0f};
            NDArray w = m.create(pos, new Shape(2, 2));
            double unipolar = spread(m, w, TileConfig.Mapping.PER_TILE_SIGN);
            double pair = spread(m, w, TileConfig.Mapping.DIFFERENTIAL);
            // variance ratio of one device to two: 1/2 (std ratio 1/√2), to the sampling error of 4000 reads
            assertEquals(0.5, unipolar * unipolar / (pair * pair), 0.08);
        }
    }

    private static double spread(NDManager m, NDArray w, TileConfig.Mapping map) {
        try (AnalogMatrix a = new AnalogMatrix(w, null, cfg(map))) {
            a.program(TestDevices.readNoise(1f));
            a.driftTo(1);
            double ss = 0;
            int n = 0;
            for (int rep = 0; rep < 1000; rep++) {
                float[] got = a.reconstructWeight(a.readEffective(m, a.randomStream().split(rep))).toFloatArray();
                float[] want = w.toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    ss += (got[i] - want[i]) * (got[i] - want[i]);
                    n++;
                }
            }
            return Math.sqrt(ss / n);
        }
    }
}
