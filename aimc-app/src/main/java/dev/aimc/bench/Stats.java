package dev.aimc.bench;

import java.util.Arrays;

/**
 * Summary of repeated timings (nanoseconds): median, quartiles, minimum. Medians, not means: on a shared
 * machine a few runs are slowed by other processes, and the median ignores them.
 *
 * @param samplesNs every timed repetition, in run order
 */
public record Stats(long[] samplesNs) {

    /**
     * Copies the samples.
     *
     * @param samplesNs every timed repetition, ns; at least one
     * @throws IllegalArgumentException when there is no sample
     */
    public Stats {
        if (samplesNs == null || samplesNs.length == 0) {
            throw new IllegalArgumentException("need at least one sample");
        }
        samplesNs = samplesNs.clone();
    }

    /**
     * Number of timed repetitions.
     *
     * @return the count
     */
    public int count() {
        return samplesNs.length;
    }

    /**
     * Median in nanoseconds (mean of the two middle values for an even count).
     *
     * @return the median, ns
     */
    public double medianNs() {
        return quantileNs(0.5);
    }

    /**
     * Linear-interpolated quantile q ∈ [0, 1] of the samples, nanoseconds.
     *
     * @param q the quantile, in [0, 1]
     * @return the quantile, ns
     */
    public double quantileNs(double q) {
        long[] s = samplesNs.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * Fastest repetition.
     *
     * @return the minimum, ns
     */
    public double minNs() {
        return Arrays.stream(samplesNs).min().orElseThrow();
    }

    /**
     * Median repetition.
     *
     * @return the median, ms
     */
    public double medianMs() {
        return medianNs() / 1e6;
    }
}
