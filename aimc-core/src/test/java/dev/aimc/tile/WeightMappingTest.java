package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every mapping's targets lie in [0, 1] and combine back into the weight: gain · Σ_d c_d·t_d (− reference). */
class WeightMappingTest {

    private static float[] combine(WeightMapping map, WeightMapping.Mapped m) {
        NDArray t = m.targets(); // [R, C, D, rows, deviceCols]
        NDArray sum = null;
        for (int d = 0; d < m.coefficients().length; d++) {
            NDArray plane = t.get(":, :, " + d).mul(m.coefficients()[d]);
            sum = sum == null ? plane : sum.add(plane);
        }
        if (map.referenceColumn()) {
            long cols = sum.getShape().get(3) - 1;
            sum = sum.get("..., 0:" + cols).sub(sum.get("..., " + cols + ":"));
        }
        return sum.mul(m.gain()).toFloatArray();
    }

    @Test
    void everyMappingReproducesTheNormalizedWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wn = RandomStream.of(3).uniform(m, -1f, 1f, new Shape(2, 3, 5, 4));
            for (WeightMapping map : List.of(new WeightMapping.Differential(), new WeightMapping.UnipolarOffset(),
                    new WeightMapping.MultiPair(List.of(1.0, 2.0, 4.0), TileConfig.Filling.MSB_FIRST),
                    new WeightMapping.MultiPair(List.of(1.0, 2.0, 4.0), TileConfig.Filling.LSB_FIRST))) {
                WeightMapping.Mapped r = map.map(wn, wn);
                float[] t = r.targets().toFloatArray();
                for (float v : t) {
                    assertTrue(v >= 0 && v <= 1, map + ": target " + v + " outside [0, 1]");
                }
                assertArrayEquals(wn.toFloatArray(), combine(map, r), 2e-6f, map.toString());
            }
            NDArray pos = wn.abs();
            WeightMapping uni = new WeightMapping.Unipolar();
            assertArrayEquals(pos.toFloatArray(), combine(uni, uni.map(pos, pos)), 0f);
            assertArrayEquals(pos.neg().toFloatArray(), combine(uni, uni.map(pos, pos.neg())), 0f);
            assertThrows(ConfigException.class, () -> uni.map(wn, wn));
            assertEquals(2, new WeightMapping.Differential().map(wn, wn).coefficients().length);
        }
    }
}
