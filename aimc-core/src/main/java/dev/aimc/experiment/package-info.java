/**
 * Inference over time: {@link dev.aimc.experiment.InferenceExperiment} programs a converted network repeatedly
 * (seed {@code Rng.derive(seed, repeat)}), drifts it to each time and evaluates each variant
 * ({@link dev.aimc.compensation.Compensation} objects; the command line and the experiment-file parser of the
 * application parse their names with {@link dev.aimc.compensation.Schemes}); results ({@link dev.aimc.results}) are
 * keyed by (variant, time).
 */
package dev.aimc.experiment;
