package dev.aimc.bench;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code aimc bench} runs.
 *
 * @param quick every workload briefly (a smoke run: few repetitions, W6 with 20/200 batches)
 * @param threads PyTorch intra-op threads (≥ 1)
 * @param workloads the workloads to run, a subset of {@link #ALL}, in canonical order
 * @param seed seed of weights, inputs and device noise
 */
public record BenchOptions(boolean quick, int threads, List<String> workloads, long seed) {

    /** Every workload, in run order. */
    public static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10");

    /**
     * Copies the workload list.
     *
     * @param quick shorter runs for CI
     * @param threads PyTorch intra-op threads, ≥ 1
     * @param workloads the workloads to run, from {@link #ALL}
     * @param seed seed of weights, data and noise
     * @throws ConfigException when {@code threads} is below 1
     */
    public BenchOptions {
        if (threads < 1) {
            throw new ConfigException("--threads must be >= 1, got " + threads);
        }
        workloads = List.copyOf(workloads);
    }

    /**
     * Parses a comma-separated list such as {@code "W1,w3"} (case-insensitive; null or blank means all).
     *
     * @param list the --workloads value, or null
     * @return the workload names in upper case, in {@link #ALL}'s order
     * @throws ConfigException naming --workloads for an unknown name
     */
    public static List<String> parseWorkloads(String list) {
        if (list == null || list.isBlank()) {
            return ALL;
        }
        Set<String> want = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            String w = s.strip().toUpperCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            if (!ALL.contains(w)) {
                throw new ConfigException("--workloads must list names from " + ALL + ", got " + s.strip());
            }
            want.add(w);
        }
        if (want.isEmpty()) {
            throw new ConfigException("--workloads must list at least one of " + ALL + ", got " + list);
        }
        List<String> out = new ArrayList<>();
        for (String w : ALL) {
            if (want.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
