package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;

/**
 * The devices of one matrix's tiles as one chip instance holds them: the device model, its programmed state
 * (conductances in µS and drift exponents ν, [R, C, D, rows, deviceCols]), the drifted conductances at the current
 * inference time and the read noise prepared for that time. It knows nothing of weights, mappings or converters:
 * {@link AnalogMatrix} gives it target conductances and turns what it reads into effective weights.
 *
 * <p>Lifecycle: {@link #program} (or {@link #install} for a state programmed elsewhere), then {@link #driftTo} for
 * each inference time, then any number of {@link #read()}s. Its arrays live in the manager it was made with; a new
 * {@code program} or {@code install} closes the previous state.
 */
public final class DeviceArray implements AutoCloseable {
    private final NDManager manager;
    private final Shape shape;
    private DeviceModel device;
    private ProgrammedState state;
    private NDArray gDrift;
    private DeviceModel.Reader reader; // read noise prepared once per driftTo (amplitude kept between reads)
    private double time = Double.NaN;

    /**
     * An unprogrammed array of the given shape.
     *
     * @param manager the manager that owns the states (the matrix's)
     * @param shape [R, C, D, rows, deviceCols], the shape of every state and read
     */
    DeviceArray(NDManager manager, Shape shape) {
        this.manager = manager;
        this.shape = shape;
    }

    /**
     * Programs {@code target} on {@code device} (programming noise and drift exponents from {@code programming});
     * takes ownership of {@code target}.
     *
     * @param device the device model
     * @param target target conductances in µS, of this array's shape
     * @param programming the chip's programming stream
     */
    void program(DeviceModel device, NDArray target, RandomStream programming) {
        release();
        this.device = device;
        ProgrammedState st = device.program(target, programming);
        st.gProg().attach(manager);
        st.nu().attach(manager);
        if (st.gProg() != target) {
            target.close();
        }
        this.state = st;
    }

    /**
     * Installs a state programmed elsewhere (e.g. by a {@link TileProgrammer}), taking ownership of its arrays.
     *
     * @param device the device model that produced it (its drift, read noise, g_min and g_max are used)
     * @param programmed conductances in µS and ν, of this array's shape
     * @throws IllegalArgumentException when the state's shape differs
     */
    void install(DeviceModel device, ProgrammedState programmed) {
        if (!programmed.gProg().getShape().equals(shape)) {
            throw new IllegalArgumentException("programmed state must have shape " + shape + ", got "
                    + programmed.gProg().getShape());
        }
        release();
        this.device = device;
        programmed.gProg().attach(manager);
        programmed.nu().attach(manager);
        this.state = programmed;
    }

    /**
     * Drifts the programmed state to {@code tSeconds} and prepares the read noise at that time.
     *
     * @param tSeconds inference time t_inf in seconds since programming, finite and ≥ 0
     * @param reads the stream the prepared reader draws its read noise from
     * @throws IllegalStateException before programming
     * @throws ConfigException when {@code tSeconds} is negative, infinite or NaN
     */
    void driftTo(double tSeconds, RandomStream reads) {
        if (state == null) {
            throw new IllegalStateException("program() the matrix before driftTo()");
        }
        if (!(tSeconds >= 0) || Double.isInfinite(tSeconds)) {
            throw new ConfigException("time must be a finite number >= 0 seconds, got " + tSeconds);
        }
        releaseDrift();
        NDArray g = device.drift(state, tSeconds);
        g.attach(manager);
        gDrift = g;
        time = tSeconds;
        reader = device.reader(state, gDrift, tSeconds, reads);
    }

    /**
     * Prepares the read noise of the current time anew, drawing from {@code reads} from now on (the drifted
     * conductances stay).
     *
     * @param reads the stream later {@link #read()}s draw from
     * @throws IllegalStateException before {@link #driftTo}
     */
    void useReadStream(RandomStream reads) {
        checkDrifted();
        if (reader != null) {
            reader.close();
        }
        reader = device.reader(state, gDrift, time, reads);
    }

    /**
     * One read with the prepared read noise (the stream given to {@link #driftTo}).
     *
     * @return read conductances in µS; may be {@link #drifted()} or the programmed conductances themselves when the
     *     device has no read noise (see {@link #owns})
     * @throws IllegalStateException before {@link #driftTo}
     */
    NDArray read() {
        checkDrifted();
        return reader.read();
    }

    /**
     * One read with read noise from {@code rng} (e.g. a calibration stream).
     *
     * @param rng the stream of this read's noise
     * @return read conductances in µS; may be an array this object owns (see {@link #owns})
     * @throws IllegalStateException before {@link #driftTo}
     */
    NDArray read(RandomStream rng) {
        checkDrifted();
        return device.read(state, gDrift, time, rng);
    }

    /**
     * Whether a read returned one of this object's own arrays (a read without noise), which the caller must not close.
     *
     * @param g an array returned by a read
     * @return true when {@code g} is the drifted or the programmed conductances
     */
    boolean owns(NDArray g) {
        return g == gDrift || (state != null && g == state.gProg());
    }

    /**
     * The prepared reader's Gaussian parts (mean and std per device, µS) where its read noise is Gaussian, for the
     * fused native read; null otherwise or before {@link #driftTo}.
     *
     * @return {mean, std} or null
     */
    NDArray[] gaussianParts() {
        return reader == null ? null : reader.gaussianParts();
    }

    private void checkDrifted() {
        if (gDrift == null) {
            throw new IllegalStateException("call driftTo(t) after program() before reading");
        }
    }

    /**
     * The device model programmed, or null.
     *
     * @return the model of the last program or install; null before
     */
    public DeviceModel device() {
        return device;
    }

    /**
     * The programmed state, or null.
     *
     * @return conductances in µS and ν, owned by this object (do not close); null before programming
     */
    public ProgrammedState state() {
        return state;
    }

    /**
     * The drifted conductances in µS at {@link #time()}, or null.
     *
     * @return this object's own array (not a copy); null before {@link #driftTo}
     */
    public NDArray drifted() {
        return gDrift;
    }

    /**
     * The inference time of the last {@link #driftTo}, in seconds since programming.
     *
     * @return t_inf ≥ 0, NaN before the first drift
     */
    public double time() {
        return time;
    }

    /** Closes the drifted conductances and the prepared reader (the programmed state stays). */
    void releaseDrift() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (gDrift != null && (state == null || gDrift != state.gProg())) {
            gDrift.close();
        }
        gDrift = null;
        time = Double.NaN;
    }

    /** Closes everything: drift, reader and programmed state. */
    void release() {
        releaseDrift();
        if (state != null) {
            state.close();
            state = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
