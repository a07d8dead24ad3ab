/**
 * Drift and variability compensation for analog networks.
 *
 * <ul>
 *   <li>{@link dev.aimc.compensation.GlobalDriftCompensation}: GDC (Joshi et al. 2020) — calibration reads right after
 *       programming and at time t, the tile's digital output scaled by their ratio (per tile or per column), the reads
 *       taken through the periphery (default), in ideal analog, or from the noise-free drift (an oracle);</li>
 *   <li>{@link dev.aimc.compensation.AdaBs}: batch-norm statistics recalibration through the drifted analog network
 *       (exact population statistics over the calibration images);</li>
 *   <li>{@link dev.aimc.compensation.RatioReadout}: conductance-ratio readout (Antolini et al. 2023) against drifting
 *       reference cells, formed before the ADC;</li>
 *   <li>{@link dev.aimc.compensation.MvmErrorSweep}: the {@code aimc mvm-error} experiment (metric:
 *       {@link dev.aimc.metric.MvmError});</li>
 *   <li>{@link dev.aimc.compensation.Compensation}: a network-level variant of an evaluation;
 *       {@link dev.aimc.compensation.Schemes} parses the named ones ({@code gdc}, {@code gdc-col}, {@code adabs},
 *       {@code ratio}, combinations with {@code +}) for {@code aimc evaluate --compensation} and experiment
 *       files.</li>
 * </ul>
 * Every scheme is applied to a programmed network at its current time and returns an {@link dev.aimc.compensation.Undo}
 * (periphery steps removed, statistics restored), so all variants of a repeat see the same programmed conductances.
 */
package dev.aimc.compensation;
