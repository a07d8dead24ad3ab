package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;

/**
 * A {@link CrossbarUnderProgramming} simulated with a {@link PulseModel} for writes and the
 * {@link DeviceModel}'s read noise (its {@code read} at t = 0, with ν = 0) for every read; all devices start
 * RESET at 0 µS. Reads go through {@link Periphery} (the tile's DAC/ADC semantics).
 */
public final class SimulatedCrossbar implements CrossbarUnderProgramming {
    private final NDManager manager;
    private final DeviceModel device;
    private final PulseModel pulseModel;
    private final Periphery periphery;
    private final int rows;
    private final int cols;
    private final NDArray zeroNu;
    private NDArray g;
    private NDArray perDevice;
    private long pulses;

    /** A RESET crossbar in a sub-manager of {@code parent}. */
    public SimulatedCrossbar(NDManager parent, int rows, int cols, DeviceModel device, PulseModel pulseModel,
            Periphery periphery) {
        this.manager = parent.newSubManager();
        this.device = device;
        this.pulseModel = pulseModel;
        this.periphery = periphery;
        this.rows = rows;
        this.cols = cols;
        Shape s = new Shape(2, rows, cols);
        this.g = manager.zeros(s, DataType.FLOAT32);
        this.perDevice = manager.zeros(s, DataType.FLOAT32);
        this.zeroNu = manager.zeros(s, DataType.FLOAT32);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public double gMax() {
        return pulseModel.gMaxMicroSiemens();
    }

    @Override
    public Periphery periphery() {
        return periphery;
    }

    public DeviceModel device() {
        return device;
    }

    public PulseModel pulseModel() {
        return pulseModel;
    }

    @Override
    public NDArray conductances() {
        return g;
    }

    @Override
    public void pulse(NDArray delta, NDArray mask) {
        NDArray next = pulseModel.apply(g, delta, mask);
        next.attach(manager);
        g.close();
        g = next;
        NDArray counts;
        if (mask == null) {
            counts = perDevice.add(1f);
            pulses += (long) 2 * rows * cols;
        } else {
            counts = perDevice.add(mask);
            try (NDArray s = mask.sum()) {
                pulses += Math.round(s.toType(DataType.FLOAT64, false).getDouble());
            }
        }
        counts.attach(manager);
        perDevice.close();
        perDevice = counts;
    }

    /** Read-noisy conductances (no ADC), µS, attached to {@code into}. */
    NDArray noisyConductances(NDManager into) {
        ProgrammedState st = new ProgrammedState(g, zeroNu);
        NDArray r = device.read(st, g, 0);
        r.attach(into);
        return r;
    }

    @Override
    public NDArray readCells(NDManager into) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray r = noisyConductances(tmp);
            NDArray q = periphery.cellAdc(r, gMax());
            q.attach(into);
            return q;
        }
    }

    @Override
    public NDArray mvm(NDArray u) {
        NDManager owner = u.getManager();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray r = noisyConductances(tmp);
            NDArray uu = u.duplicate();
            uu.attach(tmp);
            NDArray y = periphery.mvm(uu, r, gMax());
            y.attach(owner);
            return y;
        }
    }

    @Override
    public long pulses() {
        return pulses;
    }

    @Override
    public NDArray pulsesPerDevice() {
        return perDevice;
    }

    @Override
    public void close() {
        manager.close();
    }
}
