package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aimc.util.RandomStream;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.tile.Converters;
import dev.aimc.train.Loss;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hardware-aware training gives the same numbers, bit for bit, with the native kernels as with PyTorch ops: the
 * converters' forward values and gradients (the DAC's the identity, the ADC's its saturation mask; a zero may carry
 * the other sign), the additive weight noise, and the weight clipping after a step. Skipped where the kernels are
 * not built.
 */
class NativeQuantizerTest {

    @AfterEach
    void restore() {
        NativeKernels.setEnabled(true);
    }

    /** {values, gradient of sum(y·c)} with the kernels on (index 0) and off (index 1). */
    static float[][][] bothWays(Shape shape, float scale, BiFunction<NDArray, NDManager, NDArray> op) {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
        float[][][] out = new float[2][][];
        for (int pass = 0; pass < 2; pass++) {
            NativeKernels.setEnabled(pass == 0);
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(21);
                NDArray x = m.randomNormal(0f, scale, shape, ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray c = m.randomUniform(-1f, 1f, shape);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = op.apply(x, m);
                    gc.backward(y.mul(c).sum());
                }
                out[pass] = new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
            }
        }
        NativeKernels.setEnabled(true);
        return out;
    }

    @Test
    void dacValuesAreBitIdenticalAndTheGradientIsTheIdentity() {
        Converters.Settings cfg = HwaConfig.defaults().withDac(8, 1.0).converters();
        for (Shape shape : new Shape[] {new Shape(16, 40), new Shape(6, 3, 147)}) {
            // the tile's DAC in tile units: u_q = x/α + c, scaled back by α (no gradient) so dy/dx = 1
            float[][][] r = bothWays(shape, 1.5f, (x, m) -> {
                Converters.DacOutput d = Converters.dac(x, cfg, true);
                return d.levels().mul(d.alpha().expandDims(shape.dimension() - 1));
            });
            assertArrayEquals(r[1][0], r[0][0], "values " + shape);
            for (int i = 0; i < r[0][1].length; i++) { // sum(y·c): dy/dx = 1 exactly on both paths
                assertEquals(r[1][1][i], r[0][1][i], 0f, "gradient " + i);
            }
        }
    }

    @Test
    void everyParameterOfAnHwaNetworkGetsTheSameGradientWithAndWithoutKernels() {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
        HwaConfig cfg = HwaConfig.defaults().withDac(8, 1.0).withAdc(8, 12.0).withOutputNoise(0.04)
                .withNoise(HwaConfig.NoiseKind.ADDITIVE, 0.038);
        List<Map<String, float[]>> grads = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            NativeKernels.setEnabled(pass == 0);
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = HardwareAware.convert(Models.create("lenet5", m, 3), cfg, Set.of()).net();
                Rng.seed(9);
                NDArray x = m.randomNormal(new Shape(8).addAll(Models.inputShape("lenet5")));
                NDArray y = m.randomInteger(0, 10, new Shape(8), DataType.INT64);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(Loss.softmaxCrossEntropy(net.forward(x, true), y, 0));
                }
                Map<String, float[]> g = new TreeMap<>();
                net.namedParameters().forEach((k, p) -> g.put(k, p.getGradient().toFloatArray()));
                grads.add(g);
            }
        }
        NativeKernels.setEnabled(true);
        assertEquals(grads.get(1).keySet(), grads.get(0).keySet());
        for (String k : grads.get(1).keySet()) { // through every layer, back to the first
            float[] ref = grads.get(1).get(k);
            float[] got = grads.get(0).get(k);
            double norm = 0;
            for (float v : ref) {
                norm += Math.abs(v);
            }
            assertTrue(norm > 0, k + " gets no gradient");
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], got[i], 0f, k + "[" + i + "]");
            }
        }
    }

    @Test
    void weightClippingIsTheSameWithAndWithoutKernels() {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
        for (WeightClipper clipper : new WeightClipper[] {WeightClipper.sigma(2.5), WeightClipper.fixed(0.07)}) {
            float[][] after = new float[2][];
            double[] bound = new double[2];
            for (int pass = 0; pass < 2; pass++) {
                NativeKernels.setEnabled(pass == 0);
                try (NDManager m = NDManager.newBaseManager()) {
                    Rng.seed(33);
                    NDArray w = m.randomNormal(0f, 0.05f, new Shape(120, 84), DataType.FLOAT32).pow(3).mul(400f);
                    w.setRequiresGradient(true); // a parameter, as the hook sees it
                    bound[pass] = clipper.clip(w);
                    after[pass] = w.toFloatArray();
                }
            }
            NativeKernels.setEnabled(true);
            assertEquals(bound[1], bound[0], 0.0, clipper.mode() + " bound");
            assertArrayEquals(after[1], after[0], clipper.mode() + " clipped weights");
            int clipped = 0;
            for (float v : after[0]) {
                clipped += Math.abs(v) == (float) bound[0] ? 1 : 0;
            }
            assertTrue(clipped > 0 && clipped < after[0].length / 2, clipper.mode() + ": " + clipped + " clipped");
        }
    }

    @Test
    void additiveWeightNoiseIsTheSameWithAndWithoutKernels() {
        assumeTrue(NativeKernels.loaded(), "native kernels not available: " + NativeKernels.status());
        float[][] noise = new float[2][];
        for (int pass = 0; pass < 2; pass++) {
            NativeKernels.setEnabled(pass == 0);
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(34);
                NDArray w = m.randomNormal(new Shape(16, 6, 5, 5));
                w.setRequiresGradient(true);
                noise[pass] = WeightNoise.additive(0.038).sample(w, m, RandomStream.of(5)).toFloatArray();
            }
        }
        NativeKernels.setEnabled(true);
        assertArrayEquals(noise[1], noise[0]);
    }

    @Test
    void adcWithNoiseAndSaturationGivesTheSameValuesAndMask() {
        // range 1 on values of std 1.2: many saturate, so the mask matters
        HwaConfig cfg = HwaConfig.defaults().withAdc(6, 1.0).withOutputNoise(0.05);
        float[][][] r = bothWays(new Shape(9, 5000), 1.2f,
                (y, m) -> Converters.noisyAdc(y, cfg.converters(), true, RandomStream.of(8)));
        assertArrayEquals(r[1][0], r[0][0], "values");
        assertArrayEquals(r[1][1], r[0][1], 0f, "gradients (equal numbers; g·0 may be −0 where PyTorch writes +0)");
        int zeros = 0;
        for (float g : r[0][1]) {
            zeros += g == 0f ? 1 : 0;
        }
        assumeTrue(zeros > 0); // sanity of the setup, not of the code
        HwaConfig quiet = cfg.withOutputNoise(0);
        float[][][] q = bothWays(new Shape(9, 5000), 1.2f,
                (y, m) -> Converters.noisyAdc(y, quiet.converters(), true, RandomStream.of(8)));
        assertArrayEquals(q[1][0], q[0][0], "values without noise");
        assertArrayEquals(q[1][1], q[0][1], 0f, "gradients without noise");
    }
}
