package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.Converters;
import dev.aimc.util.RandomStream;

/**
 * A {@link CrossbarUnderProgramming} on one crossbar tile of the tile package: writes go through a
 * {@link PulseModel}, every read through an {@link AnalogMatrix} tile holding the current conductances (as its
 * programmed state, ν = 0, t = 0): an MVM is that tile's {@link AnalogMatrix#forward} (input scaling, DAC,
 * the device model's read noise, output noise, ADC of the tile configuration), a single-cell read is one
 * {@link AnalogMatrix#readDevices} draw through the tile's ADC rule ({@link Converters#quantizeToStep}) over the
 * cell-read range. All devices start RESET at 0 µS.
 *
 * <p>Randomness comes from the crossbar's stream, split by purpose: the pulse errors (child {@link #PULSES}), the
 * tile's reads and output noise (child {@link #READS}, itself split by the tile's purposes) and the algorithm's own
 * draws ({@link #random()}, child {@link #ALGORITHM}).
 *
 * <p>The tile is built with unit weights, so its digital scale is 1 and its outputs are in normalized units
 * (a full-scale input on a full-scale device gives 1): the algorithms compare them with x·w for normalized
 * weights w = (G+ − G−)/g_max.
 */
public final class SimulatedCrossbar implements CrossbarUnderProgramming {
    /** Purpose of the child stream of pulse errors. */
    public static final long PULSES = 0;
    /** Purpose of the child stream of the tile's reads. */
    public static final long READS = 1;
    /** Purpose of the child stream of the algorithm's draws. */
    public static final long ALGORITHM = 2;

    private final NDManager manager;
    private final RandomStream pulseRng;
    private final RandomStream algorithmRng;
    private final DeviceModel device;
    private final PulseModel pulseModel;
    private final Periphery periphery;
    private final AnalogMatrix tile;
    private final int rows;
    private final int cols;
    private NDArray g;
    private NDArray perDevice;
    private long pulses;
    private boolean stale = true;

    /**
     * A RESET crossbar in a sub-manager of {@code parent}, drawing from the stream of seed 0 (deterministic).
     *
     * @param parent the manager whose sub-manager holds the crossbar's arrays
     * @param rows crossbar rows
     * @param cols crossbar columns
     * @param device the device model (read noise, g_max)
     * @param pulseModel the pulse error model
     * @param periphery DAC, ADC and cell-read range
     */
    public SimulatedCrossbar(NDManager parent, int rows, int cols, DeviceModel device, PulseModel pulseModel,
            Periphery periphery) {
        this(parent, rows, cols, device, pulseModel, periphery, RandomStream.of(0));
    }

    /**
     * A RESET crossbar in a sub-manager of {@code parent}, drawing from {@code rng} (see the class comment).
     *
     * @param parent the manager whose sub-manager holds the crossbar's arrays
     * @param rows crossbar rows
     * @param cols crossbar columns
     * @param device the device model (read noise, g_max)
     * @param pulseModel the pulse error model
     * @param periphery DAC, ADC and cell-read range
     * @param rng the crossbar's stream, split for pulses, reads and the algorithm
     */
    public SimulatedCrossbar(NDManager parent, int rows, int cols, DeviceModel device, PulseModel pulseModel,
            Periphery periphery, RandomStream rng) {
        this.manager = parent.newSubManager();
        this.pulseRng = rng.split(PULSES);
        this.algorithmRng = rng.split(ALGORITHM);
        this.device = device;
        this.pulseModel = pulseModel;
        this.periphery = periphery;
        this.rows = rows;
        this.cols = cols;
        this.tile = bareTile(manager, rows, cols, periphery);
        this.tile.useRandomStream(rng.split(READS));
        Shape s = new Shape(2, rows, cols);
        this.g = manager.zeros(s, DataType.FLOAT32);
        this.perDevice = manager.zeros(s, DataType.FLOAT32);
    }

    /**
     * One {@code rows} × {@code cols} tile with unit weights (digital scale 1, no bias) configured by
     * {@link Periphery#crossbarConfig}, in a sub-manager of {@code parent}; not programmed.
     */
    static AnalogMatrix bareTile(NDManager parent, int rows, int cols, Periphery periphery) {
        try (NDArray ones = parent.ones(new Shape(cols, rows))) {
            return new AnalogMatrix(ones, null, periphery.crossbarConfig(rows, cols));
        }
    }

    /** Installs conductances [2, rows, cols] µS (and ν, or zeros when null) into a bare tile and drifts it to t. */
    static void load(AnalogMatrix tile, DeviceModel device, NDArray g, NDArray nu, double tSeconds) {
        long[] s = g.getShape().getShape();
        Shape s5 = new Shape(1, 1, s[0], s[1], s[2]);
        NDArray g5 = g.reshape(s5);
        NDArray nu5 = nu == null ? tile.manager().zeros(s5, DataType.FLOAT32) : nu.reshape(s5);
        tile.setProgrammedState(device, new ProgrammedState(g5, nu5));
        tile.driftTo(tSeconds);
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

    /**
     * The device model whose read noise the reads see.
     *
     * @return the model
     */
    public DeviceModel device() {
        return device;
    }

    /**
     * The pulse error model of {@link #pulse}.
     *
     * @return the model
     */
    public PulseModel pulseModel() {
        return pulseModel;
    }

    /**
     * The tile the reads go through (holds the current conductances after the next read).
     *
     * @return the tile
     */
    public AnalogMatrix tile() {
        sync();
        return tile;
    }

    /**
     * Gives this crossbar's columns the ADC gain and offset of one tile of a chip (so that programming reads
     * through the same converters the programmed matrix will use); see
     * {@link AnalogMatrix#setAdcMismatch}.
     *
     * @param gain per-column gain, [cols]
     * @param offset per-column offset in normalized output units, [cols]
     */
    public void useAdcMismatch(NDArray gain, NDArray offset) {
        tile.setAdcMismatch(gain.reshape(1, 1, cols), offset.reshape(1, 1, cols));
    }

    @Override
    public NDArray conductances() {
        return g;
    }

    @Override
    public void pulse(NDArray delta, NDArray mask) {
        NDArray next = pulseModel.apply(g, delta, mask, pulseRng);
        next.attach(manager);
        g.close();
        g = next;
        stale = true;
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

    /** Puts the current conductances into the tile (ν = 0, t = 0) when they changed. */
    private long loads; // loads so far: the pass key of the current one

    private void sync() {
        if (stale) {
            load(tile, device, g, null, 0);
            // every load is a new read of the array: a pass of its own, so its read and output noise are fresh
            tile.startPass(++loads);
            stale = false;
        }
    }

    @Override
    public NDArray readCells(NDManager into) {
        sync();
        try (NDManager tmp = manager.newSubManager()) {
            double range = periphery.cellReadRange() * gMax();
            double step = periphery.cellReadStepMicroSiemens(gMax());
            NDArray q;
            if (periphery.cellReadsThroughAdc()) {
                q = tile.readCellsThroughAdc(tmp, range, step).reshape(2, rows, cols);
            } else {
                NDArray r = tile.readDevices(tmp).reshape(2, rows, cols);
                q = Converters.quantizeToStep(r, range, step);
            }
            q.attach(into);
            return q;
        }
    }

    @Override
    public NDArray mvm(NDArray u) {
        sync();
        return tile.forward(u);
    }

    @Override
    public RandomStream random() {
        return algorithmRng;
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
        tile.close();
        manager.close();
    }
}
