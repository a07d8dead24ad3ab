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
 *       as one [2, rows, cols] µS array (rows = inputs); single-cell reads (device read noise + ADC) and noisy
 *       MVMs (DAC → product → ADC, {@link dev.aimc.program.Periphery}, the tile package's quantizer
 *       semantics).</li>
 *   <li>Algorithms: {@link dev.aimc.program.Programming#oneShot} (the statistical model, the fast default),
 *       {@link dev.aimc.program.Programming#openLoop}, {@link dev.aimc.program.ProgramVerify} (unit-cell
 *       program-and-verify) and {@link dev.aimc.program.Gdp} (gradient-descent programming).</li>
 *   <li>{@link dev.aimc.program.ProgramResult#state()} is a {@link dev.aimc.device.ProgrammedState} ([2, rows,
 *       cols] conductances and ν drawn by the device model for them): the inference flow uses it exactly like the
 *       output of {@code DeviceModel.program} ({@code drift}, {@code read}).</li>
 *   <li>{@link dev.aimc.program.MvmError}: ε = ‖y − Wx‖/‖Wx‖ over random inputs, at any time after
 *       programming.</li>
 * </ul>
 */
package dev.aimc.program;
