package dev.aimc.bench;

/**
 * One line of the benchmark table.
 *
 * @param workload "W1" … "W7"
 * @param variant e.g. "digital", "analog", "one-shot"
 * @param medianMs median time of one unit of work (a batch, a programming run) in ms; NaN when not timed
 * @param q1Ms first quartile, ms (NaN when not timed)
 * @param q3Ms third quartile, ms (NaN when not timed)
 * @param reps timed repetitions
 * @param value throughput or size: images/s, seconds, or MiB
 * @param unit the unit of {@code value}: "img/s", "s", "MiB" or "" (none)
 * @param ratio the ratio the target is about (analog/digital time, growth fraction, …), NaN if none
 * @param target the target as text ("≤ 1.30", "&lt; 10 s", …), "" if none
 * @param pass true/false against the target, null when there is no target or it was not measured
 * @param note free text (configuration, why something is missing)
 */
public record BenchRow(String workload, String variant, double medianMs, double q1Ms, double q3Ms, int reps,
        double value, String unit, double ratio, String target, Boolean pass, String note) {

    /**
     * A row for a timed variant with its throughput.
     *
     * @param workload "W1" … "W7"
     * @param variant e.g. "digital" or "analog"
     * @param s the timed repetitions (median and quartiles are taken from them)
     * @param value throughput or size in {@code unit}
     * @param unit "img/s", "s", "MiB" or ""
     * @param ratio the ratio the target is about, NaN if none
     * @param target the target as text, "" if none
     * @param pass the outcome against the target, or null
     * @param note free text
     * @return the row
     */
    public static BenchRow timed(String workload, String variant, Stats s, double value, String unit, double ratio,
            String target, Boolean pass, String note) {
        return new BenchRow(workload, variant, s.medianMs(), s.quantileNs(0.25) / 1e6, s.quantileNs(0.75) / 1e6,
                s.count(), value, unit, ratio, target, pass, note);
    }

    /**
     * A row for something that could not be measured (e.g. a method not implemented yet).
     *
     * @param workload "W1" … "W7"
     * @param variant the variant that was not measured
     * @param target the target as text, "" if none
     * @param note why it is missing
     * @return a row with NaN times and no outcome
     */
    public static BenchRow missing(String workload, String variant, String target, String note) {
        return new BenchRow(workload, variant, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, "", Double.NaN,
                target, null, note);
    }
}
