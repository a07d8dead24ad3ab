package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.HermesModel;
import dev.aimc.device.IdealModel;
import dev.aimc.device.PcmModel;
import dev.aimc.device.PcmTableModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.metric.MvmError;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;

/** Shared steps of the programming algorithms. */
public final class Programming {
    private Programming() {}

    /**
     * The device model with its programming noise switched off: {@code program(g)} then returns g (clipped to
     * [0, g_max]) with ν drawn for g, which is how a process-programmed conductance gets its drift exponent.
     *
     * @param d the device model
     * @return the same model with σ_prog 0 (PCM, PCM table); the ideal device unchanged
     * @throws ConfigException for any other model (RRAM), naming --device
     */
    public static DeviceModel withoutProgrammingNoise(DeviceModel d) {
        if (d instanceof PcmModel p) {
            return new PcmModel(p.gMaxMicroSiemens(), 0, p.driftScale(), p.readNoiseScale());
        }
        if (d instanceof PcmTableModel p) {
            return new PcmTableModel(p.table(), p.gMaxMicroSiemens(), 0, p.driftScale(), p.readNoiseScale());
        }
        if (d instanceof HermesModel h) {
            return new HermesModel(h.gMaxMicroSiemens(), h.unitCell(), 0, h.driftScale(), h.readNoiseScale());
        }
        if (d instanceof IdealModel) {
            return d;
        }
        throw new ConfigException("--device must be pcm, pcm-table:FILE, hermes or ideal for the programming process, got "
                + d.name());
    }

    /**
     * Final state: the crossbar's conductances with ν drawn by the device model (from the crossbar's
     * {@link CrossbarUnderProgramming#random()} stream), attached to {@code into}.
     */
    static ProgrammedState finish(DeviceModel device, CrossbarUnderProgramming xb, NDManager into) {
        NDArray g = xb.conductances().duplicate();
        g.attach(into);
        ProgrammedState s = withoutProgrammingNoise(device).program(g, xb.random());
        g.close();
        return s;
    }

    /** One open-loop pulse per device from RESET (0) to the target (every device, Δ = 0 included). */
    static void openLoop(CrossbarUnderProgramming xb, NDArray targets) {
        try (NDManager tmp = targets.getManager().newSubManager()) {
            NDArray d = targets.sub(xb.conductances());
            d.attach(tmp);
            xb.pulse(d, null);
        }
    }

    static ProgramResult result(String method, DeviceModel device, CrossbarUnderProgramming xb, NDManager into,
            int iterations, long startNanos, double[] history) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double mean = xb.pulsesPerDevice().mean().getFloat();
        double max = xb.pulsesPerDevice().max().getFloat();
        ProgrammedState st = finish(device, xb, into);
        return new ProgramResult(method, st, xb.pulses(), mean, max, iterations, seconds, history);
    }

    /**
     * ε ({@link MvmError}) of a crossbar under programming, right now (its own noisy MVM), normalized units, for the
     * normalized weights {@code wn} [rows, cols]; inputs uniform in the DAC range.
     *
     * @param xb the crossbar being programmed
     * @param wn normalized weights [rows, cols], in [−1, 1]
     * @param n number of random input vectors
     * @return ε, dimensionless
     */
    public static double mvmError(CrossbarUnderProgramming xb, NDArray wn, int n) {
        return MvmError.of(xb::mvm, wn, xb.periphery().dacRange(), n).mvmError();
    }

    /**
     * {@link MvmError} of a programmed crossbar state ([2, rows, cols]) {@code tSeconds} after programming, in
     * normalized units: the state in a bare tile of the periphery's configuration, drifted to t by the device
     * model, read through its forward pass (read and output noise from {@code rng}), against the normalized weights
     * {@code wn} [rows, cols].
     *
     * @param device the device model (drift and read noise)
     * @param state the programmed conductances and drift exponents
     * @param wn normalized weights [rows, cols]
     * @param p the periphery the read goes through
     * @param tSeconds seconds after programming, ≥ 0
     * @param n number of random input vectors
     * @param rng the stream of inputs, read and output noise
     * @return ε, MAC accuracy and saturated fraction
     */
    public static MvmError.Result mvmError(DeviceModel device, ProgrammedState state, NDArray wn, Periphery p,
            double tSeconds, int n, RandomStream rng) {
        int rows = (int) wn.getShape().get(0);
        int cols = (int) wn.getShape().get(1);
        try (NDManager outer = wn.getManager().newSubManager()) {
            AnalogMatrix tile = SimulatedCrossbar.bareTile(outer, rows, cols, p);
            tile.useRandomStream(rng);
            try {
                SimulatedCrossbar.load(tile, device, state.gProg(), state.nu(), tSeconds);
                NDArray w = wn.transpose();
                w.attach(outer);
                return MvmError.of(tile, w, n);
            } finally {
                tile.close();
            }
        }
    }

    /**
     * The statistical one-shot model: {@code device.program(targets, rng)} (σ_prog after an ideal closed loop).
     *
     * @param device the device model
     * @param targets conductance targets in µS, [2, rows, cols]
     * @param rng the chip stream
     * @return the state, zero pulses
     */
    public static ProgramResult oneShot(DeviceModel device, NDArray targets, RandomStream rng) {
        long t0 = System.nanoTime();
        ProgrammedState s = device.program(targets, rng);
        return new ProgramResult("oneshot", s, 0, 0, 0, 0, (System.nanoTime() - t0) / 1e9, new double[0]);
    }

    /**
     * Open-loop programming: one pulse per device to its target, no verify.
     *
     * @param device the device model (draws ν for the result)
     * @param xb the RESET crossbar
     * @param targets conductance targets in µS, [2, rows, cols]
     * @return the state after one pulse per device
     */
    public static ProgramResult openLoop(DeviceModel device, CrossbarUnderProgramming xb, NDArray targets) {
        long t0 = System.nanoTime();
        openLoop(xb, targets);
        return result("openloop", device, xb, targets.getManager(), 0, t0, new double[0]);
    }
}
