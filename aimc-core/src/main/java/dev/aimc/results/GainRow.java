package dev.aimc.results;

/**
 * One row of a gains table: at a time, candidate minus baseline accuracy for a compensation variant, with the
 * spread √(std_baseline² + std_candidate²); accuracies in [0, 1].
 */
public record GainRow(String variant, double timeSeconds, double baseline, double baselineStd, double candidate,
        double candidateStd, double gain, double spread) {}
