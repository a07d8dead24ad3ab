package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.models.Models;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.tile.Converters;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cell quantizer levels, straight-through gradient, one design for every layer, the uniform layer's forward. */
class UniformScalingTest {

    private static UniformTraining.Options options(ConverterDesign d) {
        return new UniformTraining.Options(d, 2, CellLevels.Polarity.BIPOLAR, 8, 8, null, null, null, 0);
    }

    @Test
    void cellLevelsAreExactlyTheValuesOfBBitCells() {
        CellLevels two = new CellLevels(2, CellLevels.Polarity.BIPOLAR, 1.0);
        float t = (float) (1.0 / 3);
        assertArrayEquals(new float[] {-3 * t, -2 * t, -t, 0, t, 2 * t, 3 * t}, two.values());
        assertEquals(4, two.levelsPerCell());
        assertEquals(1.0 / 3, two.step(), 1e-15);
        CellLevels four = new CellLevels(4, CellLevels.Polarity.POSITIVE, 0.6);
        float[] v = four.values();
        assertEquals(16, v.length);
        assertEquals(0f, v[0]);
        assertEquals((float) (0.6 / 15), v[1]);
        assertEquals(15 * (float) (0.6 / 15), v[15]);
        assertEquals(16, new CellLevels(4, CellLevels.Polarity.NEGATIVE, 0.6).values().length);
        assertEquals(31, new CellLevels(4, CellLevels.Polarity.BIPOLAR, 0.6).values().length);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = {-2f, -0.7f, -0.45f, -0.1f, 0.1f, 0.2f, 0.55f, 0.9f, 3f};
            assertArrayEquals(new float[] {-3 * t, -2 * t, -t, 0, 0, t, 2 * t, 3 * t, 3 * t},
                    two.quantize(m.create(w), false).toFloatArray(), 0f);
            CellLevels pos = new CellLevels(2, CellLevels.Polarity.POSITIVE, 1.0);
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, t, 2 * t, 3 * t, 3 * t},
                    pos.quantize(m.create(w), false).toFloatArray(), 0f);
            CellLevels neg = new CellLevels(2, CellLevels.Polarity.NEGATIVE, 1.0);
            assertArrayEquals(new float[] {-3 * t, -2 * t, -t, 0, 0, 0, 0, 0, 0},
                    neg.quantize(m.create(w), false).toFloatArray(), 0f);
            // every output of the 4-bit quantizer is one of its values, exactly, and the nearest one
            Rng.seed(3);
            CellLevels q4 = new CellLevels(4, CellLevels.Polarity.BIPOLAR, 0.8);
            float[] in = m.randomUniform(-1f, 1f, new Shape(2000)).toFloatArray();
            float[] out = q4.quantize(m.create(in), true).toFloatArray();
            Set<Float> values = new HashSet<>();
            for (float f : q4.values()) {
                values.add(f + 0f); // -0 as 0
            }
            for (int i = 0; i < in.length; i++) {
                assertTrue(values.contains(out[i] + 0f), "value " + out[i]);
                float c = Math.max(-0.8f, Math.min(0.8f, in[i]));
                assertTrue(Math.abs(out[i] - c) <= q4.step() / 2 + 1e-6, in[i] + " -> " + out[i]);
            }
        }
    }

    @Test
    void straightThroughGradientIsIdentityInsideTheRangeAndZeroOutside() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (CellLevels.Polarity p : CellLevels.Polarity.values()) {
                CellLevels q = new CellLevels(2, p, 1.0);
                NDArray w = m.create(new float[] {-1.5f, -0.7f, -0.2f, 0.05f, 0.4f, 0.99f, 1.2f});
                w.setRequiresGradient(true);
                NDArray c = m.create(new float[] {1, 2, 3, 4, 5, 6, 7});
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(q.quantize(w, true).mul(c).sum());
                }
                float[] g = w.getGradient().toFloatArray();
                float[] want = switch (p) {
                    case BIPOLAR -> new float[] {0, 2, 3, 4, 5, 6, 0};
                    case POSITIVE -> new float[] {0, 0, 0, 4, 5, 6, 0};
                    case NEGATIVE -> new float[] {0, 2, 3, 0, 0, 0, 0};
                };
                assertArrayEquals(want, g, p.label());
            }
        }
    }

    @Test
    void aUniformlyScaledNetworkUsesOneConfigurationForEveryLayer() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(64, 265));
            Module uni = Models.create("mlp-har265", m, 1);
            UniformTraining.Conversion cu = UniformTraining.prepare(uni, options(ConverterDesign.UNIFORM), null, x);
            Map<String, UniformScaling> d = UniformTraining.designs(cu.net());
            assertEquals(Set.of("1", "3", "5"), d.keySet());
            assertTrue(UniformTraining.isUniform(cu.net()));
            Set<Converters.Settings> conv = new LinkedHashSet<>();
            Set<CellLevels> quant = new LinkedHashSet<>();
            d.values().forEach(s -> {
                conv.add(s.converters());
                quant.add(s.weights());
            });
            assertEquals(1, conv.size(), "one DAC/ADC configuration");
            assertEquals(1, quant.size(), "one weight quantizer");
            UniformScaling one = d.get("1");
            assertSame(one, d.get("5"));
            // the ranges are those of the most demanding layer
            Module plain = Models.create("mlp-har265", m, 1);
            Map<String, UniformTraining.LayerRanges> r = UniformTraining.calibrate(plain, x);
            double wMax = r.values().stream().mapToDouble(UniformTraining.LayerRanges::weightMax).max().orElseThrow();
            assertEquals(wMax, one.weights().weightRange(), 0);
            assertEquals(r.values().stream().mapToDouble(UniformTraining.LayerRanges::inputMax).max().orElseThrow(),
                    one.converters().inputRange(), 0);
            assertEquals(r.get("1").inputMax(), x.abs().max().getFloat(), 0);
            // per-layer tuned: every layer its own ranges, the same resolutions
            Module per = Models.create("mlp-har265", m, 1);
            UniformTraining.Conversion cp = UniformTraining.prepare(per, options(ConverterDesign.PER_LAYER), null, x);
            assertFalse(UniformTraining.isUniform(cp.net()));
            Map<String, UniformScaling> dp = UniformTraining.designs(cp.net());
            assertEquals(3, new HashSet<>(dp.values()).size());
            assertEquals(r.get("3").weightMax(), dp.get("3").weights().weightRange(), 0);
            assertEquals(r.get("3").productMax() / r.get("3").weightMax(), dp.get("3").converters().outputRange(),
                    0);
            dp.values().forEach(s -> assertEquals(8, s.converters().adcBits()));
            // the checkpoint form gives back the same designs, without recalibration
            Module again = Models.create("mlp-har265", m, 2);
            UniformTraining.Conversion back = UniformTraining.prepare(again, null, cp.toMap(), null);
            assertEquals(dp, UniformTraining.designs(back.net()));
            assertEquals(ConverterDesign.PER_LAYER, back.design());
            // deployed: a plain network's weights on the values of its cells, exactly as the layer quantizes them
            Module plain2 = Models.create("mlp-har265", m, 1);
            UniformTraining.deploy(plain2, cp.toMap());
            for (String p : dp.keySet()) {
                float[] got = ((Linear) plain2.module(p)).weight().toFloatArray();
                float[] want = ((UniformLinear) cp.net().module(p)).quantizedWeight(m).toFloatArray();
                assertArrayEquals(want, got, 0f, p);
                Set<Float> vals = new HashSet<>();
                for (float f : dp.get(p).weights().values()) {
                    vals.add(f + 0f);
                }
                for (float f : got) {
                    assertTrue(vals.contains(f + 0f), p + ": " + f);
                }
            }
            ConfigException e = assertThrows(ConfigException.class, () -> UniformTraining.deploy(
                    new dev.aimc.nn.Sequential().add(new Linear(m, 4, 2, true)), cp.toMap()));
            assertTrue(e.getMessage().contains("[1, 3, 5]") && e.getMessage().contains("[0]"), e.getMessage());
        }
    }

    @Test
    void uniformLinearIsTheQuantizedProductOnTheConverters() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(7);
            Linear lin = new Linear(m, 20, 5, true);
            float[] w0 = lin.weight().toFloatArray();
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 20));
            // no converters: exactly x·Q(W)ᵀ + b
            UniformScaling ideal = UniformScaling.of(2, CellLevels.Polarity.BIPOLAR, 0.2, 0, 1, 0, 1, 0);
            UniformLinear u = new UniformLinear(lin, ideal);
            NDArray qw = u.quantizedWeight(m);
            NDArray want = x.matMul(qw.transpose()).add(lin.bias());
            assertArrayEquals(want.toFloatArray(), u.forward(x, false).toFloatArray(), 1e-5f);
            assertArrayEquals(w0, lin.weight().toFloatArray(), 0f, "latent weights untouched");
            // with an ADC: (y − b)/W lies on the ADC's levels; inputs beyond ±A are clipped by the DAC
            UniformScaling adc = UniformScaling.of(2, CellLevels.Polarity.BIPOLAR, 0.2, 8, 0.5, 6, 3, 0);
            UniformLinear ua = new UniformLinear(lin, adc);
            float[] y = ua.forward(x, false).sub(lin.bias()).div(0.2f).toFloatArray();
            double step = adc.converters().outputStep();
            for (float v : y) {
                double k = v / step;
                assertEquals(Math.rint(k), k, 1e-3, "on an ADC level: " + v);
                assertTrue(Math.abs(v) <= 3 + 1e-5);
            }
            float[] clipped = ua.forward(x.clip(-0.5f, 0.5f), false).toFloatArray();
            assertArrayEquals(clipped, ua.forward(x, false).toFloatArray(), 0f, "DAC clips to ±A");
        }
    }

    @Test
    void badOptionsNameTheOption() {
        ConfigException e = assertThrows(ConfigException.class, () -> new UniformTraining.Options(
                ConverterDesign.PER_LAYER, 2, CellLevels.Polarity.BIPOLAR, 8, 8, 1.0, null, null, 0));
        assertTrue(e.getMessage().startsWith("--uniform-weight-range"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new UniformTraining.Options(ConverterDesign.UNIFORM, 0,
                CellLevels.Polarity.BIPOLAR, 8, 8, null, null, null, 0));
        assertTrue(e.getMessage().startsWith("--cell-bits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new UniformTraining.Options(ConverterDesign.UNIFORM, 2,
                CellLevels.Polarity.BIPOLAR, 1, 8, null, null, null, 0));
        assertTrue(e.getMessage().startsWith("--uniform-dac-bits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> CellLevels.Polarity.parse("--weight-polarity", "both"));
        assertTrue(e.getMessage().contains("bipolar, positive or negative"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ConverterDesign.parse("--converter-design", "tuned"));
        assertTrue(e.getMessage().startsWith("--converter-design"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            Module cnn = Models.create("cnn1d-har", m, 0);
            e = assertThrows(ConfigException.class, () -> UniformTraining.prepare(cnn,
                    options(ConverterDesign.UNIFORM), null, m.zeros(new Shape(1, 9, 128))));
            assertTrue(e.getMessage().contains("1-D convolution"), e.getMessage());
        }
        assertNotEquals(options(ConverterDesign.UNIFORM), options(ConverterDesign.PER_LAYER));
        assertEquals(Arrays.asList(ConverterDesign.values()).size(), 2);
    }
}
