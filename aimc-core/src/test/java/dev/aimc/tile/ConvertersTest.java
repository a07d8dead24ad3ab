package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.nn.Linear;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.nn.hwa.HwaLinear;
import dev.aimc.util.InPlace;
import dev.aimc.util.RandomStream;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The converters in tile units ({@link Converters}): levels, straight-through gradients, output noise in aihwkit's
 * unit, and the DAC of the hardware-aware layers, which is the tile's.
 */
class ConvertersTest {

    @Test
    void stepGivesTwoToTheBitsMinusOneLevels() {
        assertEquals(1.0 / 127, Converters.step(8, 1.0), 1e-15);
        assertEquals(2.0 * 1.5 / 14, Converters.step(4, 1.5), 1e-15);
    }

    @Test
    void straightThroughForwardIsBitwiseTheRoundedLevel() {
        // the one-recorded-op form xc + stopGradient(q − xc) yields exactly q = round(clip(x)/Δ)·Δ
        for (int bits : new int[] {3, 8, 12}) {
            double range = 1.7;
            float step = (float) Converters.step(bits, range);
            try (NDManager m = NDManager.newBaseManager()) {
                dev.aimc.util.Rng.seed(bits);
                NDArray x = m.randomNormal(new Shape(20_000));
                x.setRequiresGradient(true);
                float[] q;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    q = Converters.quantize(x, bits, range, true).toFloatArray();
                }
                float[] want = x.stopGradient().clip(-range, range).div(step).round().mul(step).toFloatArray();
                for (int i = 0; i < q.length; i++) {
                    assertEquals(Float.floatToIntBits(want[i]) == Float.floatToIntBits(-0f) ? 0f : want[i],
                            q[i] == -0f ? 0f : q[i], 0f, "at " + i);
                }
            }
        }
    }

    @Test
    void straightThroughQuantizerValuesOnGridAndGradientOneInsideZeroOutside() {
        int bits = 4;
        double range = 1.5;
        double step = Converters.step(bits, range);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.linspace(-3f, 3f, 601);
            x.setRequiresGradient(true);
            NDArray q;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                q = Converters.quantize(x, bits, range, true);
                gc.backward(q.sum());
            }
            assertTrue(q.getManager() == m);
            float[] xv = x.toFloatArray();
            float[] qv = q.toFloatArray();
            float[] g = x.getGradient().toFloatArray();
            TreeSet<Float> levels = new TreeSet<>();
            for (int i = 0; i < xv.length; i++) {
                double k = qv[i] / step;
                assertEquals(Math.rint(k), k, 1e-5, "on the grid: " + qv[i]);
                assertTrue(Math.abs(qv[i]) <= range + 1e-6);
                double clipped = Math.max(-range, Math.min(range, xv[i]));
                assertEquals(clipped, qv[i], step / 2 + 1e-6, "nearest level");
                levels.add(qv[i]);
                if (Math.abs(Math.abs(xv[i]) - range) > 1e-3) {
                    assertEquals(Math.abs(xv[i]) < range ? 1f : 0f, g[i], 0f, "STE gradient at " + xv[i]);
                }
            }
            assertEquals((1 << bits) - 1, levels.size());
            assertEquals(range, levels.last(), 1e-6);
            assertTrue(levels.contains(0f));
        }
    }

    @Test
    void adcSaturatesQuantizesAndAddsOutputNoiseOfTheConfiguredStd() {
        try (NDManager m = NDManager.newBaseManager()) {
            // aihwkit's out_noise: an absolute std in normalized output units, whatever the ADC range
            Converters.Settings noisy = HwaConfig.defaults().withAdc(0, 10.0).withOutputNoise(0.5).converters();
            float[] n = Converters.noisyAdc(m.zeros(new Shape(200_000)), noisy, true, RandomStream.of(3)).toFloatArray();
            double sum = 0;
            double sq = 0;
            for (float v : n) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / n.length;
            assertEquals(1.0, Math.sqrt(sq / n.length - mean * mean) / 0.5, 0.01); // std error 0.0016
            assertEquals(0.0, mean, 0.01);

            Converters.Settings adc = HwaConfig.defaults().withAdc(6, 4.0).converters();
            float[] q = Converters.noisyAdc(m.linspace(-8f, 8f, 1001), adc, true, RandomStream.of(3)).toFloatArray();
            double step = Converters.step(6, 4.0);
            for (float v : q) {
                assertTrue(Math.abs(v) <= 4.0 + 1e-6);
                assertEquals(Math.rint(v / step), v / step, 1e-5);
            }
            assertEquals(-4.0, q[0], 1e-6);
            assertEquals(4.0, q[q.length - 1], 1e-6);
        }
    }

    @Test
    void dacInTheLayerQuantizesTheInput() {
        HwaConfig cfg = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0).withDac(3, 1.0)
                .withInputScaling(TileConfig.InputScaling.NONE);
        try (NDManager pm = NDManager.newBaseManager()) {
            Linear lin = new Linear(pm, 4, 4, false);
            // W = I: the output is the DAC'd input
            InPlace.assign(lin.weight(), new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
            HwaLinear h = new HwaLinear(lin, cfg);
            try (NDManager b = pm.newSubManager()) {
                NDArray x = b.create(new float[] {-2f, 0.1f, 0.2f, 0.9f}, new Shape(1, 4));
                float[] y = h.forward(x, true).toFloatArray();
                double s = Converters.step(3, 1.0); // 1/3
                float[] want = {-1f, 0f, (float) s, 1f};
                for (int i = 0; i < 4; i++) {
                    assertEquals(want[i], y[i], 1e-6);
                }
            }
        }
    }

    @Test
    void absMaxDacInTheLayerScalesByTheRowMax() {
        HwaConfig cfg = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0).withDac(3, 1.0);
        assertEquals(TileConfig.InputScaling.ABS_MAX, cfg.inputScaling());
        try (NDManager pm = NDManager.newBaseManager()) {
            Linear lin = new Linear(pm, 4, 4, false);
            InPlace.assign(lin.weight(), new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
            HwaLinear h = new HwaLinear(lin, cfg);
            try (NDManager b = pm.newSubManager()) {
                NDArray x = b.create(new float[] {-2f, 0.1f, 0.2f, 0.9f}, new Shape(1, 4));
                float[] y = h.forward(x, true).toFloatArray();
                // α = 2: x/α = {-1, .05, .1, .45} → levels {-1, 0, 0, 1/3} → ×2
                float[] want = {-2f, 0f, 0f, 2f / 3};
                for (int i = 0; i < 4; i++) {
                    assertEquals(want[i], y[i], 1e-6);
                }
            }
        }
    }

    /** α·DAC(x) with α = max|x| per vector (the last axis of x). */
    private static NDArray scaledDac(NDArray x, HwaConfig cfg, boolean straightThrough) {
        Converters.DacOutput d = Converters.dac(x, cfg.converters(), straightThrough);
        return d.levels().mul(d.alpha().expandDims(x.getShape().dimension() - 1));
    }

    /** Runs the ABS_MAX DAC with gradient; returns {x, α·u_q, d(α·u_q)/dx (of the sum)} as float arrays. */
    private static float[][] absMaxDac(NDManager m, NDArray x, HwaConfig cfg) {
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = scaledDac(x, cfg, true);
            gc.backward(y.sum());
        }
        assertTrue(y.getManager() == m);
        return new float[][] {x.toFloatArray(), y.toFloatArray(), x.getGradient().toFloatArray()};
    }

    /** Checks per-vector (contiguous blocks of {@code n}) grid membership, exact max element, gradient 1. */
    private static void checkAbsMax(float[][] r, int n, int bits) {
        float[] x = r[0];
        float[] y = r[1];
        float[] g = r[2];
        dev.aimc.tile.TileConfig tile = dev.aimc.tile.TileConfig.builder().inputBits(bits).build();
        assertEquals(dev.aimc.tile.TileConfig.InputScaling.ABS_MAX, tile.inputScaling(), "tile default");
        assertEquals(tile.inputStep(), Converters.step(bits, tile.inputRange()), 0, "same grid as the tile");
        float step = (float) tile.inputStep();
        for (int v = 0; v < x.length / n; v++) {
            float alpha = 0;
            int arg = -1;
            for (int i = v * n; i < (v + 1) * n; i++) {
                if (Math.abs(x[i]) > alpha) {
                    alpha = Math.abs(x[i]);
                    arg = i;
                }
            }
            assertTrue(alpha > 1.5f, "test inputs exceed the fixed range ±1");
            assertEquals(x[arg], y[arg], 0f, "the max-|x| element is reproduced exactly (not clipped)");
            for (int i = v * n; i < (v + 1) * n; i++) {
                double k = (double) y[i] / alpha / step;
                assertEquals(Math.rint(k), k, 1e-4, "y/α on the DAC grid at " + i);
                assertTrue(Math.abs(Math.rint(k)) <= (1 << (bits - 1)) - 1);
                // bitwise the tile's formula: round(clip(x/α)/Δ)·Δ, times α
                float tileY = Math.round(Math.max(-1f, Math.min(1f, x[i] / alpha)) / step) * step * alpha;
                assertEquals(tileY, y[i], Math.ulp(alpha), "tile value at " + i);
                assertEquals(1f, g[i], 0f, "straight-through gradient at " + i);
            }
        }
    }

    @Test
    void absMaxDacPerRowOfALinearInput() {
        int bits = 8;
        HwaConfig cfg = HwaConfig.defaults().withDac(bits, 1.0);
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.util.Rng.seed(7);
            NDArray x = m.randomNormal(new Shape(6, 50)).mul(1.2f).clip(-2.2f, 2.2f);
            x.set(new ai.djl.ndarray.index.NDIndex("0, 3"), 2.5f);
            x.set(new ai.djl.ndarray.index.NDIndex("1, 10"), -2.5f);
            float[][] r = absMaxDac(m, x, cfg);
            assertEquals(2.5f, r[1][3], 0f);
            assertEquals(-2.5f, r[1][50 + 10], 0f);
            checkAbsMax(r, 50, bits);
            // without a gradient (the inference tile) the same values
            float[] inference = scaledDac(x.stopGradient(), cfg, false).toFloatArray();
            for (int i = 0; i < inference.length; i++) {
                assertEquals(r[1][i], inference[i], 0f);
            }
        }
    }

    @Test
    void absMaxDacPerSampleOfAConvInput() {
        int bits = 6;
        HwaConfig cfg = HwaConfig.defaults().withDac(bits, 1.0);
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.util.Rng.seed(11);
            NDArray x = m.randomNormal(new Shape(3, 3, 5, 5)).mul(1.5f).clip(-2.2f, 2.2f);
            x.set(new ai.djl.ndarray.index.NDIndex("1, 2, 4, 4"), 2.5f);
            float[][] r = absMaxDac(m, x.reshape(3, 1, 75), cfg); // one row-tile holding all 3 channels
            checkAbsMax(r, 3 * 5 * 5, bits);
            // an all-zero sample stays zero (α floored, no NaN)
            float[] z = scaledDac(m.zeros(new Shape(2, 1, 48)), cfg, false).toFloatArray();
            for (float v : z) {
                assertEquals(0f, v, 0f);
            }
        }
    }
}
