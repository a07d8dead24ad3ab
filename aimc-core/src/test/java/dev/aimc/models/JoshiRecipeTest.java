package dev.aimc.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.hwa.HardwareAware;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.nn.hwa.HwaLayer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hardware-aware fine-tune of Joshi et al. 2020 on their ResNet-32: {@code aimc train --hwa} with its defaults
 * (additive noise of std 3.8 % of each layer's max|W| in the forward, clipping at ±2.5 σ_W after every step) covers
 * every one of the 361,722 weights the paper programs, the 1×1 projections and the first and last layer included.
 */
class JoshiRecipeTest {

    @Test
    void hwaDefaultsAreJoshisRecipeOnEveryWeightOfTheirResNet32() {
        HwaConfig joshi = HwaConfig.defaults();
        assertEquals(HwaConfig.NoiseKind.ADDITIVE, joshi.noiseKind());
        assertEquals(0.038, joshi.noiseEta());
        assertEquals(HwaConfig.ClipMode.SIGMA, joshi.clipMode());
        assertEquals(2.5, joshi.clipValue());
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("resnet32-joshi", m, 3);
            HardwareAware.Conversion c = HardwareAware.convert(net, joshi.withClip(HwaConfig.ClipMode.SIGMA, 1.5),
                    Set.of());
            assertEquals(34, c.convertedPaths().size()); // 33 convolutions + fc
            assertTrue(c.convertedPaths().contains("layer3.0.shortcut"));
            long weights = 0;
            for (String p : c.convertedPaths()) {
                Module layer = net.module(p);
                assertTrue(layer instanceof HwaLayer, p);
                weights += layer.parameter("weight").size();
                if (layer instanceof Linear l) {
                    weights += l.bias().size();
                }
            }
            assertEquals(361_722L, weights);
            // fresh weights exceed 1.5 σ_W in every layer (fc's uniform init reaches √3 σ_W); the hook clips each layer to
            // ±1.5 σ_W of its own weights
            Map<String, NDArray> params = net.namedParameters();
            Map<String, Double> bound = new java.util.HashMap<>();
            for (String p : c.convertedPaths()) {
                NDArray wp = params.get(p + ".weight");
                bound.put(p, 1.5 * std(wp));
                assertTrue(maxAbs(wp) > bound.get(p), "nothing to clip in " + p);
            }
            c.clipHook().accept(net);
            for (String p : c.convertedPaths()) {
                assertEquals(bound.get(p), maxAbs(params.get(p + ".weight")), 1e-6 * bound.get(p), p);
            }
        }
    }

    private static double maxAbs(NDArray w) {
        return w.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    /** σ_W, unbiased, in double precision. */
    private static double std(NDArray w) {
        double[] v = w.toType(DataType.FLOAT64, false).toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
