package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression test: a tensor made by {@code NDManager.create(float[])} wraps a Java direct buffer (torch
 * from_blob); a view of it (reshape) does not keep that buffer alive, so once the original array is closed and
 * the buffer collected, the view reads freed memory. The matrix's mapping coefficients were such a view: after
 * a GC the effective conductances (and every output) became garbage — denormals and 1e31s, which also made the
 * convolutions ~100× slower.
 */
class AnalogMatrixBufferLifetimeTest {

    @Test
    void outputsSurviveGarbageCollectionOfDirectBuffers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(5);
            NDArray w = m.randomUniform(-1f, 1f, new Shape(12, 20));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 20));
            TileConfig cfg = TileConfig.builder().tileSize(8, 8).build();
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(TestDevices.ideal());
                a.driftTo(0);
                float[] before = a.forward(x).toFloatArray();
                float[] coeffBefore = a.effective(a.driftedConductances()).toFloatArray();
                List<NDArray> churn = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    System.gc();
                    float[] junk = new float[64];
                    Arrays.fill(junk, 1e31f);
                    churn.add(m.create(junk)); // reuses freed direct memory
                }
                assertArrayEquals(coeffBefore, a.effective(a.driftedConductances()).toFloatArray(), 0f);
                assertArrayEquals(before, a.forward(x).toFloatArray(), 0f);
            }
        }
    }
}
