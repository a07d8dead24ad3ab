package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Determinism, independence of split streams, uniform statistics and thread-count independence of {@link RandomStream}. */
class RandomStreamTest {
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static float[] normal(RandomStream r, int n) {
        try (NDManager m = manager.newSubManager()) {
            return r.normal(m, 1f, new Shape(n)).toFloatArray();
        }
    }

    static float[] uniform(RandomStream r, float lo, float hi, int n) {
        try (NDManager m = manager.newSubManager()) {
            return r.uniform(m, lo, hi, new Shape(n)).toFloatArray();
        }
    }

    @Test
    void sameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
        RandomStream a = RandomStream.of(5);
        RandomStream b = RandomStream.of(5);
        assertArrayEquals(normal(a, 1000), normal(b, 1000));
        assertArrayEquals(uniform(a, 0f, 1f, 1000), uniform(b, 0f, 1f, 1000));
        assertEquals(2, a.draws());
        assertFalse(Arrays.equals(normal(a, 1000), normal(RandomStream.of(6), 1000)), "seed 6 differs");
        assertFalse(Arrays.equals(normal(a, 1000), normal(a, 1000)), "consecutive draws differ");
    }

    @Test
    void splitStreamsAreIndependentOfEachOtherAndOfTheParentsCounter() {
        RandomStream parent = RandomStream.of(1);
        float[] child = normal(parent.split(3), 500);
        for (int k = 0; k < 5; k++) {
            parent.newDraw(); // the parent draws: its children do not move
        }
        normal(parent.split(4), 500); // nor does a sibling's draw
        assertArrayEquals(child, normal(parent.split(3), 500));
        assertEquals(0, parent.split(3).draws());
        assertNotEquals(parent.split(3).key(), parent.split(4).key());
        assertFalse(Arrays.equals(child, normal(parent.split(4), 500)), "sibling differs");
        assertFalse(Arrays.equals(child, normal(RandomStream.of(1), 500)), "child differs from the parent's draw 0");
        assertNotEquals(RandomStream.of(1).split(3).key(), RandomStream.of(2).split(3).key());
        // a child's draw keys are not the parent's draw keys of the same index (separate derivation branches)
        assertNotEquals(RandomStream.of(1).newDraw(), RandomStream.of(1).split(0).newDraw());
    }

    @Test
    void uniformLiesInItsRangeWithTheMeanAndVarianceOfTheUniformDistribution() {
        int n = 1_000_000;
        float lo = -2f;
        float hi = 3f;
        float[] u = uniform(RandomStream.of(7), lo, hi, n);
        double sum = 0;
        double sq = 0;
        for (float v : u) {
            assertTrue(v >= lo && v < hi, "outside [lo, hi): " + v);
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // mean 0.5, std error 5/sqrt(12·n) = 0.0014; variance 25/12 = 2.0833, std error sqrt((625/80 − (25/12)²)/n)
        // = 0.0019: both tolerances are about 7 standard errors
        assertEquals(0.5, mean, 0.01);
        assertEquals(25.0 / 12, var, 0.013);
        // the top of [0, 1) stays below 1 and a degenerate range gives its one value
        for (float v : uniform(RandomStream.of(8), 0f, 1f, 100_000)) {
            assertTrue(v >= 0f && v < 1f);
        }
        for (float v : uniform(RandomStream.of(8), 4f, 4f, 10)) {
            assertEquals(4f, v);
        }
    }

    @Test
    void valuesDoNotDependOnTheThreadCount() {
        int n = 3 * GaussianNoise.BLOCK + 17;
        int before = JniUtils.getNumThreads();
        float[][] u = new float[2][];
        float[][] z = new float[2][];
        try {
            int[] threads = {1, 4};
            for (int i = 0; i < 2; i++) {
                JniUtils.setNumThreads(threads[i]);
                assertEquals(threads[i], Parallel.threads());
                u[i] = uniform(RandomStream.of(9), -1f, 1f, n);
                z[i] = normal(RandomStream.of(9), n);
            }
        } finally {
            JniUtils.setNumThreads(before);
        }
        assertArrayEquals(u[0], u[1], "uniform");
        assertArrayEquals(z[0], z[1], "normal");
        // and element e of a draw depends only on (draw key, e): any sub-range computed on its own agrees
        long key = RandomStream.of(9).newDraw();
        float[] part = new float[100];
        RandomStream.uniformSample(key, GaussianNoise.BLOCK - 50, part, 0, 100, -1f, 1f);
        assertArrayEquals(Arrays.copyOfRange(u[0], GaussianNoise.BLOCK - 50, GaussianNoise.BLOCK + 50), part);
    }
}
