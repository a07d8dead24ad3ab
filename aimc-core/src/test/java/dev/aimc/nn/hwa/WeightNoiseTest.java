package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.device.GstSt90Model;
import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.Linear;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statistics of the injected weight noise, drawn through HwaLinear's training forward with x = I. */
class WeightNoiseTest {
    private static final int IN = 128;
    private static final int OUT = 64;
    private static final int DRAWS = 40;

    /** Returns DRAWS samples of W_noisy − W, flattened per draw, and the clean weights in [0]. */
    private static List<float[]> deltas(HwaConfig cfg, long seed) {
        List<float[]> out = new ArrayList<>();
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(seed);
            Linear lin = new Linear(pm, IN, OUT, false);
            HwaLinear hwa = new HwaLinear(lin, cfg);
            float[] w = lin.weight().toFloatArray();
            out.add(w);
            for (int d = 0; d < DRAWS; d++) {
                try (NDManager batch = pm.newSubManager()) {
                    NDArray y = hwa.forward(TestUtil.eye(batch, IN), true); // [IN, OUT] = W_noisyᵀ
                    float[] wn = y.transpose().toFloatArray();
                    float[] delta = new float[wn.length];
                    for (int i = 0; i < wn.length; i++) {
                        delta[i] = wn[i] - w[i];
                    }
                    out.add(delta);
                }
            }
        }
        return out;
    }

    private static HwaConfig noiseOnly(HwaConfig.NoiseKind kind, double eta) {
        return HwaConfig.defaults().withNoise(kind, eta).withClip(HwaConfig.ClipMode.NONE, 0);
    }

    @Test
    void additiveStdIsEtaTimesMaxAbsWeight() {
        double eta = 0.038;
        List<float[]> d = deltas(noiseOnly(HwaConfig.NoiseKind.ADDITIVE, eta), 11);
        double expected = eta * TestUtil.maxAbs(d.get(0));
        double[] all = d.subList(1, d.size()).stream()
                .flatMapToDouble(a -> { double[] v = new double[a.length]; for (int i = 0; i < a.length; i++) { v[i] = a[i]; } return Arrays.stream(v); })
                .toArray();
        double std = TestUtil.std(all);
        assertEquals(1.0, std / expected, 0.02, "std " + std + " vs η·max|W| " + expected);
        assertEquals(0.0, TestUtil.mean(all) / expected, 0.01);
        // the noise is the same scale everywhere: small and large weights see the same std
        double[] small = pick(d, a -> Math.abs(a) < 0.3 * TestUtil.maxAbs(d.get(0)), false);
        double[] large = pick(d, a -> Math.abs(a) > 0.7 * TestUtil.maxAbs(d.get(0)), false);
        assertEquals(1.0, TestUtil.std(small) / expected, 0.03);
        assertEquals(1.0, TestUtil.std(large) / expected, 0.03);
    }

    @Test
    void multiplicativeStdIsEtaTimesAbsWeight() {
        double eta = 0.05;
        List<float[]> d = deltas(noiseOnly(HwaConfig.NoiseKind.MULTIPLICATIVE, eta), 12);
        float[] w = d.get(0);
        double wmax = TestUtil.maxAbs(w);
        // z = (w_noisy − w) / (η·|w|) must be standard normal, in every band of |w|
        for (double[] band : new double[][] {{0.05, 0.3}, {0.3, 0.6}, {0.6, 1.01}}) {
            List<Double> z = new ArrayList<>();
            for (int k = 1; k < d.size(); k++) {
                for (int i = 0; i < w.length; i++) {
                    double a = Math.abs(w[i]) / wmax;
                    if (a >= band[0] && a < band[1]) {
                        z.add(d.get(k)[i] / (eta * Math.abs(w[i])));
                    }
                }
            }
            double[] zs = z.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(1.0, TestUtil.std(zs), 0.02, "band " + Arrays.toString(band));
            assertEquals(0.0, TestUtil.mean(zs), 0.02, "band " + Arrays.toString(band));
        }
    }

    @Test
    void pcmShapedStdFollowsProgrammingNoisePolynomial() {
        List<float[]> d = deltas(noiseOnly(HwaConfig.NoiseKind.PCM, 1.0), 13);
        float[] w = d.get(0);
        double wmax = TestUtil.maxAbs(w);
        double gMax = ProgrammingNoiseProfile.PCM_G_MAX_US;
        double[][] bands = {{0, 0.25}, {0.25, 0.5}, {0.5, 0.75}, {0.75, 1.01}};
        double[] bandStdRatio = new double[bands.length];
        for (int b = 0; b < bands.length; b++) {
            List<Double> z = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int k = 1; k < d.size(); k++) {
                for (int i = 0; i < w.length; i++) {
                    double gT = Math.abs(w[i]) / wmax;
                    if (gT >= bands[b][0] && gT < bands[b][1]) {
                        double sigmaW = ProgrammingNoiseProfile.pcmSigma(gT, gMax) * wmax / gMax;
                        z.add(d.get(k)[i] / sigmaW);
                        raw.add((double) d.get(k)[i]);
                    }
                }
            }
            double[] zs = z.stream().mapToDouble(Double::doubleValue).toArray();
            assertEquals(1.0, TestUtil.std(zs), 0.02, "band " + Arrays.toString(bands[b]));
            assertEquals(0.0, TestUtil.mean(zs), 0.02);
            bandStdRatio[b] = TestUtil.std(raw.stream().mapToDouble(Double::doubleValue).toArray()) / wmax;
        }
        // the shape: σ grows with |w| (0.26 µS at g = 0 to 1.05 µS at g_max, in units of max|W|/25)
        assertTrue(bandStdRatio[0] < bandStdRatio[1] && bandStdRatio[1] < bandStdRatio[2]
                && bandStdRatio[2] < bandStdRatio[3], Arrays.toString(bandStdRatio));
    }

    @Test
    void gstSt90NoiseIsTheDevicesLevelsAndSpreadInWeightUnits() {
        GstSt90Model dev = GstSt90Model.defaults();
        double sigma = dev.sigmaRel();
        int steps = dev.levels() - 1;
        for (double eta : new double[] {0.0, 1.0}) {
            List<float[]> d = deltas(noiseOnly(HwaConfig.NoiseKind.GST_ST90, eta), 14);
            float[] w = d.get(0);
            double wmax = TestUtil.maxAbs(w);
            List<Double> z = new ArrayList<>();
            for (int k = 1; k < d.size(); k++) {
                for (int i = 0; i < w.length; i++) {
                    double a = Math.abs(w[i]) / wmax;
                    double frac = a * steps - Math.floor(a * steps);
                    if (Math.abs(frac - 0.5) < 1e-4) {
                        continue; // float rounding may pick either level
                    }
                    long level = Math.round(a * steps);
                    // the noisy weight's magnitude, in units of max|W|, minus the level it was snapped to
                    double rest = (w[i] + d.get(k)[i]) * Math.signum(w[i]) / wmax - (double) level / steps;
                    if (level == 0 || eta == 0) {
                        assertEquals(0.0, rest, 1e-5, "level " + level + " without spread, eta " + eta);
                    } else {
                        z.add(rest / (eta * sigma));
                    }
                }
            }
            if (eta > 0) {
                double[] zs = z.stream().mapToDouble(Double::doubleValue).toArray();
                assertEquals(1.0, TestUtil.std(zs), 0.02);
                assertEquals(0.0, TestUtil.mean(zs), 0.02);
            }
        }
        assertEquals(1.0, HwaConfig.defaultEta(HwaConfig.NoiseKind.GST_ST90));
        assertEquals("gst-st90", HwaConfig.NoiseKind.GST_ST90.label());
    }

    @Test
    void eachForwardDrawsAnewAndTheSeedReproducesIt() {
        HwaConfig cfg = noiseOnly(HwaConfig.NoiseKind.ADDITIVE, 0.038);
        try (NDManager pm = NDManager.newBaseManager()) {
            Rng.seed(3);
            HwaLinear hwa = new HwaLinear(new Linear(pm, 16, 8, true), cfg);
            try (NDManager batch = pm.newSubManager()) {
                NDArray x = batch.randomNormal(new ai.djl.ndarray.types.Shape(4, 16));
                hwa.setNoiseStream(RandomStream.of(99));
                float[] a = hwa.forward(x, true).toFloatArray();
                float[] b = hwa.forward(x, true).toFloatArray();
                hwa.setNoiseStream(RandomStream.of(99));
                float[] c = hwa.forward(x, true).toFloatArray();
                assertArrayEquals(a, c, "same seed, same noisy output");
                assertFalse(Arrays.equals(a, b), "a new draw for every forward");
            }
        }
    }

    @Test
    void noiseNoneLeavesTheWeightsAlone() {
        try (NDManager pm = NDManager.newBaseManager(); NDManager batch = pm.newSubManager()) {
            Linear lin = new Linear(pm, 5, 3, false);
            assertTrue(WeightNoise.none().apply(lin.weight(), batch, RandomStream.of(0)) == lin.weight());
            NDArray z = WeightNoise.none().sample(lin.weight(), batch, RandomStream.of(0));
            assertEquals(0f, z.abs().sum().getFloat());
        }
    }

    private interface DoublePred {
        boolean test(double v);
    }

    /** Noise samples of the weights (from the clean weights in d[0]) that satisfy {@code pred}. */
    private static double[] pick(List<float[]> d, DoublePred pred, boolean unused) {
        float[] w = d.get(0);
        List<Double> out = new ArrayList<>();
        for (int k = 1; k < d.size(); k++) {
            for (int i = 0; i < w.length; i++) {
                if (pred.test(w[i])) {
                    out.add((double) d.get(k)[i]);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
