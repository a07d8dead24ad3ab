package dev.aimc.util;

/**
 * Exact N(0,1) sampler: the ziggurat method with 256 layers (Marsaglia and Tsang, J. Stat. Softw. 5(8), 2000, in
 * Doornik's layer layout, 2005: wedge test in double precision, Marsaglia's exact tail beyond r).
 *
 * <p>Counter-based: sample j of a stream with seed s starts from the 64-bit word w_j = SplitMix64(s + (j+1)·γ);
 * bits 0–7 choose the layer, bit 8 the sign, bits 12–63 the uniform (52 bits), so no bit is used twice. 98.5 % of
 * the tries fall inside their layer's rectangle and are accepted in a branch-free first pass; the others are finished
 * afterwards with further words from a SplitMix64 stream that starts at w_j. Sample j is thus a function of s and j
 * alone: any sub-range of a stream can be generated on its own, in any order or split.
 */
final class Ziggurat {
    private static final int LAYERS = 256;
    /** Start of the tail, r. */
    private static final double R = 3.6541528853610088;
    /** Area of every layer, v. */
    private static final double V = 4.92867323399e-3;
    private static final long ONE_BITS = 0x3FF0000000000000L;
    /** Layer edges x[0] = v/f(r) &gt; x[1] = r &gt; … &gt; x[256] = 0. */
    private static final double[] X = new double[LAYERS + 1];
    /** ±x[i]: index i + 256·sign. */
    private static final double[] SIGNED_X = new double[2 * LAYERS];
    /** x[i+1]/x[i]: a try with u below it lies inside the layer's rectangle. */
    private static final double[] RATIO = new double[LAYERS];
    /** f(x[i]) = exp(−x[i]²/2), the heights of the layer edges (F[0] is unused: layer 0 goes to the tail). */
    private static final double[] F = new double[LAYERS + 1];

    static {
        double f = Math.exp(-0.5 * R * R);
        X[0] = V / f;
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) {
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + f));
            f = Math.exp(-0.5 * X[i] * X[i]);
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = Math.exp(-0.5 * X[i] * X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            RATIO[i] = X[i + 1] / X[i];
            SIGNED_X[i] = X[i];
            SIGNED_X[i + LAYERS] = -X[i];
        }
    }

    private Ziggurat() {}

    /**
     * Writes σ·z_j for j = from … from+len−1 of the stream with seed {@code seed} to {@code out[off … off+len−1]}.
     *
     * @param rejects scratch of at least {@code len} ints
     */
    static void fill(float[] out, int off, int len, long seed, long from, double sigma, int[] rejects) {
        int c = firstTries(out, off, len, seed, from, sigma, rejects);
        long[] st = new long[1];
        for (int r = 0; r < c; r++) {
            int j = rejects[r];
            long w = Rng.derive(seed, from + j); // w_j, the first-try word of sample j
            st[0] = w;
            out[off + j] = (float) (sigma * slow(st, w));
        }
    }

    /** ±x[i] (index i + 256·sign), for the native first tries. */
    static double[] signedX() {
        return SIGNED_X.clone();
    }

    /** x[i+1]/x[i], for the native first tries. */
    static double[] ratios() {
        return RATIO.clone();
    }

    /** The layer edges x[0 … 256], for the native slow path. */
    static double[] edges() {
        return X.clone();
    }

    /** f(x[0 … 256]), for the native slow path. */
    static double[] heights() {
        return F.clone();
    }

    /** First try of every sample, branch-free; returns how many were rejected (their offsets in {@code rejects}). */
    private static int firstTries(float[] out, int off, int len, long seed, long from, double sigma,
            int[] rejects) {
        int c = 0;
        long s = seed + Rng.GOLDEN * from;
        for (int j = 0; j < len; j++) {
            s += Rng.GOLDEN;
            long b = Rng.mix(s);
            double u = unit(b);
            int k = (int) b & (2 * LAYERS - 1);
            out[off + j] = (float) (sigma * (u * SIGNED_X[k]));
            rejects[c] = j;
            c += u < RATIO[k & (LAYERS - 1)] ? 0 : 1;
        }
        return c;
    }

    /** Bits 12–63 as a double in [0, 1), without an integer-to-double conversion. */
    private static double unit(long b) {
        return Double.longBitsToDouble((b >>> 12) | ONE_BITS) - 1.0;
    }

    /** The next word of the stream whose state is {@code st[0]}. */
    private static long next(long[] st) {
        return Rng.mix(st[0] += Rng.GOLDEN);
    }

    /** Finishes a sample from try {@code b}: rectangle, tail (layer 0) or wedge test, else new tries from st. */
    private static double slow(long[] st, long b) {
        while (true) {
            int i = (int) b & (LAYERS - 1);
            double u = unit(b);
            double sign = (b & LAYERS) == 0 ? 1 : -1;
            if (u < RATIO[i]) {
                return sign * u * X[i];
            }
            if (i == 0) {
                return sign * tail(st);
            }
            double x = u * X[i];
            // wedge: a uniform height between the layer's lower and upper edge, accepted below the density
            if (F[i] + unit(next(st)) * (F[i + 1] - F[i]) < exp(-0.5 * x * x)) {
                return sign * x;
            }
            b = next(st);
        }
    }

    /** |z| given |z| &gt; r, exact (Marsaglia 1964). */
    private static double tail(long[] st) {
        double x;
        double y;
        do {
            x = -log(1.0 - unit(next(st))) / R; // 1 − U ∈ (0, 1]
            y = -log(1.0 - unit(next(st)));
        } while (y + y < x * x);
        return R + x;
    }

    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double INV_LN2 = 1.44269504088896338700e+00;
    private static final double SQRT2 = 1.41421356237309514547e+00;

    /**
     * e^a for −709 &lt; a ≤ 0, within 2 ulp: a = k·ln 2 + r (Cody–Waite, |r| ≤ ln 2 / 2), e^r by its Taylor
     * series to r^13 (Estrin's scheme), times 2^k. Our own rather than {@link Math#exp} so that the native kernels, which
     * evaluate the same operations in the same order, give the same doubles (Math.exp may differ by an ulp).
     */
    static double exp(double a) {
        double k = Math.rint(a * INV_LN2);
        double r = (a - k * LN2_HI) - k * LN2_LO;
        // Estrin's scheme (a short dependency chain): pairs, then r², r⁴, r⁸
        double r2 = r * r;
        double r4 = r2 * r2;
        double r8 = r4 * r4;
        double q0 = 1.0 + r;
        double q1 = 1.0 / 2.0 + r * (1.0 / 6.0);
        double q2 = 1.0 / 24.0 + r * (1.0 / 120.0);
        double q3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
        double q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
        double q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
        double q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
        double t0 = (q0 + r2 * q1) + r4 * (q2 + r2 * q3);
        double t1 = (q4 + r2 * q5) + r4 * q6;
        double p = t0 + r8 * t1;
        return p * Double.longBitsToDouble((1023L + (long) k) << 52);
    }

    /**
     * ln v for a normal v &gt; 0, within a few ulp (3 seen, near v = ½): v = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1),
     * by its series to s^21; our own for the reason given at {@link #exp}.
     */
    static double log(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long e = ((bits >>> 52) & 0x7FF) - 1023;
        double m = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | ONE_BITS);
        if (m > SQRT2) {
            m = m * 0.5;
            e = e + 1;
        }
        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double p = 1.0 / 21.0;
        p = p * s2 + 1.0 / 19.0;
        p = p * s2 + 1.0 / 17.0;
        p = p * s2 + 1.0 / 15.0;
        p = p * s2 + 1.0 / 13.0;
        p = p * s2 + 1.0 / 11.0;
        p = p * s2 + 1.0 / 9.0;
        p = p * s2 + 1.0 / 7.0;
        p = p * s2 + 1.0 / 5.0;
        p = p * s2 + 1.0 / 3.0;
        p = p * s2 + 1.0;
        double de = (double) e;
        return de * LN2_HI + (2.0 * s * p + de * LN2_LO);
    }
}
