/**
 * Experiment files and the runs they describe: {@link dev.aimc.runner.ExperimentFile} parses and validates the YAML,
 * {@link dev.aimc.runner.ExperimentRunner} trains or reuses each network's checkpoint and runs the library's
 * {@link dev.aimc.experiment.InferenceExperiment} over the file's grid, and
 * {@link dev.aimc.runner.CheckpointEvaluation} is the checkpoint → report path shared by {@code aimc evaluate} and
 * {@code aimc demo}. Work that may run elsewhere goes through two seams the optional module aimc-spark implements:
 * {@link dev.aimc.runner.ChipExecutor} for the chips of an evaluation ({@link dev.aimc.runner.ChipJob}) and
 * {@link dev.aimc.runner.TaskExecutor} for the candidates of the design searches, with what they share carried as
 * bytes ({@link dev.aimc.runner.CheckpointFiles}, {@link dev.aimc.runner.DatasetArrays}).
 */
package dev.aimc.runner;
