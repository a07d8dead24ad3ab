package dev.aimc.util;

/** Mean and spread over Monte-Carlo repeats, as every report of aimc gives them. */
public final class Stats {
    private Stats() {}

    /**
     * Arithmetic mean; NaN for no values.
     *
     * @param a the values
     * @return the mean
     */
    public static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    /**
     * Sample standard deviation (n − 1); 0 for fewer than two values.
     *
     * @param a the values
     * @return the standard deviation
     */
    public static double sampleStd(double[] a) {
        if (a.length < 2) {
            return 0;
        }
        double mu = mean(a);
        double s = 0;
        for (double v : a) {
            s += (v - mu) * (v - mu);
        }
        return Math.sqrt(s / (a.length - 1));
    }
}
