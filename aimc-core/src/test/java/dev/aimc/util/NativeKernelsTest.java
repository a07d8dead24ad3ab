package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native kernels give bit for bit the values of the Java and PyTorch path, for every thread count. Skipped
 * (saying why) where the library is not built; {@code AIMC_REQUIRE_NATIVE=1} (set by {@code .ci/run}) turns that
 * into a failure.
 */
class NativeKernelsTest {
    /** The stream of the current run (reset to seed 77 on each pass of {@link #assertSameBothWays}). */
    static RandomStream noise = RandomStream.of(77);
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        if ("1".equals(System.getenv("AIMC_REQUIRE_NATIVE"))) {
            assertTrue(NativeKernels.loaded(), "AIMC_REQUIRE_NATIVE=1 but " + NativeKernels.status());
        }
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @BeforeEach
    void needsLibrary() {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
    }

    @AfterEach
    void restore() {
        NativeKernels.setEnabled(true);
        NativeKernels.allowAvx512(true);
        NativeKernels.allowSharedThreads(true);
    }

    /** The same computation with the kernels on and off, from the same seed: bit-identical floats. */
    static void assertSameBothWays(Supplier<NDArray> run) {
        float[][] out = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            NativeKernels.setEnabled(pass == 0);
            assertEquals(pass == 0, NativeKernels.enabled());
            noise = RandomStream.of(77);
            try (NDManager m = manager.newSubManager()) {
                NDArray a = run.get();
                out[pass] = a.toFloatArray();
            }
        }
        NativeKernels.setEnabled(true);
        assertEquals(out[1].length, out[0].length);
        int diff = 0;
        for (int i = 0; i < out[0].length; i++) {
            if (Float.floatToIntBits(out[0][i]) != Float.floatToIntBits(out[1][i])) {
                diff++;
            }
        }
        assertEquals(0, diff, "values that differ between native and Java, of " + out[0].length);
    }

    @Test
    void normalIsTheJavaDrawForEveryThreadCount() {
        int n = 3 * GaussianNoise.BLOCK + 1234; // a partial last block
        float[] java = new float[n];
        GaussianNoise.fill(FloatBuffer.wrap(java), 0xABCDEFL, 0.37f, 1); // heap buffer: the Java path
        for (int threads : new int[] {1, 2, 3}) {
            FloatBuffer direct = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
            GaussianNoise.fill(direct, 0xABCDEFL, 0.37f, threads);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(java[i]), Float.floatToIntBits(direct.get(i)),
                        "element " + i + " with " + threads + " threads");
            }
        }
    }

    @Test
    void noisyAdcMatchesAddRoundClipInPlaceOrNot() {
        NDArray y = manager.randomNormal(0f, 80f, new Shape(5, 70_001), DataType.FLOAT32);
        // contiguous: overwritten in place
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(y.duplicate(), 2.5f, 127f, null, 1, null, 1, noise));
        // a transposed view: its direct buffer is a copy, so the kernel must write a new array
        NDArray t = y.transpose();
        assertFalse(NativeKernels.contiguous(t));
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(t, 2.5f, 127f, null, 1, null, 1, noise));
        NDArray fresh = y.duplicate();
        assertTrue(NativeKernels.contiguous(fresh));
        assertSame(fresh, dev.aimc.tile.IntegerAdc.convert(fresh, 2.5f, 127f, null, 1, null, 1, noise));
        // no output noise: no draw, PyTorch's round and clip either way
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(y.duplicate(), 0f, 7f, null, 1, null, 1, noise));
    }

    @Test
    void noisyAdcAppliesRowAndColumnFactorsLikeTheBroadcastMultiplies() {
        // convolution layout: one factor per spatial run of 49 values
        NDArray conv = manager.randomNormal(0f, 40f, new Shape(64, 3, 7, 49), DataType.FLOAT32);
        NDArray perRun = manager.randomUniform(0.5f, 2f, new Shape(64 * 3 * 7));
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(conv.duplicate(), 1.3f, 127f, perRun, 49, null, 1, noise));
        // linear layout [R, B, C·cols]: α per (r, b) row, s per (r, column)
        NDArray lin = manager.randomNormal(0f, 40f, new Shape(3, 300, 250), DataType.FLOAT32);
        NDArray alpha = manager.randomUniform(0.5f, 2f, new Shape(3 * 300));
        NDArray s = manager.randomUniform(0.5f, 2f, new Shape(3, 250));
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(lin.duplicate(), 1.3f, 127f, alpha, 250, s, 300, noise));
        // and the factors really are applied: row 1, column 2 of group 0
        NativeKernels.setEnabled(true);
        noise = RandomStream.of(3);
        float[] q = dev.aimc.tile.IntegerAdc.convert(lin.duplicate(), 0f, 127f, alpha, 250, s, 300, noise).toFloatArray();
        float expected = Math.max(-127f, Math.min(127f, (float) Math.rint(lin.getFloat(0, 1, 2))))
                * alpha.getFloat(1) * s.getFloat(0, 2);
        assertEquals(expected, q[250 + 2]);
    }

    @Test
    void thePortableCPathsGiveTheSameValuesAsTheAvx512Ones() {
        NDArray y = manager.randomNormal(0f, 80f, new Shape(3, 70_001), DataType.FLOAT32);
        NDArray g = manager.randomUniform(0f, 25f, new Shape(2, 70_001));
        NDArray amp = g.mul(0.5f);
        NativeKernels.allowAvx512(false); // the portable C loops (what machines without AVX-512 run) against Java
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(y.duplicate(), 2.5f, 127f, null, 1, null, 1, noise));
        assertSameBothWays(() -> dev.aimc.device.NoisyRead.apply(g, amp, noise));
        assertSameBothWays(() -> noise.normal(manager, 0.3f, new Shape(100_003)));
    }

    @Test
    void blocksOnJavaThreadsGiveTheSameValues() {
        NDArray y = manager.randomNormal(0f, 80f, new Shape(3, 70_001), DataType.FLOAT32);
        NDArray g = manager.randomUniform(0f, 25f, new Shape(2, 70_001));
        NDArray amp = g.mul(0.5f);
        NativeKernels.allowSharedThreads(false); // what runs where libtorch's libgomp is not found
        assertTrue(NativeKernels.status().contains("Java threads"), NativeKernels.status());
        assertSameBothWays(() -> dev.aimc.tile.IntegerAdc.convert(y.duplicate(), 2.5f, 127f, null, 1, null, 1, noise));
        assertSameBothWays(() -> dev.aimc.device.NoisyRead.apply(g, amp, noise));
        assertSameBothWays(() -> noise.normal(manager, 0.3f, new Shape(200_003)));
    }

    @Test
    void noisyReadMatchesScaleAddClamp() {
        NDArray g = manager.randomUniform(0f, 25f, new Shape(2, 2, 65_537));
        NDArray amp = g.mul(0.8f); // large relative noise: many reads clamp at zero
        assertSameBothWays(() -> dev.aimc.device.NoisyRead.apply(g, amp, noise));
        NativeKernels.setEnabled(true);
        noise = RandomStream.of(1);
        float[] r = dev.aimc.device.NoisyRead.apply(g, amp, noise).toFloatArray();
        int zeros = 0;
        for (float v : r) {
            assertTrue(v >= 0f);
            zeros += v == 0f ? 1 : 0;
        }
        assertNotEquals(0, zeros, "with 80 % relative read noise some reads clamp at 0");
    }

    @Test
    void statusNamesTheInstructionSetAndCanBeSwitchedOff() {
        assertTrue(NativeKernels.status().startsWith("loaded ("), NativeKernels.status());
        NativeKernels.setEnabled(false);
        assertFalse(NativeKernels.enabled());
        assertEquals("switched off", NativeKernels.status());
    }
}
