package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Statistics, determinism and thread-count independence of {@link GaussianNoise}; never timings. */
class GaussianNoiseTest {
    static final int N = 1_000_000;
    static NDManager manager;
    /** One large sample shared by the statistical tests (16 blocks, the last one partial). */
    static float[] z;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        z = draw(N, 0x5EED, 1f, 2);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static float[] draw(int n, long key, float sigma, int threads) {
        float[] a = new float[n];
        GaussianNoise.fill(FloatBuffer.wrap(a), key, sigma, threads);
        return a;
    }

    @Test
    void momentsAreThoseOfAStandardNormal() {
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (float v : z) {
            double x = v;
            m1 += x;
            m2 += x * x;
            m3 += x * x * x;
            m4 += x * x * x * x;
        }
        m1 /= N;
        m2 /= N;
        m3 /= N;
        m4 /= N;
        // 5 standard errors: mean 1/√n, variance √(2/n), skewness √(6/n), kurtosis √(96/n)
        assertEquals(0, m1, 5 / Math.sqrt(N), "mean");
        assertEquals(1, m2 - m1 * m1, 5 * Math.sqrt(2.0 / N), "variance");
        assertEquals(0, m3, 5 * Math.sqrt(6.0 / N), "third moment");
        assertEquals(3, m4, 5 * Math.sqrt(96.0 / N), "fourth moment");
    }

    @Test
    void tailFractionsMatchTheNormalWithinBinomialTolerance() {
        // 3.6541528853610088 is where the ziggurat switches to its tail algorithm
        for (double t : new double[] {1, 2, 3, 3.6541528853610088, 4}) {
            double p = 2 * (1 - Normal.cdf(t));
            long k = Arrays.stream(box(z)).filter(v -> Math.abs(v) > t).count();
            assertEquals(p * N, k, 5 * Math.sqrt(N * p * (1 - p)) + 1, "count of |z| > " + t);
        }
        long pos = Arrays.stream(box(z)).filter(v -> v > 3).count();
        long neg = Arrays.stream(box(z)).filter(v -> v < -3).count();
        double p3 = 1 - Normal.cdf(3);
        assertEquals(p3 * N, pos, 5 * Math.sqrt(N * p3), "right tail");
        assertEquals(p3 * N, neg, 5 * Math.sqrt(N * p3), "left tail");
    }

    @Test
    void kolmogorovSmirnovAgainstTheNormalCdf() {
        double[] s = box(z);
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < N; i++) {
            double f = Normal.cdf(s[i]);
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / N - f), Math.abs(f - (double) i / N)));
        }
        assertTrue(d < 1.95 / Math.sqrt(N), "KS distance " + d + " (p < 0.001 above 1.95/√n)"); // α = 0.001
    }

    @Test
    void chiSquareOverEightyBinsAndTwoTails() {
        int bins = 80;
        double lo = -4;
        double w = 0.1;
        long[] count = new long[bins + 2];
        for (float v : z) {
            int b = v < lo ? 0 : v >= -lo ? bins + 1 : 1 + Math.min(bins - 1, (int) ((v - lo) / w));
            count[b]++;
        }
        double chi2 = 0;
        for (int b = 0; b < bins + 2; b++) {
            double a = b == 0 ? 0 : Normal.cdf(lo + (b - 1) * w);
            double c = b == bins + 1 ? 1 : Normal.cdf(lo + b * w);
            double e = N * (c - a);
            chi2 += (count[b] - e) * (count[b] - e) / e;
        }
        assertTrue(chi2 < 126.0, "chi-square " + chi2 + " with 81 degrees of freedom (p = 0.001 at 126)");
    }

    @Test
    void adjacentSamplesAndBlocksAreUncorrelated() {
        double tol = 5 / Math.sqrt(N);
        for (int lag : new int[] {1, 2, 3, 7}) {
            assertEquals(0, correlation(z, 0, z, lag, N - lag), tol, "lag " + lag);
        }
        int b = GaussianNoise.BLOCK;
        int n = N - b;
        assertEquals(0, correlation(z, 0, z, b, n), 5 / Math.sqrt(n), "same position in adjacent blocks");
        float[] other = draw(N, 0x5EED + 1, 1f, 2);
        assertEquals(0, correlation(z, 0, other, 0, N), tol, "two draws");
    }

    @Test
    void resultIsTheSameForOneTwoAndFourThreads() {
        int n = 3 * GaussianNoise.BLOCK + 12_345;
        float[] one = draw(n, 99, 0.7f, 1);
        assertArrayEquals(one, draw(n, 99, 0.7f, 2));
        assertArrayEquals(one, draw(n, 99, 0.7f, 4));
        assertArrayEquals(one, draw(n, 99, 0.7f, 9));
    }

    @Test
    void anySubRangeOfAStreamIsGeneratedAlike() {
        int n = 20_000;
        int[] rejects = new int[n];
        float[] full = new float[n];
        Ziggurat.fill(full, 0, n, 77, 0, 1.0, rejects);
        float[] parts = new float[n];
        Ziggurat.fill(parts, 12_345, n - 12_345, 77, 12_345, 1.0, rejects);
        Ziggurat.fill(parts, 0, 12_345, 77, 0, 1.0, rejects);
        assertArrayEquals(full, parts);
    }

    @Test
    void sameSeedGivesBitIdenticalArraysAndDrawsDiffer() {
        Shape shape = new Shape(3, 70_000);
        RandomStream r = RandomStream.of(42);
        float[] a1 = fresh(r, 1f, shape);
        float[] a2 = fresh(r, 1f, shape);
        RandomStream again = RandomStream.of(42);
        assertArrayEquals(a1, fresh(again, 1f, shape));
        assertArrayEquals(a2, fresh(again, 1f, shape));
        assertFalse(Arrays.equals(a1, a2), "consecutive draws differ");
        assertFalse(Arrays.equals(a1, fresh(RandomStream.of(43), 1f, shape)), "another seed differs");
    }

    @Test
    void tensorHoldsTheDrawWrittenInPlaceAndOwnsItsMemory() {
        Shape shape = new Shape(2, 5, GaussianNoise.BLOCK + 3);
        try (NDManager m = manager.newSubManager()) {
            NDArray a = RandomStream.of(7).normal(m, 0.25f, shape);
            assertEquals(shape, a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            float[] expected = draw((int) shape.size(), RandomStream.of(7).newDraw(), 0.25f, 3);
            for (int i = 0; i < 5; i++) { // churn allocations and GC: the tensor must keep its own storage
                m.randomUniform(0f, 1f, shape).close();
                System.gc();
            }
            assertArrayEquals(expected, a.toFloatArray());
        }
    }

    @Test
    void sigmaScalesTheSamplesAndEmptyShapesWork() {
        float[] s = draw(200_000, 5, 0.37f, 2);
        double v = 0;
        for (float x : s) {
            v += (double) x * x;
        }
        assertEquals(0.37, Math.sqrt(v / s.length), 0.37 * 5 / Math.sqrt(2.0 * s.length), "std");
        try (NDManager m = manager.newSubManager()) {
            assertEquals(0, RandomStream.of(1).standard(m, new Shape(0, 4)).size());
            assertEquals(1, RandomStream.of(1).standard(m, new Shape()).size());
        }
    }

    private static float[] fresh(RandomStream r, float sigma, Shape shape) {
        try (NDManager m = manager.newSubManager()) {
            return r.normal(m, sigma, shape).toFloatArray();
        }
    }

    private static double[] box(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double correlation(float[] x, int ox, float[] y, int oy, int n) {
        double sx = 0;
        double sy = 0;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double a = x[ox + i];
            double b = y[oy + i];
            sx += a;
            sy += b;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        double cov = sxy / n - (sx / n) * (sy / n);
        return cov / Math.sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
    }

    /** Standard normal CDF from erfc (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
    static final class Normal {
        private Normal() {}

        static double cdf(double x) {
            return 0.5 * erfc(-x / Math.sqrt(2));
        }

        static double erfc(double x) {
            double a = Math.abs(x);
            double t = 1 / (1 + 0.5 * a);
            double r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                    + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? r : 2 - r;
        }
    }
}
