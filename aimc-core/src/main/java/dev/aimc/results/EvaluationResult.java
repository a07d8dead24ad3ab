package dev.aimc.results;

import java.util.List;
import java.util.Map;

/**
 * Everything a report needs of one evaluation over time (the experiment engine writes it, the report reads it).
 *
 * @param title what was evaluated (model on data set)
 * @param configuration the configuration (every parameter of device, tile, programming and compensation, plus
 *     context such as the checkpoint)
 * @param deviceName the device model's name
 * @param analogLayers paths of the layers computed in analog
 */
public record EvaluationResult(String title, Map<String, Object> configuration, long seed, String aimcVersion,
        String deviceName, List<String> analogLayers, int testSamples, double digitalAccuracy, List<Double> times,
        List<String> variants, List<Measurement> measurements, List<Summary> summaries, Timing timing) {

    /**
     * The summary for (variant, time), or null.
     *
     * @param variant the compensation variant, e.g. "gdc"
     * @param time inference time in seconds, matched exactly
     * @return the mean and spread over repeats, or null when (variant, time) was not evaluated
     */
    public Summary summary(String variant, double time) {
        return summaries.stream().filter(s -> s.variant().equals(variant) && s.timeSeconds() == time)
                .findFirst().orElse(null);
    }
}
