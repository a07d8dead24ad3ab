package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Sequential;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeightClipperTest {

    private static double unbiasedStd(float[] w) {
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            d[i] = w[i];
        }
        return TestUtil.std(d);
    }

    private static int checkClipped(float[] before, float[] after, double bound) {
        int clipped = 0;
        float b = (float) bound;
        for (int i = 0; i < before.length; i++) {
            if (Math.abs(before[i]) > b) {
                assertEquals(Math.copySign(b, before[i]), after[i], 0f, "clipped exactly");
                clipped++;
            } else {
                assertEquals(before[i], after[i], 0f, "untouched");
            }
        }
        return clipped;
    }

    @Test
    void sigmaClippingPerLayerClipsExactlyAndLeavesTheRest() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(21);
            Sequential net = new Sequential().add(new Conv2d(pm, 2, 4, 3, 1, 1, true)).add(new Linear(pm, 30, 20, true));
            // heavy tails so that ±2σ cuts something
            InPlace.assign(net.module("0").parameter("weight"),
                    pm.randomNormal(new Shape(4, 2, 3, 3)).pow(3).toFloatArray());
            InPlace.assign(net.module("1").parameter("weight"),
                    pm.randomNormal(new Shape(20, 30)).mul(0.1).toFloatArray());
            float[] w0 = net.module("0").parameter("weight").toFloatArray();
            float[] w1 = net.module("1").parameter("weight").toFloatArray();
            float[] b1 = net.module("1").parameter("bias").toFloatArray();
            int count = pm.getManagedArrays().size();
            WeightClipper.sigma(2.0).accept(net);
            assertEquals(count, pm.getManagedArrays().size(), "no arrays left behind");
            int c0 = checkClipped(w0, net.module("0").parameter("weight").toFloatArray(), 2.0 * unbiasedStd(w0));
            int c1 = checkClipped(w1, net.module("1").parameter("weight").toFloatArray(), 2.0 * unbiasedStd(w1));
            assertTrue(c0 > 0 && c1 > 0, c0 + " " + c1);
            assertArrayEquals(b1, net.module("1").parameter("bias").toFloatArray(), "bias not clipped");
            assertTrue(net.module("1").parameter("weight").hasGradient(), "still a parameter");
        }
    }

    @Test
    void fixedClippingAndTheConversionHookOnlyTouchConvertedLayers() {
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(22);
            Sequential net = new Sequential().add(new Linear(pm, 10, 10, false)).add(new Linear(pm, 10, 10, false));
            InPlace.assign(net.module("0").parameter("weight"), pm.randomNormal(new Shape(10, 10)).toFloatArray());
            InPlace.assign(net.module("1").parameter("weight"), pm.randomNormal(new Shape(10, 10)).toFloatArray());
            float[] w0 = net.module("0").parameter("weight").toFloatArray();
            float[] w1 = net.module("1").parameter("weight").toFloatArray();
            HardwareAware.Conversion c = HardwareAware.convert(net,
                    HwaConfig.defaults().withClip(HwaConfig.ClipMode.VALUE, 0.5), Set.of("0"));
            c.clipHook().accept(c.net());
            assertArrayEquals(w0, net.module("0").parameter("weight").toFloatArray(), "kept digital: not clipped");
            assertTrue(checkClipped(w1, net.module("1").parameter("weight").toFloatArray(), 0.5) > 0);
            // the unrestricted clipper clips every layer
            WeightClipper.fixed(0.5).accept(net);
            checkClipped(w0, net.module("0").parameter("weight").toFloatArray(), 0.5);
        }
    }
}
