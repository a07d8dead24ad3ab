package dev.aimc.program;

import dev.aimc.device.ProgrammedState;

/**
 * Outcome of programming one crossbar.
 *
 * @param method "oneshot", "openloop", "verify" or "gdp"
 * @param state programmed conductances [2, rows, cols] µS (plane 0 = G+, plane 1 = G−) and drift exponents ν
 *     drawn by the device model for the final conductances: feed it to {@code DeviceModel.drift/read} (or the
 *     tile's programmed state) exactly like the output of {@code DeviceModel.program}
 * @param pulses programming pulses applied in total (0 for the statistical one-shot model)
 * @param pulsesPerDeviceMean mean pulses per device
 * @param pulsesPerDeviceMax most pulses any device received
 * @param iterations iterations run (verify: read-verify cycles of the slowest device; gdp: K)
 * @param seconds wall time of the programming itself
 * @param history ε after each iteration, index 0 = after the initial open-loop pulse (empty if not tracked)
 */
public record ProgramResult(String method, ProgrammedState state, long pulses, double pulsesPerDeviceMean,
        double pulsesPerDeviceMax, int iterations, double seconds, double[] history) implements AutoCloseable {

    @Override
    public void close() {
        state.close();
    }
}
