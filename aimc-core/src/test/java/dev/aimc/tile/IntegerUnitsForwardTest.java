package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.AnalogConv2d;
import dev.aimc.nn.Conv2d;
import dev.aimc.util.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The forward pass in integer DAC/ADC units (no periphery steps) computes the same function as the stepwise
 * pipeline (forced by registering an identity step), with the same noise draws: equal up to float rounding,
 * which can flip a DAC/ADC level only at exact ties.
 */
class IntegerUnitsForwardTest {

    static final PeripheryStep IDENTITY = (y, ctx) -> y;

    static void assertSameFunction(float[] fast, float[] ref) {
        assertEquals(ref.length, fast.length);
        double scale = 0;
        for (float v : ref) {
            scale = Math.max(scale, Math.abs(v));
        }
        int off = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Math.abs(fast[i] - ref[i]) > 1e-4 * scale) {
                off++;
            }
        }
        assertTrue(off <= Math.max(1, ref.length / 200), off + " of " + ref.length + " outputs differ; first "
                + Arrays.toString(Arrays.copyOf(fast, 4)) + " vs " + Arrays.toString(Arrays.copyOf(ref, 4)));
    }

    @Test
    void matrixMatchesStepwisePipeline() {
        for (TileConfig.WeightScaling ws : TileConfig.WeightScaling.values()) {
            for (TileConfig.Mapping map : new TileConfig.Mapping[] {TileConfig.Mapping.DIFFERENTIAL,
                TileConfig.Mapping.UNIPOLAR_OFFSET}) {
                // no output noise here: the matrix path draws it in [R, B, C, cols] order, the stepwise one in
                // [B, R, C, cols] order (same distribution, other assignment); read noise is shared
                TileConfig.Builder tb = TileConfig.builder().tileSize(16, 8).outputNoise(0).weightScaling(ws);
                if (ws == TileConfig.WeightScaling.FIXED) {
                    tb.fixedWeightScale(1.5);
                }
                TileConfig cfg = tb.mapping(map).outputRange(4).build();
                try (NDManager m = NDManager.newBaseManager()) {
                    Rng.seed(1);
                    NDArray w = m.randomUniform(-1f, 1f, new Shape(21, 40));
                    NDArray bias = m.randomUniform(-1f, 1f, new Shape(21));
                    NDArray x = m.randomUniform(-1f, 1f, new Shape(6, 40));
                    try (AnalogMatrix a = new AnalogMatrix(w, bias, cfg)) {
                        a.program(TestDevices.readNoise(0.3f));
                        a.driftTo(10);
                        float[] sc = new float[21];
                        Arrays.fill(sc, 1.25f);
                        a.setOutputScale(sc);
                        assertTrue(a.integerUnits());
                        Rng.seed(7);
                        float[] fast = a.forward(x).toFloatArray();
                        a.postAdcSteps().add(IDENTITY);
                        Rng.seed(7);
                        float[] ref = a.forward(x).toFloatArray();
                        assertSameFunction(fast, ref);
                    }
                }
            }
        }
    }

    @Test
    void convolutionMatchesStepwisePipeline() {
        // 7 input channels on tiles of 3: the last row-tile holds 1 real channel (convolved on its own in the
        // integer-units path, padded and grouped in the stepwise one); 6 channels fill both tiles exactly
        for (int[] c : new int[][] {{7, 1, 1}, {7, 2, 0}, {6, 1, 1}}) {
            convolutionMatchesStepwisePipeline(c[0], c[1], c[2]);
        }
    }

    private static void convolutionMatchesStepwisePipeline(int inChannels, int stride, int padding) {
        TileConfig cfg = TileConfig.builder().maxRows(27).maxCols(5).outputNoise(0.02).build(); // 3 ch per tile
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(2);
            Conv2d conv = new Conv2d(m, inChannels, 11, 3, stride, padding, true);
            NDArray x = m.randomNormal(new Shape(3, inChannels, 9, 9));
            try (AnalogConv2d a = new AnalogConv2d(conv, cfg)) {
                a.program(TestDevices.readNoise(0.3f));
                a.driftTo(0);
                assertTrue(a.matrix().rowTiles() > 1 && a.matrix().colTiles() > 1);
                float[] fast = a.forward(x, false).toFloatArray();
                a.matrix().preAdcSteps().add(IDENTITY);
                a.program(TestDevices.readNoise(0.3f)); // the same chip (seed 0) and so the same noise draws again
                a.driftTo(0);
                float[] ref = a.forward(x, false).toFloatArray();
                assertSameFunction(fast, ref);
            }
        }
    }

    @Test
    void integerDacMatchesStepwiseDac() {
        // levels·(α·Δin) of the integer DAC equals the stepwise u_q·α, with and without the skipped clip
        for (TileConfig.InputScaling sc : TileConfig.InputScaling.values()) {
            for (double range : new double[] {0.5, 1, 2}) {
                TileConfig cfg = TileConfig.builder().tileSize(16, 8).inputBits(6).inputScaling(sc).inputRange(range)
                        .build();
                try (NDManager m = NDManager.newBaseManager()) {
                    Rng.seed(11);
                    NDArray xg = m.randomNormal(new Shape(5, 3, 16)).mul(1.5f);
                    xg.set(new ai.djl.ndarray.index.NDIndex("0, 1, :"), 0f); // an all-zero vector
                    xg.set(new ai.djl.ndarray.index.NDIndex("1, 2, :"), 1e-39f); // a denormal one
                    try (AnalogMatrix a = new AnalogMatrix(m.randomUniform(-1f, 1f, new Shape(8, 16)), null, cfg)) {
                        NDArray[] fast = a.quantizeForForward(xg);
                        NDArray[] ref = a.quantizeInputs(xg);
                        float levels = (1 << 5) - 1;
                        float[] k = fast[0].toFloatArray();
                        for (float v : k) {
                            assertTrue(v == Math.rint(v) && Math.abs(v) <= levels, "level " + v);
                        }
                        float[] got = fast[0].mul(fast[1].expandDims(2)).toFloatArray();
                        float[] want = ref[0].mul(ref[1].expandDims(2)).toFloatArray();
                        assertSameFunction(got, want);
                    }
                }
            }
        }
    }

    @Test
    void tileScaleStepsAreFoldedAndMatchStepwisePipeline() {
        TileConfig cfg = TileConfig.builder().tileSize(16, 8).outputNoise(0).outputRange(4).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(4);
            NDArray w = m.randomUniform(-1f, 1f, new Shape(21, 40));
            NDArray bias = m.randomUniform(-1f, 1f, new Shape(21));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(6, 40));
            try (AnalogMatrix a = new AnalogMatrix(w, bias, cfg)) {
                a.program(TestDevices.readNoise(0.3f));
                a.driftTo(10);
                int r = a.rowTiles();
                int c = a.colTiles();
                NDArray perTile = m.randomUniform(0.5f, 2f, new Shape(r, c, 1));
                NDArray perColumn = m.randomUniform(0.5f, 2f, new Shape(r, c, a.tileCols()));
                Rng.seed(7);
                float[] plain = a.forward(x).toFloatArray();
                a.postAdcSteps().add(PeripheryStep.tileScale(perTile));
                a.postAdcSteps().add(PeripheryStep.tileScale(perColumn));
                assertTrue(a.integerUnits());
                Rng.seed(7);
                float[] fast = a.forward(x).toFloatArray();
                a.postAdcSteps().add(IDENTITY);
                assertTrue(!a.integerUnits());
                Rng.seed(7);
                float[] ref = a.forward(x).toFloatArray();
                assertSameFunction(fast, ref);
                // removing the steps restores the plain forward (the folded scale is not kept stale)
                a.postAdcSteps().clear();
                Rng.seed(7);
                assertSameFunction(a.forward(x).toFloatArray(), plain);
                a.postAdcSteps().add(PeripheryStep.tileScale(perTile));
                a.preAdcSteps().add(IDENTITY);
                assertTrue(!a.integerUnits()); // a pre-ADC step cannot be folded
            }
        }
    }

    @Test
    void convolutionWithTileScaleMatchesStepwisePipeline() {
        TileConfig cfg = TileConfig.builder().maxRows(27).maxCols(5).outputNoise(0.02).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(5);
            Conv2d conv = new Conv2d(m, 7, 11, 3, 1, 1, true);
            NDArray x = m.randomNormal(new Shape(3, 7, 9, 9));
            try (AnalogConv2d a = new AnalogConv2d(conv, cfg)) {
                a.program(TestDevices.readNoise(0.3f));
                a.driftTo(0);
                AnalogMatrix mx = a.matrix();
                mx.postAdcSteps().add(PeripheryStep.tileScale(
                        m.randomUniform(0.5f, 2f, new Shape(mx.rowTiles(), mx.colTiles(), mx.tileCols()))));
                assertTrue(mx.integerUnits());
                float[] fast = a.forward(x, false).toFloatArray();
                mx.preAdcSteps().add(IDENTITY);
                a.program(TestDevices.readNoise(0.3f)); // the same chip (seed 0) and so the same noise draws again
                a.driftTo(0);
                float[] ref = a.forward(x, false).toFloatArray();
                assertSameFunction(fast, ref);
            }
        }
    }

    @Test
    void forwardLeavesNothingInTheMatrixManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(3);
            NDArray w = m.randomUniform(-1f, 1f, new Shape(20, 30));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 30));
            try (AnalogMatrix a = new AnalogMatrix(w, null, TileConfig.builder().tileSize(16, 8).outputNoise(0.1)
                    .build())) {
                a.program(dev.aimc.device.PcmModel.defaults()); // (TestDevices.readNoise leaks its noise array)
                a.driftTo(3600);
                try (NDManager b = m.newSubManager()) {
                    b.tempAttachAll(x);
                    a.forward(x);
                }
                int before = a.manager().getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    try (NDManager b = m.newSubManager()) {
                        b.tempAttachAll(x);
                        a.forward(x);
                    }
                }
                assertEquals(before, a.manager().getManagedArrays().size());
            }
        }
    }
}
