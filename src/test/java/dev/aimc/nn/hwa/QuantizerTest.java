package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.nn.Linear;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    @Test
    void stepGivesTwoToTheBitsMinusOneLevels() {
        assertEquals(1.0 / 127, Quantizer.step(8, 1.0), 1e-15);
        assertEquals(2.0 * 1.5 / 14, Quantizer.step(4, 1.5), 1e-15);
    }

    @Test
    void straightThroughForwardIsBitwiseTheRoundedLevel() {
        // the one-recorded-op form xc + stopGradient(q − xc) yields exactly q = round(clip(x)/Δ)·Δ
        for (int bits : new int[] {3, 8, 12}) {
            double range = 1.7;
            float step = (float) Quantizer.step(bits, range);
            try (NDManager m = NDManager.newBaseManager()) {
                dev.aimc.util.Rng.seed(bits);
                NDArray x = m.randomNormal(new Shape(20_000));
                x.setRequiresGradient(true);
                float[] q;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    q = Quantizer.quantize(x, bits, range).toFloatArray();
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
        double step = Quantizer.step(bits, range);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.linspace(-3f, 3f, 601);
            x.setRequiresGradient(true);
            NDArray q;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                q = Quantizer.quantize(x, bits, range);
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
            HwaConfig noisy = HwaConfig.defaults().withAdc(0, 10.0).withOutputNoise(0.05);
            float[] n = Quantizer.adc(m.zeros(new Shape(200_000)), noisy).toFloatArray();
            double[] d = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                d[i] = n[i];
            }
            assertEquals(1.0, TestUtil.std(d) / (0.05 * 10.0), 0.02);
            assertEquals(0.0, TestUtil.mean(d), 0.01);

            HwaConfig adc = HwaConfig.defaults().withAdc(6, 4.0);
            float[] q = Quantizer.adc(m.linspace(-8f, 8f, 1001), adc).toFloatArray();
            double step = Quantizer.step(6, 4.0);
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
        HwaConfig cfg = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0).withDac(3, 1.0);
        try (NDManager pm = NDManager.newBaseManager()) {
            Linear lin = new Linear(pm, 4, 4, false);
            // W = I: the output is the DAC'd input
            lin.weight().set(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
            HwaLinear h = new HwaLinear(lin, cfg);
            try (NDManager b = pm.newSubManager()) {
                NDArray x = b.create(new float[] {-2f, 0.1f, 0.2f, 0.9f}, new Shape(1, 4));
                float[] y = h.forward(x, true).toFloatArray();
                double s = Quantizer.step(3, 1.0); // 1/3
                float[] want = {-1f, 0f, (float) s, 1f};
                for (int i = 0; i < 4; i++) {
                    assertEquals(want[i], y[i], 1e-6);
                }
            }
        }
    }
}
