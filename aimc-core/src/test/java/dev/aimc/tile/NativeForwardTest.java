package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.PcmModel;
import dev.aimc.nn.AnalogConv2d;
import dev.aimc.nn.Conv2d;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Rng;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The analog forward pass gives bit for bit the same outputs with the native kernels (DAC, noisy read — for
 * linear layers straight into the matmul layout —, output noise + ADC + scaling) as with PyTorch ops alone, for linear and convolutional layers, several row- and
 * column-tiles, both input scalings and PCM read noise. Skipped where the kernels are not built.
 */
class NativeForwardTest {

    @AfterEach
    void restore() {
        NativeKernels.setEnabled(true);
        NativeKernels.allowAvx512(true);
    }

    /** Runs {@code forward} from the same seed with the kernels on, then off; returns both outputs. */
    static float[][] bothWays(Function<NDManager, NDArray> forward) {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
        float[][] out = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            NativeKernels.setEnabled(pass == 0);
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(5);
                out[pass] = forward.apply(m).toFloatArray();
            }
        }
        return out;
    }

    static TileConfig config(TileConfig.InputScaling scaling, double inputRange) {
        return TileConfig.builder().tileSize(64, 48).inputBits(6).inputScaling(scaling).inputRange(inputRange)
                .outputBits(7).outputRange(12).outputNoise(0.04).build();
    }

    @Test
    void linearLayerOnSeveralTilesIsTheSameWithAndWithoutKernels() {
        for (TileConfig.InputScaling scaling : TileConfig.InputScaling.values()) {
            for (double range : new double[] {1.0, 0.5}) { // 0.5: the DAC clip is active
                float[][] out = bothWays(m -> {
                    NDArray w = m.randomNormal(0f, 0.1f, new Shape(200, 150), ai.djl.ndarray.types.DataType.FLOAT32);
                    NDArray bias = m.randomUniform(-0.1f, 0.1f, new Shape(200));
                    NDArray x = m.randomUniform(-1f, 1f, new Shape(33, 150));
                    AnalogMatrix a = new AnalogMatrix(w, bias, config(scaling, range));
                    assertEquals(3, a.rowTiles());
                    assertEquals(5, a.colTiles()); // 3·5·2·64·48 devices: the read spans two noise blocks
                    a.program(PcmModel.defaults());
                    a.driftTo(3600);
                    NDArray y = a.forward(x);
                    y.attach(m);
                    a.close();
                    return y;
                });
                assertArrayEquals(out[1], out[0], scaling + " range " + range);
            }
        }
    }

    @Test
    void convolutionOnTwoRowTilesIsTheSameWithAndWithoutKernels() {
        for (boolean avx512 : new boolean[] {true, false}) { // false: the portable C paths
            NativeKernels.allowAvx512(avx512);
            convolutionOnTwoRowTiles();
        }
    }

    void convolutionOnTwoRowTiles() {
        float[][] out = bothWays(m -> {
            Conv2d conv = new Conv2d(m, 12, 20, 3, 1, 1, true); // 108 rows: two row-tiles of 64
            AnalogConv2d a = new AnalogConv2d(conv, config(TileConfig.InputScaling.ABS_MAX, 1.0));
            a.matrix().program(PcmModel.defaults());
            a.matrix().driftTo(86_400);
            NDArray x = m.randomNormal(new Shape(4, 12, 9, 9));
            NDArray y = a.forward(x, false);
            a.matrix().close();
            return y;
        });
        assertEquals(4 * 20 * 9 * 9, out[0].length);
        assertArrayEquals(out[1], out[0]);
        boolean nonZero = false;
        for (float v : out[0]) {
            nonZero |= v != 0f;
        }
        assertTrue(nonZero);
    }
}
