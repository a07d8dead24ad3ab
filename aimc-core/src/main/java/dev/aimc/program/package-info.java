/**
 * Programming weights onto a crossbar as a process: pulses, reads and two closed-loop algorithms (Büchel et al.,
 * "Programming Weights to Analog In-Memory Computing Cores by Direct Minimization of the Matrix-Vector
 * Multiplication Error", IEEE JETCAS 2023).
 *
 * <ul>
 *   <li>{@link dev.aimc.program.PulseModel}: one pulse moves a device by Δ + σ(Δ)·N(0,1),
 *       σ = σ_rel·|Δ| ⊕ σ_abs (×2 on σ_rel for decrements), saturating at 0 and g_max; defaults calibrated so
 *       that program-and-verify lands at the PCM model's σ_prog.</li>
 *   <li>{@link dev.aimc.program.CrossbarUnderProgramming} / {@link dev.aimc.program.SimulatedCrossbar}: G+ and G−
 *       as one [2, rows, cols] µS array (rows = inputs), held as the programmed state of one
 *       {@link dev.aimc.tile.AnalogMatrix} tile: noisy MVMs are that tile's forward pass (input scaling, DAC,
 *       read noise, output noise, ADC of its {@link dev.aimc.tile.TileConfig}), single-cell reads are
 *       {@link dev.aimc.tile.AnalogMatrix#readDevices} through the tile's ADC rule over the cell-read range
 *       ({@link dev.aimc.program.Periphery}).</li>
 *   <li>{@link dev.aimc.program.Programmers}: the algorithms as {@link dev.aimc.tile.TileProgrammer}s for
 *       {@link dev.aimc.tile.AnalogMatrix#program(dev.aimc.device.DeviceModel, dev.aimc.tile.TileProgrammer)},
 *       each reporting its pulses per device: {@link dev.aimc.program.Programmers.OneShot} (the statistical model,
 *       the fast default, one operation per device) and {@link dev.aimc.program.Programmers.Process}, which runs a
 *       {@link dev.aimc.program.CrossbarProgrammer} — {@link dev.aimc.program.OpenLoop},
 *       {@link dev.aimc.program.ProgramVerify} (unit-cell program-and-verify) or {@link dev.aimc.program.Gdp}
 *       (gradient-descent programming), each a record of its parameters — on a layer's R × C tiles one after the
 *       other, each on its own crossbar; used by {@code aimc evaluate --programming} and {@code aimc program}.</li>
 *   <li>{@link dev.aimc.program.ProgramResult#state()} is a {@link dev.aimc.device.ProgrammedState} ([2, rows,
 *       cols] conductances and ν drawn by the device model for them): the inference flow uses it exactly like the
 *       output of {@code DeviceModel.program} ({@code drift}, {@code read}).</li>
 *   <li>{@link dev.aimc.program.Programming#mvmError}: ε ({@link dev.aimc.metric.MvmError}) of a crossbar under
 *       programming or of a programmed state at any time after programming.</li>
 * </ul>
 */
package dev.aimc.program;
