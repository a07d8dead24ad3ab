/**
 * Digital training: {@link dev.aimc.train.Trainer} (autograd loop on DJL with per-batch sub-managers and
 * after-step callbacks), {@link dev.aimc.train.Optimizer} (SGD with momentum/Nesterov, Adam),
 * {@link dev.aimc.train.LrSchedule}, checkpoints ({@link dev.aimc.train.Checkpoint}: {@code model.params},
 * {@code optimizer.params}, {@code model.json}), whole runs with resume ({@link dev.aimc.train.TrainRun}) and
 * the demo's training stage ({@link dev.aimc.train.DemoRunner}).
 *
 * <p>Load a trained network elsewhere with
 * {@code Checkpoint c = Checkpoint.load(dir, manager); Module net = c.model(); CheckpointMeta meta = c.meta();}.
 */
package dev.aimc.train;
