package dev.aimc.results;

/**
 * One evaluation of the test set: a compensation variant, a programming repeat (its seed) and an inference time.
 *
 * @param accuracy top-1 accuracy in [0, 1]
 */
public record Measurement(String variant, int repeat, long seed, double timeSeconds, double accuracy) {}
