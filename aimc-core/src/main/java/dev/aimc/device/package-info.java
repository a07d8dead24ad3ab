/**
 * Statistical models of analog memory devices: programming error, conductance drift and read noise, all
 * vectorised on float32 DJL NDArrays, conductances in µS and times in seconds.
 *
 * <ul>
 *   <li>{@link dev.aimc.device.DeviceModel} — the interface; {@link dev.aimc.device.ProgrammedState} — g_prog
 *       and per-device drift exponents ν.</li>
 *   <li>{@link dev.aimc.device.PcmModel} — PCM of Nandakumar et al. (ICECS 2019) / Joshi et al. (Nat. Commun.
 *       11, 2473, 2020), eqs. (1)–(4); {@link dev.aimc.device.PcmTableModel} — the same with ν statistics
 *       from a measured {@link dev.aimc.device.NuTable}.</li>
 *   <li>{@link dev.aimc.device.RramModel} — multi-level RRAM with log-normal variation and stuck-at faults;
 *       {@link dev.aimc.device.IdealModel} — exact devices.</li>
 *   <li>{@link dev.aimc.device.DeviceModels} — builds them from {@code --device NAME[:KEY=VALUE,...]} specs
 *       ({@link dev.aimc.device.DeviceSpec}) and holds one table of {@link dev.aimc.device.DeviceParameter}s per
 *       model ({@link dev.aimc.device.DeviceType}), from which the parser, the help text and
 *       {@link dev.aimc.device.DeviceModel#parameters()} are derived.</li>
 * </ul>
 *
 * <p>Randomness comes only from the {@link dev.aimc.util.RandomStream} passed to each call: programming noise and
 * drift exponents from the stream given to {@code program}, read noise from the one given to {@code read} or
 * {@code reader}; drift is deterministic.
 */
package dev.aimc.device;
