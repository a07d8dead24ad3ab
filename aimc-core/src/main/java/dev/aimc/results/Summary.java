package dev.aimc.results;

/** Mean and sample std of the accuracy over repeats for one (variant, time); accuracies in [0, 1]. */
public record Summary(String variant, double timeSeconds, double mean, double std, int n) {}
