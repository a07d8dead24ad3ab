package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Gradients, inference equality, learned scales, conversion and memory of the HWA twins. */
class HwaLayerTest {

    /** Everything switched on: noise, DAC, ADC, output noise. */
    private static HwaConfig everything() {
        return HwaConfig.defaults().withDac(8, 2.0).withAdc(8, 20.0).withOutputNoise(0.02);
    }

    @Test
    void weightGradientIsTheCleanOneForALinearLoss() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(5);
            Linear lin = new Linear(pm, 16, 8, true);
            HwaLinear hwa = new HwaLinear(lin, HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.ADDITIVE, 0.2));
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(6, 16));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(hwa.forward(x, true).sum());
                }
                float[] g = TestUtil.grad(lin.weight());
                float[] colSums = x.sum(new int[] {0}).toFloatArray();
                for (int o = 0; o < 8; o++) {
                    for (int i = 0; i < 16; i++) {
                        assertEquals(colSums[i], g[o * 16 + i], 1e-5, "d sum(x·W_noisyᵀ)/dW = Σ_b x");
                    }
                }
            }
        }
    }

    @Test
    void gradientsAreThoseOfTheCleanProductAtTheNoisyWeights() {
        int in = 12;
        int out = 5;
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(6);
            Linear lin = new Linear(pm, in, out, false);
            HwaLinear hwa = new HwaLinear(lin, HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.ADDITIVE, 0.3));
            float[] w = lin.weight().toFloatArray();
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(7, in));
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = hwa.forward(x, true);
                    gc.backward(y.mul(y).sum());
                }
                float[] yv = y.toFloatArray();
                float[] xv = x.toFloatArray();
                float[] g = TestUtil.grad(lin.weight());
                // loss = Σ y², y = x·W_nᵀ: dL/dW = 2·yᵀ·x with the noisy y
                double maxDiffFromClean = 0;
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double exp = 0;
                        double clean = 0;
                        for (int b = 0; b < 7; b++) {
                            exp += 2 * yv[b * out + o] * xv[b * in + i];
                            double yc = 0;
                            for (int j = 0; j < in; j++) {
                                yc += xv[b * in + j] * w[o * in + j];
                            }
                            clean += 2 * yc * xv[b * in + i];
                        }
                        assertEquals(exp, g[o * in + i], 1e-4 * (1 + Math.abs(exp)));
                        maxDiffFromClean = Math.max(maxDiffFromClean, Math.abs(exp - clean));
                    }
                }
                assertTrue(maxDiffFromClean > 1e-2, "the noise did change the gradient: " + maxDiffFromClean);
            }
        }
    }

    @Test
    void inputGradientUsesTheNoisyWeights() {
        int n = 10;
        try (NDManager pm = NDManager.newBaseManager()) {
            Linear lin = new Linear(pm, n, 4, false);
            HwaLinear hwa = new HwaLinear(lin, HwaConfig.defaults());
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = TestUtil.eye(batch, n);
                x.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    y = hwa.forward(x, true); // = W_nᵀ
                    gc.backward(y.sum());
                }
                float[] dx = x.getGradient().toFloatArray();
                float[] rowSums = y.sum(new int[] {1}).toFloatArray(); // Σ_o W_n[o, i]
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(rowSums[i], dx[b * n + i], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void inferenceIsExactlyTheDigitalLayer() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(8);
            Linear lin = new Linear(pm, 20, 6, true);
            Conv2d conv = new Conv2d(pm, 3, 4, 3, 1, 1, true);
            HwaLinear hl = new HwaLinear(lin, everything());
            HwaConv2d hc = new HwaConv2d(conv, everything());
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(5, 20)).mul(3);
                NDArray xi = batch.randomNormal(new Shape(2, 3, 6, 6)).mul(3);
                assertArrayEquals(lin.forward(x, false).toFloatArray(), hl.forward(x, false).toFloatArray());
                assertArrayEquals(conv.forward(xi, false).toFloatArray(), hc.forward(xi, false).toFloatArray());
                assertSame(batch, hl.forward(x, false).getManager());
                // and the training forward with everything on does differ
                assertTrue(lin.forward(x, false).sub(hl.forward(x, true)).abs().max().getFloat() > 1e-3);
            }
        }
    }

    @Test
    void trainingForwardWithoutNoiseOrConvertersIsDigital() {
        HwaConfig off = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0);
        try (NDManager pm = NDManager.newBaseManager()) {
            Conv2d conv = new Conv2d(pm, 2, 3, 3, 2, 1, true);
            HwaConv2d hc = new HwaConv2d(conv, off);
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(2, 2, 7, 7));
                assertArrayEquals(conv.forward(x, true).toFloatArray(), hc.forward(x, true).toFloatArray(), 1e-5f);
            }
        }
    }

    @Test
    void convWeightGradientUnchangedByNoise() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(9);
            Conv2d conv = new Conv2d(pm, 2, 3, 3, 1, 1, false);
            HwaConv2d hc = new HwaConv2d(conv, HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.MULTIPLICATIVE, 0.3));
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(2, 2, 5, 5));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(hc.forward(x, true).sum());
                }
                float[] noisy = TestUtil.grad(conv.weight());
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.zeroGradients();
                    gc.backward(conv.forward(x, true).sum());
                }
                float[] clean = TestUtil.grad(conv.weight());
                assertArrayEquals(clean, noisy, 1e-4f);
            }
        }
    }

    @Test
    void learnedOutputScaleGetsItsGradientAndFolds() {
        HwaConfig cfg = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0).withLearnedOutScale(true);
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(10);
            Linear lin = new Linear(pm, 6, 3, true);
            HwaLinear hl = new HwaLinear(lin, cfg);
            assertArrayEquals(new float[] {1f, 1f, 1f}, hl.outScale().toFloatArray());
            assertTrue(hl.namedParameters().containsKey("outScale"));
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(4, 6));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(hl.forward(x, true).sum());
                }
                float[] gs = TestUtil.grad(hl.outScale());
                // dL/ds_o = Σ_b (x·Wᵀ)_{b,o}  (the scale multiplies the product, the bias is added after)
                float[] expected = ai.djl.nn.core.Linear.linear(x, lin.weight()).singletonOrThrow()
                        .sum(new int[] {0}).toFloatArray();
                assertArrayEquals(expected, gs, 1e-5f);
                // scale then fold: inference unchanged, scale back to 1, weight rows scaled
                InPlace.assign(hl.outScale(), new float[] {2f, 0.5f, -1f});
                float[] before = hl.forward(x, false).toFloatArray();
                HardwareAware.foldOutScales(hl);
                assertArrayEquals(new float[] {1f, 1f, 1f}, hl.outScale().toFloatArray());
                assertArrayEquals(before, hl.forward(x, false).toFloatArray(), 1e-5f);
                assertArrayEquals(before, lin.forward(x, false).toFloatArray(), 1e-5f);
            }
            Conv2d conv = new Conv2d(pm, 2, 3, 3, 1, 1, true);
            HwaConv2d hc = new HwaConv2d(conv, cfg.withNoise(HwaConfig.NoiseKind.ADDITIVE, 0.038));
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(2, 2, 5, 5));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(hc.forward(x, true).sum());
                }
                float[] gs = TestUtil.grad(hc.outScale());
                assertEquals(3, gs.length);
                for (float g : gs) {
                    assertTrue(Math.abs(g) > 1e-4, "conv out-scale gradient " + g);
                }
            }
        }
    }

    private static Sequential smallNet(NDManager pm) {
        return new Sequential()
                .add(new Conv2d(pm, 1, 4, 3, 1, 1, true))
                .add(Layers.relu())
                .add(Layers.flatten())
                .add(new Linear(pm, 4 * 6 * 6, 10, true))
                .add(Layers.relu())
                .add(new Linear(pm, 10, 3, true));
    }

    @Test
    void convertKeepsParameterNamesAndArraysAndHonoursKeepDigital() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(12);
            Sequential net = smallNet(pm);
            Map<String, NDArray> before = net.namedParameters();
            Set<String> keep = HardwareAware.firstAndLast(net);
            assertEquals(Set.of("0", "5"), keep);
            HardwareAware.Conversion c = HardwareAware.convert(net, HwaConfig.defaults(), keep);
            assertSame(net, c.net());
            assertEquals(List.of("3"), c.convertedPaths());
            assertTrue(net.module("3") instanceof HwaLinear);
            assertTrue(net.module("0").getClass() == Conv2d.class);
            Map<String, NDArray> after = net.namedParameters();
            assertEquals(before.keySet(), after.keySet());
            before.forEach((k, v) -> assertSame(v, after.get(k), k));

            HardwareAware.Conversion all = HardwareAware.convert(smallNet(pm), HwaConfig.defaults()
                    .withLearnedOutScale(true), Set.of());
            assertEquals(List.of("0", "3", "5"), all.convertedPaths());
            assertTrue(all.net().namedParameters().containsKey("3.outScale"));

            Module root = HardwareAware.convert(new Linear(pm, 3, 2, false), HwaConfig.defaults(), Set.of()).net();
            assertTrue(root instanceof HwaLinear);
        }
    }

    @Test
    void forwardAndBackwardInABatchManagerLeaveNothingInTheParameterManager() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(13);
            HwaConfig cfg = everything().withLearnedOutScale(true);
            for (HwaConfig.NoiseKind kind : HwaConfig.NoiseKind.values()) {
                Sequential net = smallNet(pm);
                HardwareAware.Conversion c = HardwareAware.convert(net, cfg.withNoise(kind, 0.05), Set.of());
                int count = pm.getManagedArrays().size();
                for (int step = 0; step < 2; step++) {
                    try (NDManager batch = pm.newSubManager()) {
                        NDArray x = batch.randomNormal(new Shape(3, 1, 6, 6));
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray y = c.net().forward(x, true);
                            gc.backward(y.mul(y).sum());
                        }
                        c.net().forward(x, false);
                    }
                    c.clipHook().accept(c.net());
                    assertEquals(count, pm.getManagedArrays().size(), kind + ": arrays left in the parameter manager");
                }
                assertNotNull(net.module("0").parameter("weight").getGradient());
            }
        }
    }
}
