/**
 * Experiment files and the runs they describe: {@link dev.aimc.runner.ExperimentFile} parses and validates the YAML,
 * {@link dev.aimc.runner.ExperimentRunner} trains or reuses each network's checkpoint and runs the library's
 * {@link dev.aimc.experiment.InferenceExperiment} over the file's grid, and
 * {@link dev.aimc.runner.CheckpointEvaluation} is the checkpoint → report path shared by {@code aimc evaluate} and
 * {@code aimc demo}.
 */
package dev.aimc.runner;
