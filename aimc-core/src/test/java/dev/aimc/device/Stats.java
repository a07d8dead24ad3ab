package dev.aimc.device;

/** Small statistics helpers for the device tests (double precision). */
final class Stats {
    private Stats() {}

    static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    /** erf by Abramowitz–Stegun 7.1.26 refined: use a high-accuracy series/continued fraction. */
    static double erf(double x) {
        // Series for |x| < 3, otherwise asymptotic complement; accurate to ~1e-12 on the range used.
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double term = ax;
            double sum = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // continued fraction for erfc
            double t = 0;
            for (int k = 60; k >= 1; k--) {
                t = k / 2.0 / (ax + t);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + t);
        }
        return x < 0 ? -r : r;
    }

    /** Standard normal CDF. */
    static double phi(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    /** Mean of |N(mu, sigma²)| (folded normal). */
    static double foldedMean(double mu, double sigma) {
        return sigma * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * sigma * sigma))
                + mu * (1 - 2 * phi(-mu / sigma));
    }

    /** Std of |N(mu, sigma²)| (folded normal). */
    static double foldedStd(double mu, double sigma) {
        double m = foldedMean(mu, sigma);
        return Math.sqrt(mu * mu + sigma * sigma - m * m);
    }

    static void assertRel(double expected, double actual, double rel, String what) {
        if (!(Math.abs(actual - expected) <= rel * Math.abs(expected))) {
            throw new AssertionError(what + ": expected " + expected + " within " + (rel * 100) + "%, got " + actual);
        }
    }
}
