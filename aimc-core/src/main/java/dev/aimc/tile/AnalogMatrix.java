package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.ConfigException;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Nd;
import dev.aimc.util.RandomStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A weight matrix [out, in] on a grid of crossbar tiles: R = ⌈in / rows⌉ row-tiles (inputs) by
 * C = ⌈out / cols⌉ column-tiles (outputs), each tile at most {@code maxRows} × {@code maxCols}. Edge tiles are
 * zero-padded so all tiles are stacked in one tensor [R, C, rows, cols] and every step — mapping, programming,
 * drift, read noise, the MVM (one batched matmul over the R row-tiles), output noise, ADC — is one tensor
 * operation for the whole layer; there is no Java loop over tiles or devices. Padded rows get zero input and
 * padded columns are dropped, so padding changes nothing.
 *
 * <p>Lifecycle: {@link #program(DeviceModel, RandomStream)} maps the weights to target conductances and programs them
 * (programming noise, drift exponents); {@link #driftTo(double)} computes the drifted conductances once and keeps
 * them and, by default ({@link TileConfig.ReadNoise#PER_TIME}), one read-noise draw; each {@link #forward} uses
 * that draw (or draws fresh read noise with {@link TileConfig.ReadNoise#PER_BATCH}) and draws the output noise.
 *
 * <p>Randomness: the matrix draws only from the chip stream given to {@code program}. Each program call is one chip
 * instance, a child of that stream, split by purpose ({@link ChipStreams}): programming, reads, output noise and
 * calibration ({@link #calibrationStream()}), so a calibration read never shifts the forward's draws, and two matrices
 * with their own streams never disturb each other. The devices themselves — programmed state, drift, read noise —
 * are a {@link DeviceArray} ({@link #devices()}); this class maps weights onto them and runs the periphery.
 *
 * <p>Forward pipeline (see {@link TileConfig} for the units): x → per tile and vector scale α → DAC (clip,
 * quantize) → u·G_eff per tile → + output noise → {@link #preAdcSteps()} → ADC (saturate, quantize) →
 * {@link #postAdcSteps()} → × α × s (weight scale and mapping gain) → Σ over row-tiles (digital) → × per-column
 * digital output scale → + bias.
 */
public class AnalogMatrix implements AutoCloseable {
    private final TileConfig cfg;
    private final TileGrid grid;
    private final WeightMapping mapping;
    private final NDManager manager;
    private final int in;
    private final int out;
    private final int rows;
    private final int cols;
    private final int rowTiles;
    private final int colTiles;
    private final int planes;
    private final int deviceCols;
    private final NDArray normTargets; // [R, C, D, rows, deviceCols], in [0, 1]
    private final NDArray coeff; // [1, 1, D, 1, 1], or [R, C, D, 1, 1] where the mapping differs per tile
    private final NDArray digitalScale; // [R, C, 1, cols or 1]: s · mapping gain
    private final NDArray bias; // [out] or null
    private NDArray outputScale; // [out] or null
    private NDArray forwardCoeff; // coeff · Δin / (Δout · (g_max − g_min)), set by program()
    private float[] forwardCoeffValues; // the same on the host, for the native read
    private NDArray fwdScale; // see forwardScale()
    private List<PeripheryStep> fwdScaleSteps = List.of(); // the post-ADC steps folded into fwdScale
    private final Map<Integer, NDArray[]> views = new HashMap<>();
    private final List<PeripheryStep> preAdc = new ArrayList<>();
    private final List<PeripheryStep> postAdc = new ArrayList<>();

    private ChipStreams streams; // the current chip instance's streams by purpose
    private RandomStream passOutput; // output noise of the current pass (see startPass)
    private RandomStream passCalibration; // calibration reads of the current pass
    private RandomStream passReads; // per-batch device reads of the current pass (not with a frozen read)
    private final DeviceArray devices; // programmed state, drift and read noise of this matrix's devices
    private NDArray frozen;
    private NDArray frozenMatmul; // the frozen read in the matmul layout, ADC steps per DAC level (lazily)
    private NDArray frozenKernel; // the same in the convolution-kernel layout
    private double time = Double.NaN;
    private NDArray adcGain; // [R, C, cols]: per-column ADC gain of this chip instance (lazily), or null
    private NDArray adcOffset; // [R, C, cols]: per-column ADC offset in normalized output units, or null

    /**
     * A matrix tiled with the configuration's {@code maxRows} inputs per tile.
     *
     * @param weight [out, in] in the network's weight units; copied (detached), the caller keeps ownership
     * @param bias [out] in the network's output units, or null for none; copied
     * @param cfg the tile configuration (tile size, converters, mapping, weight scaling)
     */
    public AnalogMatrix(NDArray weight, NDArray bias, TileConfig cfg) {
        this(weight, bias, cfg, cfg.maxRows());
    }

    /**
     * A matrix whose row-tiles hold {@code rowsPerTile} (≤ maxRows) inputs each; a convolution uses a multiple of
     * k·k so each tile holds whole input channels.
     *
     * @param weight [out, in]; copied (detached), the caller keeps ownership
     * @param bias [out] or null; copied
     * @param cfg the tile configuration (tile size, converters, mapping, weight scaling)
     * @param rowsPerTile inputs per row-tile, in [1, cfg.maxRows()] (channelsPerTile·k² for a convolution)
     * @throws IllegalArgumentException when {@code weight} is not 2-D or rowsPerTile is out of range
     */
    public AnalogMatrix(NDArray weight, NDArray bias, TileConfig cfg, int rowsPerTile) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("weight must be [out, in], got " + weight.getShape());
        }
        this.cfg = cfg;
        this.grid = TileGrid.of((int) weight.getShape().get(1), (int) weight.getShape().get(0), rowsPerTile, cfg);
        this.mapping = WeightMapping.of(cfg);
        this.manager = weight.getManager().newSubManager();
        this.out = grid.out();
        this.in = grid.in();
        this.rows = grid.rows();
        this.cols = grid.cols();
        this.rowTiles = grid.rowTiles();
        this.colTiles = grid.colTiles();
        try (NDManager tmp = manager.newSubManager()) {
            NDArray w = weight.stopGradient().toType(DataType.FLOAT32, true);
            w.attach(tmp);
            NDArray wt = grid.tiles(w); // [R, C, rows, cols]
            NDArray s = TileGrid.scale(wt, cfg);
            NDArray wn = wt.div(s).clip(-1f, 1f);
            WeightMapping.Mapped mapped = mapping.map(wn, w);
            NDArray targets = mapped.targets();
            float[] c = mapped.coefficients();
            float gain = mapped.gain();
            this.planes = c.length;
            this.deviceCols = (int) targets.getShape().get(4);
            this.normTargets = keep(targets);
            // A copy: an array made by create(float[]) wraps a Java buffer that only the array keeps alive, so a
            // view of it (reshape) must not outlive it.
            // toType(…, true) is not enough; an arithmetic op gives torch-owned storage.
            this.coeff = mapped.tileCoefficients() != null ? keep(mapped.tileCoefficients())
                    : keep(tmp.create(c).mul(1f).reshape(1, 1, planes, 1, 1));
            this.digitalScale = keep(s.mul(gain));
        }
        this.bias = bias == null ? null : keep(bias.stopGradient().toType(DataType.FLOAT32, true));
        this.devices = new DeviceArray(manager, normTargets.getShape());
        useRandomStream(RandomStream.of(0));
    }

    /** A torch-owned copy of an array made from a Java buffer (closes {@code a}). */
    private static NDArray owned(NDArray a) {
        NDArray c = a.mul(1f);
        a.close();
        return c;
    }

    private NDArray keep(NDArray a) {
        a.attach(manager);
        return a;
    }

    // ---------------------------------------------------------------- geometry and state

    /**
     * The tile configuration this matrix was built with.
     *
     * @return the configuration (immutable)
     */
    public TileConfig config() {
        return cfg;
    }

    /**
     * The tiling of the weight matrix.
     *
     * @return the grid: R row-tiles × C column-tiles of tileRows() × tileCols() weights
     */
    public TileGrid grid() {
        return grid;
    }

    /**
     * Inputs of the weight matrix [out, in], before the tiles' zero padding.
     *
     * @return in, ≥ 1
     */
    public int inFeatures() {
        return in;
    }

    /**
     * Outputs of the weight matrix [out, in], before the tiles' zero padding.
     *
     * @return out, ≥ 1
     */
    public int outFeatures() {
        return out;
    }

    /**
     * Inputs per row-tile (after padding, every tile has this many rows).
     *
     * @return rows, in [1, the rowsPerTile the matrix was built with]; fewer only when in is smaller
     */
    public int tileRows() {
        return rows;
    }

    /**
     * Weight columns per column-tile.
     *
     * @return cols, in [1, {@link TileConfig#weightColsPerTile()}]; fewer only when out is smaller
     */
    public int tileCols() {
        return cols;
    }

    /**
     * Row-tiles R: tiles stacked along the inputs, whose outputs are digitised separately and summed digitally.
     *
     * @return R = ⌈in / tileRows()⌉, ≥ 1
     */
    public int rowTiles() {
        return rowTiles;
    }

    /**
     * Column-tiles C: tiles side by side along the outputs.
     *
     * @return C = ⌈out / tileCols()⌉, ≥ 1
     */
    public int colTiles() {
        return colTiles;
    }

    /**
     * Devices per weight position (2 for differential, 1 for unipolar, 2·pairs for multi).
     *
     * @return D ≥ 1, the size of axis 2 of the target and conductance arrays
     */
    public int devicePlanes() {
        return planes;
    }

    /**
     * Normalized target conductances G/g_max, [R, C, D, rows, deviceCols] (deviceCols = cols + 1 with a
     * reference column).
     *
     * @return the matrix's own array, dimensionless in [0, 1] (not a copy: do not close or modify it)
     */
    public NDArray normalizedTargets() {
        return normTargets;
    }

    /**
     * Weight scale × mapping gain per tile (PER_TILE: [R, C, 1, 1]) or tile column ([R, C, 1, cols]).
     *
     * @return the matrix's own array, in the weights' units (s = max|W| in the caller's weight units, times the
     *     mapping's gain); not a copy
     */
    public NDArray digitalScale() {
        return digitalScale;
    }

    /**
     * The device model programmed, or null.
     *
     * @return the device model of the last program or setProgrammedState call; null before
     */
    public DeviceModel device() {
        return devices.device();
    }

    /**
     * The programmed state (conductances in µS and drift exponents), or null.
     *
     * @return the state, owned by this matrix (do not close it); null before programming
     */
    public ProgrammedState state() {
        return devices.state();
    }

    /**
     * The devices of this matrix's tiles: programmed state, drifted conductances and the read noise of the current
     * time (one chip instance).
     *
     * @return the matrix's device array (owned by the matrix)
     */
    public DeviceArray devices() {
        return devices;
    }

    /**
     * Drifted conductances in µS at {@link #time()}, [R, C, D, rows, deviceCols], or null.
     *
     * @return the matrix's own array in µS (not a copy); null before {@link #driftTo}
     */
    public NDArray driftedConductances() {
        return devices.drifted();
    }

    /**
     * Inference time in seconds set by {@link #driftTo}, NaN before.
     *
     * @return t_inf in seconds since programming, ≥ 0; NaN before the first {@link #driftTo}
     */
    public double time() {
        return devices.time();
    }

    /**
     * The stream of the current chip instance (set by {@code program} or {@link #useRandomStream}); its children by
     * purpose ({@link ChipStreams#PROGRAMMING}, {@link ChipStreams#READS}, {@link ChipStreams#OUTPUT_NOISE}, {@link ChipStreams#CALIBRATION}) are what the matrix
     * draws from.
     *
     * @return the chip instance's stream, never null ({@code RandomStream.of(0)} until the first program or
     *     {@link #useRandomStream})
     */
    public RandomStream randomStream() {
        return streams.instance();
    }

    /**
     * The stream of calibration reads ({@link ChipStreams#CALIBRATION}): a compensation that reads the tiles draws from it, so
     * its reads do not shift the draws of the forward passes.
     *
     * @return the {@link ChipStreams#CALIBRATION} child of {@link #randomStream()}
     */
    public RandomStream calibrationStream() {
        return passCalibration;
    }

    /**
     * The stream the forward's output noise draws from in the current pass ({@link #startPass}), e.g. for a training
     * twin that must draw the same output noise.
     *
     * @return the current pass's output-noise stream
     */
    public RandomStream outputNoiseStream() {
        return passOutput;
    }

    /**
     * The current chip instance's streams by purpose (e.g. for draws made once per chip, such as the programming of
     * reference cells).
     *
     * @return the streams of the instance set by {@code program} or {@link #useRandomStream}
     */
    public ChipStreams chipStreams() {
        return streams;
    }

    /**
     * Makes {@code chip} the stream of the current chip instance without programming: the matrix draws from its
     * children by purpose from now on (each from its first draw). For a matrix whose state is installed from
     * outside ({@link #setProgrammedState}); {@code program} sets it itself.
     *
     * @param chip the chip instance's stream, not null; used as it is (no new instance is split off it)
     * @throws NullPointerException when {@code chip} is null
     */
    public void useRandomStream(RandomStream chip) {
        setStreams(new ChipStreams(chip));
    }

    private void setStreams(ChipStreams s) {
        streams = s;
        releaseAdcMismatch(); // a new chip instance has its own periphery
        passOutput = s.outputNoise();
        passCalibration = s.calibration();
        passReads = s.reads();
    }

    /**
     * Starts evaluation pass {@code pass} at the current time: from here on the forward's output noise, its per-batch
     * reads ({@link TileConfig.ReadNoise#PER_BATCH}) and calibration reads draw from streams keyed by (chip instance,
     * time, pass) only, so what one pass draws does not depend on which other times or passes were evaluated before
     * it (for example, the accuracy of one compensation variant at one day is the same whether or not other variants
     * or times were evaluated first). {@link #driftTo} starts pass 0.
     *
     * @param pass the pass's key, e.g. a hash of a variant's name
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public void startPass(long pass) {
        if (devices.drifted() == null) {
            throw new IllegalStateException("call driftTo(t) before startPass");
        }
        long t = timeKey(devices.time());
        passOutput = streams.outputNoise().split(t).split(pass);
        passCalibration = streams.calibration().split(t).split(pass);
        if (frozen == null) {
            passReads = streams.reads().split(t).split(pass);
            devices.useReadStream(passReads);
        }
    }

    /** The purpose key of an inference time (its IEEE bits; 0 s and 1 d get distinct keys). */
    private static long timeKey(double tSeconds) {
        return Double.doubleToLongBits(tSeconds);
    }

    /**
     * The manager owning this matrix's arrays.
     *
     * @return the matrix's sub-manager of the weight's manager; {@link #close()} closes it
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Steps run on the analog tile outputs before the ADC (mutable).
     *
     * @return the live list, run in order on the tile outputs in normalized output units (any step makes the
     *     forward take the stepwise pipeline, see {@link #integerUnits()})
     */
    public List<PeripheryStep> preAdcSteps() {
        return preAdc;
    }

    /**
     * Steps run on the digitised tile outputs before the digital sum (mutable).
     *
     * @return the live list, run in order on the ADC outputs in normalized output units (only
     *     {@link PeripheryStep.TileScale}s keep the integer-units forward)
     */
    public List<PeripheryStep> postAdcSteps() {
        return postAdc;
    }

    /**
     * Sets the per-column digital output scale ([out] values; null for none), e.g. a drift compensation.
     *
     * @param perColumn one dimensionless factor per output (out values), or null to remove the scale
     * @throws IllegalArgumentException when {@code perColumn} does not hold out values
     */
    public void setOutputScale(float[] perColumn) {
        if (perColumn != null && perColumn.length != out) {
            throw new IllegalArgumentException("output scale needs " + out + " values, got " + perColumn.length);
        }
        clearViews();
        if (outputScale != null) {
            outputScale.close();
        }
        outputScale = perColumn == null ? null : keep(owned(manager.create(perColumn)));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Target conductances in µS for {@code device}, [R, C, D, rows, deviceCols]: g_min + t·(g_max − g_min) for the
     * normalized targets t ∈ [0, 1] ({@link #normalizedTargets()}), so the inactive device of a pair (t = 0) sits
     * at g_min and a full-scale weight at g_max. The periphery subtracts g_min back ({@link #effective}); for the
     * differential and multi-pair mappings it cancels within each pair, for the unipolar ones it is removed
     * digitally, as aihwkit's single-pair conductance converter does. A new array in the matrix's manager.
     *
     * @param device the device model whose g_min and g_max (µS) set the conductance range
     * @return target conductances in µS, in [g_min, g_max]
     */
    public NDArray targetConductances(DeviceModel device) {
        double gMin = device.gMinMicroSiemens();
        NDArray t = normTargets.mul((float) (device.gMaxMicroSiemens() - gMin));
        if (gMin != 0) {
            t.addi((float) gMin);
        }
        return t;
    }

    /**
     * {@link #program(DeviceModel, RandomStream)} with the stream of seed 0: deterministic, the same chip on every
     * call (for tests and examples; a Monte-Carlo loop passes its own stream).
     *
     * @param device the device model to program (programming noise, drift exponents)
     */
    public void program(DeviceModel device) {
        program(device, RandomStream.of(0));
    }

    /**
     * Maps the weights to conductances and programs them on {@code device} (draws programming noise and ν). Each call
     * is a new chip instance: the next child of {@code chip} (child {@code chip.split(chip.newDraw())}), whose
     * purposes this matrix draws from until it is programmed again.
     *
     * @param device the device model to program (programming noise, drift exponents ν)
     * @param chip the stream the chip instance is split from; one draw of it is taken per call
     */
    public void program(DeviceModel device, RandomStream chip) {
        releaseState();
        setStreams(ChipStreams.nextInstance(chip));
        devices.program(device, targetConductances(device), streams.programming());
        setForwardCoeff();
    }

    /**
     * {@link #program(DeviceModel, TileProgrammer, RandomStream)} with the stream of seed 0 (deterministic).
     *
     * @param device the device model to program
     * @param programmer the programming algorithm, or null for the device model's one-shot programming
     */
    public void program(DeviceModel device, TileProgrammer programmer) {
        program(device, programmer, RandomStream.of(0));
    }

    /**
     * Programs the tiles with {@code programmer} (e.g. program-and-verify or GDP from {@code dev.aimc.program}),
     * which draws from the new chip instance's {@link ChipStreams#PROGRAMMING} stream; a null programmer is
     * {@link #program(DeviceModel, RandomStream)} (the device model's one-shot statistical programming).
     *
     * @param device the device model to program
     * @param programmer the programming algorithm, or null for the device model's one-shot programming
     * @param chip the stream the chip instance is split from; one draw of it is taken per call
     */
    public void program(DeviceModel device, TileProgrammer programmer, RandomStream chip) {
        if (programmer == null) {
            program(device, chip);
            return;
        }
        setStreams(ChipStreams.nextInstance(chip));
        setProgrammedState(device, programmer.program(this, device, streams.programming()));
    }

    /**
     * Installs a state programmed outside this class (conductances in µS and ν, shaped like
     * {@link #normalizedTargets()}: [R, C, D, rows, deviceCols]); this matrix takes ownership of both arrays. Drift,
     * read noise and the forward pass then treat it exactly like the result of {@link #program(DeviceModel,
     * RandomStream)}, drawing from the current streams (which this call leaves as they are); call
     * {@link #driftTo(double)} before the next forward.
     *
     * @param device the device model that produced the state (its drift, read noise, g_min and g_max are used)
     * @param programmed programmed conductances in µS and drift exponents ν, each [R, C, D, rows, deviceCols]
     * @throws IllegalArgumentException when the state's shape is not that of {@link #normalizedTargets()}
     */
    public void setProgrammedState(DeviceModel device, ProgrammedState programmed) {
        devices.install(device, programmed); // checks the shape first, then replaces the previous state
        releaseForwardState();
        setForwardCoeff();
    }

    /**
     * One noisy read of every device at {@link #time()}: the device model's read noise (the {@link ChipStreams#READS} stream) on
     * the drifted conductances, µS [R, C, D, rows, deviceCols], attached to {@code target} (no ADC; single-cell reads
     * quantize it with {@link #adc}).
     *
     * @param target the manager the new array is attached to
     * @return a new array of read conductances in µS
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray readDevices(NDManager target) {
        NDArray g = devices.read(streams.reads());
        if (devices.owns(g)) {
            g = g.duplicate();
        }
        g.attach(target);
        return g;
    }

    /**
     * The ADC of this matrix's tiles ({@link Converters#adc}): saturate at ±outputRange, round to its levels.
     *
     * @param y analog tile outputs in normalized output units, any shape
     * @return a new array of y's shape: multiples of {@link TileConfig#outputStep()} in ±outputRange
     */
    public NDArray adc(NDArray y) {
        return Converters.adc(y, cfg.converters(), false);
    }

    /**
     * Sets the inference time: computes the drifted conductances once (and the frozen read noise).
     *
     * @param tSeconds inference time t_inf in seconds since programming, finite and ≥ 0 (0: no drift)
     * @throws IllegalStateException before the matrix is programmed
     * @throws ConfigException when {@code tSeconds} is negative, infinite or NaN
     */
    public void driftTo(double tSeconds) {
        if (devices.state() == null) {
            throw new IllegalStateException("program() the matrix before driftTo()");
        }
        releaseDrift();
        devices.driftTo(tSeconds, streams.reads().split(timeKey(tSeconds))); // the time's read: its first draw
        if (cfg.freezeReadNoise()) {
            frozen = readEffective(manager);
        }
        startPass(0);
    }

    /**
     * Effective normalized conductances for one forward: Σ_d c_d·G_d/g_max (minus the reference column), with
     * fresh read noise from the {@link ChipStreams#READS} stream; [R, C, rows, cols], attached to {@code target}.
     *
     * @param target the manager the new array is attached to
     * @return dimensionless effective conductances (1: a full-scale device of a full-scale weight)
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray readEffective(NDManager target) {
        return readEffective(target, null);
    }

    /**
     * {@link #readEffective(NDManager)} with the read noise drawn from {@code rng} (e.g. {@link #calibrationStream()});
     * null: the {@link ChipStreams#READS} stream.
     *
     * @param target the manager the new array is attached to
     * @param rng the stream the read noise is drawn from, or null for the {@link ChipStreams#READS} stream
     * @return dimensionless effective conductances [R, C, rows, cols]
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray readEffective(NDManager target, RandomStream rng) {
        NDArray g = rng == null ? devices.read() : devices.read(rng);
        boolean fresh = !devices.owns(g);
        NDArray e = effective(g);
        if (fresh) {
            g.close();
        }
        e.attach(target);
        return e;
    }

    /**
     * Effective normalized conductances of the given device conductances (µS), no noise added:
     * Σ_d c_d·(G_d − g_min)/(g_max − g_min), minus the reference column where the mapping has one.
     *
     * @param gMicroSiemens device conductances in µS, [R, C, D, rows, deviceCols]
     * @return a new dimensionless array [R, C, rows, cols] (1 = g_max − g_min on the weight's devices)
     */
    public NDArray effective(NDArray gMicroSiemens) {
        DeviceModel device = devices.device();
        return effectiveWith(gMicroSiemens, coeff, device.gMaxMicroSiemens() - device.gMinMicroSiemens());
    }

    /**
     * Σ_d c_d·(G_d − g_min) / divisor (minus the reference column) with coefficients {@code c} [1, 1, D, 1, 1] and
     * the programmed device's g_min.
     */
    private NDArray effectiveWith(NDArray gMicroSiemens, NDArray c, double divisor) {
        double gMin = devices.device().gMinMicroSiemens();
        NDArray dropped = null;
        if (cfg.wireResistance() > 0) { // the column currents see the IR-dropped cells (IrDrop, first order)
            dropped = IrDrop.firstOrder(gMicroSiemens, devices.device().gMaxMicroSiemens(), cfg.wireResistance());
            gMicroSiemens = dropped;
        }
        NDArray prod;
        if (gMin != 0) {
            try (NDArray above = gMicroSiemens.sub((float) gMin)) {
                prod = above.mul(c);
            }
        } else {
            prod = gMicroSiemens.mul(c);
        }
        NDArray e = prod.sum(new int[] {2});
        prod.close();
        if (dropped != null) {
            dropped.close();
        }
        if (divisor != 1.0) {
            e.divi((float) divisor);
        }
        if (mapping.referenceColumn()) {
            NDArray a = e.get("..., 0:{}", cols);
            NDArray b = e.get("..., {}:", cols);
            NDArray d = a.sub(b);
            a.close();
            b.close();
            e.close();
            e = d;
        }
        return e;
    }

    /**
     * The weight matrix [out, in] the tiles realise with the given effective conductances [R, C, rows, cols].
     *
     * @param geff dimensionless effective conductances [R, C, rows, cols], e.g. from {@link #effective}
     * @return [out, in] in the original weights' units (× weight scale and mapping gain, padding dropped; the
     *     per-column output scale is not applied)
     */
    public NDArray reconstructWeight(NDArray geff) {
        return geff.mul(digitalScale).transpose(0, 2, 1, 3).reshape((long) rowTiles * rows, (long) colTiles * cols)
                .get("0:{}, 0:{}", in, out).transpose();
    }

    // ---------------------------------------------------------------- forward

    /**
     * x [B, in] → y [B, out], attached to {@code x.getManager()}.
     *
     * @param x inputs [B, in] in the network's activation units (the DAC scales them by α per tile and vector)
     * @return outputs [B, out] in the weights' units times the inputs', with output scale and bias applied
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray forward(NDArray x) {
        NDManager owner = x.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(x);
            NDArray res = forwardGrouped(grid.groupInputs(x), scratch);
            res.attach(owner);
            return res;
        }
    }

    /** Grouped inputs xg [B, R, rows] → [B, out], in {@code scratch}: the matrix pipelines. */
    private NDArray forwardGrouped(NDArray xg, NDManager scratch) {
        long b = xg.getShape().get(0);
        if (integerUnits()) {
            NDArray[] dac = quantizeForForward(xg);
            NDArray w = matmulConductances(scratch); // [R, rows, C·cols]
            // [R, B, rows] x [R, rows, C·cols] -> [R, B, C, cols]: the periphery runs in this layout and the
            // digital sum over R (axis 0) yields [B, C·cols] contiguous, without transposing the outputs
            NDArray y = dac[0].transpose(1, 0, 2).matMul(w).reshape(rowTiles, b, colTiles, cols);
            return peripheryForForward(y, dac[1], 0, 0);
        }
        NDArray g = conductancesForForward(scratch).transpose(0, 2, 1, 3).reshape(rowTiles, rows,
                (long) colTiles * cols);
        return stepwise(xg, uq -> uq.transpose(1, 0, 2).matMul(g).transpose(1, 0, 2)
                .reshape(b, rowTiles, colTiles, cols), 0);
    }

    /**
     * The convolution forward on this matrix, the unrolled weight [out, inChannels·k²] (row order channel, ky, kx)
     * with whole input channels per row-tile: x [B, inChannels, H, W] → [B, out, H', W']. A tile holding channels
     * [c0, c1) computes conv(x[:, c0:c1], its effective weights), which equals its share of the im2col product since
     * the DAC is element-wise (padding zeros stay zero); all tiles run as one grouped convolution (groups = R
     * row-tiles), so every tile's partial sums pass its own output noise and ADC before the digital sum.
     *
     * <p>ABS_MAX input scaling takes α per sample over the row-tile's whole channel slice (all positions) with
     * {@link TileConfig.ConvScaling#PER_IMAGE} (the default): ≥ every patch's max, so nothing clips, but coarser than
     * aihwkit's per-patch noise management for patches much smaller than the image maximum.
     * {@link TileConfig.ConvScaling#PER_PATCH} unfolds the input ({@link Im2col}) and runs the matrix pipeline with
     * one α per patch and row-tile, as aihwkit does (more memory: k² copies of the input).
     *
     * @param x inputs [B, inChannels, H, W] in the network's activation units
     * @param k the square kernel's side in pixels, ≥ 1
     * @param s the stride in pixels, ≥ 1
     * @param p zero padding in pixels on each side, ≥ 0
     * @param channelsPerTile input channels per row-tile (tileRows() / k²)
     * @param inChannels the real input channels, ≤ R·channelsPerTile (the last row-tile may be partly filled)
     * @return outputs [B, out, H', W'], H' = (H + 2p − k) / s + 1 (likewise W'), with output scale and bias
     */
    public NDArray forwardConv2d(NDArray x, int k, int s, int p, int channelsPerTile, int inChannels) {
        NDManager owner = x.getManager();
        long b = x.getShape().get(0);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        int r = rowTiles;
        int c = colTiles;
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(x);
            if (cfg.convScaling() == TileConfig.ConvScaling.PER_PATCH) { // one input vector per patch (im2col)
                Im2col.Unfolded u = Im2col.unfold(x, k, s, p);
                NDArray res = u.fold(forwardGrouped(grid.groupInputs(u.rows()), scratch));
                res.attach(owner);
                return res;
            }
            NDArray xp = Nd.padAxis(x, 1, (long) r * channelsPerTile);
            if (integerUnits()) { // integer DAC/ADC units, fewer passes
                NDArray[] dac = quantizeForForward(xp.reshape(b, r, channelsPerTile * h * wd));
                NDArray uq = dac[0].reshape(b, (long) r * channelsPerTile, h, wd);
                NDArray kernel = kernelConductances(scratch).reshape((long) r * c * cols, channelsPerTile, k, k);
                NDArray y = tileConvolution(uq, kernel, r, c * cols, s, p, inChannels, channelsPerTile);
                long ho = y.getShape().get(2);
                long wo = y.getShape().get(3);
                NDArray res = peripheryForForward(y.reshape(b, r, c, cols, ho, wo), dac[1], 1, 2);
                res.attach(owner);
                return res;
            }
            NDArray geff = conductancesForForward(scratch); // [R, C, rows, cols]
            NDArray kernel = geff.transpose(0, 1, 3, 2).reshape((long) r * c * cols, channelsPerTile, k, k);
            NDArray res = stepwise(xp.reshape(b, r, channelsPerTile * h * wd), uqg -> {
                NDArray uq = uqg.reshape(b, (long) r * channelsPerTile, h, wd);
                NDArray y = dev.aimc.util.Convolution.conv2d(uq, kernel, null, new Shape(s, s),
                        new Shape(p, p), new Shape(1, 1), r);
                return y.reshape(b, r, c, cols, y.getShape().get(2), y.getShape().get(3));
            }, 2);
            res.attach(owner);
            return res;
        }
    }

    /**
     * The per-row-tile convolutions as one grouped convolution: integer inputs uq [B, R·channelsPerTile, H, W],
     * kernel [R·n, channelsPerTile, k, k] → [B, R·n, H', W']. When the last row-tile is only partly filled, its
     * zero-padded input channels contribute exactly zero, so the full tiles run as one grouped convolution and
     * the last tile on its real channels only (e.g. 64 channels at k = 3 on 512-row tiles: 56 + 8 real channels,
     * 64 instead of 112 input channels convolved, and no grouped kernel with a padded half).
     */
    private static NDArray tileConvolution(NDArray uq, NDArray kernel, int r, int n, int s, int p, int inChannels,
            int channelsPerTile) {
        Shape stride = new Shape(s, s);
        Shape pad = new Shape(p, p);
        Shape dil = new Shape(1, 1);
        int lastReal = inChannels - (r - 1) * channelsPerTile;
        if (r == 1 || lastReal >= channelsPerTile) {
            return dev.aimc.util.Convolution.conv2d(uq, kernel, null, stride, pad, dil, r);
        }
        long fullCh = (long) (r - 1) * channelsPerTile;
        long fullOut = (long) (r - 1) * n;
        NDArray yFull = dev.aimc.util.Convolution.conv2d(uq.get(":, 0:{}", fullCh), kernel.get("0:{}", fullOut),
                null, stride, pad, dil, r - 1);
        NDArray yLast = dev.aimc.util.Convolution.conv2d(uq.get(":, {}:{}", fullCh, fullCh + lastReal),
                kernel.get("{}:, 0:{}", fullOut, lastReal), null, stride, pad, dil, 1);
        return yFull.concat(yLast, 1);
    }

    /**
     * The stepwise pipeline (normalized units, every {@link PeripheryStep} applied), for a matrix and a convolution
     * alike: DAC → {@code product} → output noise → pre-ADC steps → ADC, repeated with halved inputs for the tile
     * vectors that saturated when {@link TileConfig#boundManagement()} is ITERATIVE, then the digital periphery.
     *
     * @param xg grouped inputs [B, R, N]
     * @param product quantized normalized inputs [B, R, N] → analog tile outputs [B, R, C, cols, spatial...]
     * @param sd number of spatial axes of the outputs
     * @return [B, out, spatial...]
     */
    public NDArray stepwise(NDArray xg, java.util.function.UnaryOperator<NDArray> product, int sd) {
        NDArray[] dac = quantizeInputs(xg);
        PeripheryStep.Context ctx = new PeripheryStep.Context(this, dac[0], dac[1], sd);
        NDArray y = convert(product.apply(dac[0]), ctx, passOutput);
        if (cfg.boundManagement() == TileConfig.BoundManagement.ITERATIVE) {
            y = boundManaged(xg, dac, y, product, sd);
        }
        return digital(y, ctx);
    }

    /** Whether any output of each tile vector reached ±bound: [B, R, C] booleans. */
    private static NDArray saturated(NDArray y, float bound, int[] perVector) {
        NDArray a = y.abs().gte(bound).toType(DataType.FLOAT32, false);
        for (int i = perVector.length - 1; i >= 0; i--) { // the engine reduces max over one axis at a time
            a = a.max(new int[] {perVector[i]});
        }
        return a.gt(0f);
    }

    /**
     * aihwkit's iterative bound management (IOParameters {@code bound_management = ITERATIVE}): a tile's input
     * vector whose outputs reached the ADC bound (either sign) is read again with its normalized input halved,
     * u/2^k, and its digitised outputs multiplied by 2^k, until no output saturates, the factor reaches
     * {@link TileConfig#MAX_BM_FACTOR} or the effective DAC step 2^k·Δin exceeds {@link TileConfig#MAX_BM_RES}. Each
     * re-read draws fresh output noise. Here a "vector" is one sample's input slice of one tile (b, r, c); a
     * convolution's spatial positions belong to the same vector (its α is per image too). Not used in training.
     *
     * @param y the first conversion, [B, R, C, cols, spatial...]
     */
    private NDArray boundManaged(NDArray xg, NDArray[] dac, NDArray y,
            java.util.function.UnaryOperator<NDArray> product, int sd) {
        float bound = (float) cfg.outputRange();
        int[] perVector = new int[1 + sd];
        for (int i = 0; i < perVector.length; i++) {
            perVector[i] = 3 + i;
        }
        NDArray sat = saturated(y, bound, perVector); // [B, R, C]
        long[] maskShape = new long[4 + sd];
        java.util.Arrays.fill(maskShape, 1);
        System.arraycopy(y.getShape().getShape(), 0, maskShape, 0, 3);
        NDArray u = xg.div(dac[1].expandDims(2)); // x/α, unquantized
        double factor = 1;
        while (sat.any().getBoolean() && factor * 2 <= TileConfig.MAX_BM_FACTOR
                && factor * 2 * cfg.inputStep() <= TileConfig.MAX_BM_RES) {
            factor *= 2;
            NDArray uq = Converters.quantize(u.div((float) factor), cfg.inputBits(), cfg.inputRange(), false);
            NDArray yk = convert(product.apply(uq), new PeripheryStep.Context(this, uq, dac[1], sd), passOutput);
            NDArray again = saturated(yk, bound, perVector);
            y = NDArrays.where(sat.reshape(maskShape).broadcast(y.getShape()), yk.mul((float) factor), y);
            sat = sat.logicalAnd(again);
        }
        return y;
    }

    /**
     * One calibration read through the periphery, as a chip reads a tile for drift compensation: grouped inputs
     * {@code xg} [B, R, rows] (each row-tile driven by its own input vector) through the DAC ({@link #quantizeInputs}),
     * the analog product with the given effective conductances {@code geff} [R, C, rows, cols] (e.g.
     * {@link #conductancesForForward} for a read at {@link #time()}, or {@link #effective} of noise-free
     * conductances), then output noise, the pre-ADC steps and the ADC of {@link #periphery}. Returns the digitised
     * tile outputs [B, R, C, cols] in normalized output units per unit of the input scale α — before the post-ADC
     * steps and the digital sum over row-tiles — attached to {@code xg}'s manager. The output noise is drawn from
     * {@link #calibrationStream()}.
     *
     * @param xg grouped inputs [B, R, rows] in the network's activation units
     * @param geff dimensionless effective conductances [R, C, rows, cols]
     * @return the digitised tile outputs [B, R, C, cols]
     */
    public NDArray tileOutputs(NDArray xg, NDArray geff) {
        return tileOutputs(xg, geff, calibrationStream());
    }

    /**
     * {@link #tileOutputs(NDArray, NDArray)} with the output noise drawn from {@code rng}.
     *
     * @param xg grouped inputs [B, R, rows] in the network's activation units
     * @param geff dimensionless effective conductances [R, C, rows, cols]
     * @param rng the stream the output noise is drawn from
     * @return the digitised tile outputs [B, R, C, cols] in normalized output units per unit of α, in xg's manager
     */
    public NDArray tileOutputs(NDArray xg, NDArray geff, RandomStream rng) {
        long b = xg.getShape().get(0);
        NDManager owner = xg.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(xg, geff);
            NDArray[] dac = quantizeInputs(xg);
            NDArray y = dac[0].transpose(1, 0, 2).matMul(geff.transpose(0, 2, 1, 3).reshape(rowTiles, rows,
                    (long) colTiles * cols)).transpose(1, 0, 2).reshape(b, rowTiles, colTiles, cols);
            NDArray res = convert(y, new PeripheryStep.Context(this, dac[0], dac[1], 0), rng);
            res.attach(owner);
            return res;
        }
    }

    /**
     * Conductances for one forward, [R, C, rows, cols]: a fresh read attached to {@code scratch}, or the frozen
     * read temporarily attached to it (it returns to this matrix when {@code scratch} closes).
     *
     * @param scratch the forward's scratch manager
     * @return dimensionless effective conductances; the frozen read is this matrix's own array (do not modify it)
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray conductancesForForward(NDManager scratch) {
        return conductancesForForward(scratch, null);
    }

    /**
     * {@link #conductancesForForward(NDManager)} with a fresh read drawn from {@code rng} (e.g.
     * {@link #calibrationStream()}; null: the {@link ChipStreams#READS} stream); the frozen read draws nothing.
     *
     * @param scratch the forward's scratch manager
     * @param rng the stream a fresh read is drawn from, or null for the {@link ChipStreams#READS} stream
     * @return dimensionless effective conductances [R, C, rows, cols]
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public NDArray conductancesForForward(NDManager scratch, RandomStream rng) {
        if (frozen != null) {
            scratch.tempAttachAll(frozen); // derived arrays go to scratch; frozen returns to this matrix after
            return frozen;
        }
        return readEffective(scratch, rng);
    }

    /**
     * The DAC on grouped inputs [B, R, N] (N values of one tile's input vector(s)): returns {u_q [B, R, N],
     * α [B, R]} with u_q = quantize(clip(x/α)). With ABS_MAX, α is the max |x| over the N values.
     *
     * @param xg grouped inputs [B, R, N] in the network's activation units
     * @return {u_q, α}: u_q in normalized input units (multiples of {@link TileConfig#inputStep()} in ±inputRange),
     *     α in the inputs' units (1 with {@link TileConfig.InputScaling#NONE}), both in xg's manager
     */
    public NDArray[] quantizeInputs(NDArray xg) {
        Converters.DacOutput d = Converters.dac(xg, cfg.converters(), false);
        return new NDArray[] {d.levels(), d.alpha()};
    }

    /**
     * Output noise, pre-ADC steps, ADC, post-ADC steps, × α·s, digital sum over row-tiles, output scale and bias.
     *
     * @param y analog tile outputs [B, R, C, cols, spatial...]
     * @param ctx the forward's context (DAC outputs, α per vector and row-tile, spatial dimensions) that the
     *     periphery steps and the × α read
     * @return [B, out, spatial...]
     */
    public NDArray periphery(NDArray y, PeripheryStep.Context ctx) {
        return digital(convert(y, ctx, passOutput), ctx);
    }

    /**
     * The analog-to-digital part per tile: output noise (from {@code rng}), pre-ADC steps, ADC ([B, R, C, cols,
     * spatial...]).
     */
    private NDArray convert(NDArray y, PeripheryStep.Context ctx, RandomStream rng) {
        y = Converters.outputNoise(y, cfg.outputNoise(), rng);
        for (PeripheryStep s : preAdc) {
            y = s.apply(y, ctx);
        }
        if (cfg.adcMismatch()) {
            NDArray[] gm = adcMismatch();
            long[] shape = new long[4 + ctx.spatialDims()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = rowTiles;
            shape[2] = colTiles;
            shape[3] = cols;
            y = y.mul(gm[0].reshape(shape)).add(gm[1].reshape(shape));
        }
        return adc(y);
    }

    /**
     * The per-column ADC gain and offset of this chip instance ({@link TileConfig#adcGainStd()},
     * {@link TileConfig#adcOffsetStd()}): gain 1 + σ_gain·z and offset σ_offset·Δout·z' per tile column, drawn
     * from the instance's {@link ChipStreams#PERIPHERY} stream (from its start, so the same chip always has the same
     * periphery), unless installed by {@link #setAdcMismatch}. The column's ADC sees gain·y + offset.
     *
     * @return {gain, offset in normalized output units}, each [R, C, cols] (the matrix's own arrays), or null when
     *     the configuration has no ADC mismatch
     */
    public NDArray[] adcMismatch() {
        if (!cfg.adcMismatch()) {
            return null;
        }
        if (adcGain == null) {
            RandomStream rs = streams.periphery().fromStart();
            Shape sh = new Shape(rowTiles, colTiles, cols);
            adcGain = keep(rs.normal(manager, (float) cfg.adcGainStd(), sh).addi(1f));
            adcOffset = keep(rs.normal(manager, (float) (cfg.adcOffsetStd() * cfg.outputStep()), sh));
        }
        return new NDArray[] {adcGain, adcOffset};
    }

    /**
     * Installs the per-column ADC gain and offset (e.g. the columns of one tile of a larger matrix, for a crossbar
     * that programs that tile: the programming reads must see the chip's own ADCs). Kept until the next chip
     * instance ({@code program}, {@link #useRandomStream}).
     *
     * @param gain per-column gain, [R, C, cols] of this matrix; copied
     * @param offset per-column offset in normalized output units, [R, C, cols]; copied
     * @throws IllegalStateException when the configuration has no ADC mismatch
     * @throws IllegalArgumentException when a shape is not [R, C, cols]
     */
    public void setAdcMismatch(NDArray gain, NDArray offset) {
        if (!cfg.adcMismatch()) {
            throw new IllegalStateException("the tile configuration has no ADC mismatch (adc-gain-std, adc-offset-std)");
        }
        Shape want = new Shape(rowTiles, colTiles, cols);
        if (!gain.getShape().equals(want) || !offset.getShape().equals(want)) {
            throw new IllegalArgumentException("ADC gain and offset must be " + want + ", got " + gain.getShape()
                    + " and " + offset.getShape());
        }
        releaseAdcMismatch();
        adcGain = keep(gain.toType(DataType.FLOAT32, true).mul(1f));
        adcOffset = keep(offset.toType(DataType.FLOAT32, true).mul(1f));
    }

    private void releaseAdcMismatch() {
        if (adcGain != null) {
            adcGain.close();
            adcOffset.close();
        }
        adcGain = null;
        adcOffset = null;
    }

    /**
     * Single-cell reads of every device through its column's ADC, as program-and-verify reads a chip: one row driven
     * at a time, the selected device's current (a fresh read-noise draw of the device model) scaled by the column's
     * ADC gain, plus its offset and the ADC's input noise — both in ADC counts as for an MVM ({@link
     * TileConfig#adcOffsetStd()}, {@link TileConfig#outputNoise()}/Δout counts), since it is the same converter —
     * then saturated at ±{@code rangeMicroSiemens} and rounded to counts of {@code stepMicroSiemens}. The verify
     * loop interprets the counts as conductances and cannot tell the column's errors from the device's. The
     * ADC's input noise is drawn from the current pass's output-noise stream.
     *
     * @param target the manager of the result
     * @param rangeMicroSiemens the read's full scale, µS, &gt; 0
     * @param stepMicroSiemens one count of the read, µS, &gt; 0
     * @return read conductances in µS, [R, C, D, rows, deviceCols]
     * @throws IllegalStateException before {@link #driftTo(double)}, or for a mapping with a reference column
     */
    public NDArray readCellsThroughAdc(NDManager target, double rangeMicroSiemens, double stepMicroSiemens) {
        if (mapping.referenceColumn()) {
            throw new IllegalStateException("single-cell reads through the ADC need one device column per ADC");
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray g = readDevices(tmp); // µS
            NDArray[] gm = adcMismatch();
            if (gm != null) {
                Shape sh = new Shape(rowTiles, colTiles, 1, 1, cols);
                // the offset in counts (offset/Δout) times one count of this read
                g = g.mul(gm[0].reshape(sh)).add(gm[1].reshape(sh).mul((float) (stepMicroSiemens / cfg.outputStep())));
            }
            double sigmaCounts = cfg.outputNoise() / cfg.outputStep();
            g = Converters.outputNoise(g, sigmaCounts * stepMicroSiemens, passOutput);
            NDArray q = Converters.quantizeToStep(g, rangeMicroSiemens, stepMicroSiemens);
            q.attach(target);
            return q;
        }
    }

    /** The digital periphery: post-ADC steps, × α·s, Σ over row-tiles, output scale and bias → [B, out, ...]. */
    private NDArray digital(NDArray y, PeripheryStep.Context ctx) {
        int sd = ctx.spatialDims();
        NDArray[] v = views(sd);
        for (PeripheryStep s : postAdc) {
            y = s.apply(y, ctx);
        }
        long b = y.getShape().get(0);
        long[] aShape = new long[4 + sd];
        java.util.Arrays.fill(aShape, 1);
        aShape[0] = b;
        aShape[1] = rowTiles;
        y = y.mul(ctx.alpha().reshape(aShape)).mul(v[0]).sum(new int[] {1});
        long[] shape = y.getShape().getShape(); // [B, C, cols, spatial...]
        long[] merged = new long[shape.length - 1];
        merged[0] = b;
        merged[1] = (long) colTiles * cols;
        System.arraycopy(shape, 3, merged, 2, sd);
        y = y.reshape(merged);
        if ((long) colTiles * cols > out) {
            y = y.get(":, 0:{}", out);
        }
        if (v[2] != null) {
            y = y.mul(v[2]);
        }
        if (v[1] != null) {
            y = y.add(v[1]);
        }
        return y;
    }

    // ---------------------------------------------------------------- forward in integer DAC/ADC units

    /**
     * True when no {@link PeripheryStep} is registered other than post-ADC {@link PeripheryStep.TileScale}s
     * (constant factors, folded into the output multiply). The forward pass then works in integer converter units:
     * the DAC yields integer levels k = round(clip(x/(α·Δin))), the conductances are pre-scaled by Δin/Δout
     * (folded into the mapping coefficients, no extra pass), so the product is the column current in ADC steps;
     * output noise is drawn in ADC steps, the ADC is round-then-saturate at the integer bound, and Δout·α·s·(output
     * scale) is one multiply. This is the same function as the stepwise pipeline (round and an integer bound
     * commute with the clip), with 5–6 fewer passes over the outputs and in-place updates instead of new arrays.
     * With steps registered the stepwise pipeline runs so that steps see normalized units.
     *
     * @return true when the integer-units forward runs: no pre-ADC step, only TileScale post-ADC steps and no
     *     bound management
     */
    public boolean integerUnits() {
        if (!preAdc.isEmpty() || cfg.boundManagement() != TileConfig.BoundManagement.NONE || cfg.adcMismatch()) {
            return false;
        }
        for (PeripheryStep st : postAdc) {
            if (!(st instanceof PeripheryStep.TileScale)) {
                return false;
            }
        }
        return true;
    }

    /** Integer DAC levels (as float) [B, R, N] and the per-vector scale α·Δin [B, R] (see {@link #integerUnits}). */
    NDArray[] quantizeForForward(NDArray xg) {
        float step = (float) cfg.inputStep();
        float levels = (float) ((1L << (cfg.inputBits() - 1)) - 1);
        NDArray scale;
        boolean absMax = cfg.inputScaling() == TileConfig.InputScaling.ABS_MAX;
        // |u| ≤ max|x|/(max|x|·Δin) = levels/inputRange ≤ levels (to a few ulp, far below the 0.5 that would round
        // past the bound), so with ABS_MAX and input range ≥ 1 the clip is a no-op and is skipped
        boolean clip = !(absMax && cfg.inputRange() >= 1);
        if (NativeKernels.enabled()) { // scale and levels in one kernel per vector
            NDManager m = xg.getManager();
            NDArray kq = m.create(xg.getShape(), DataType.FLOAT32);
            NDArray sq = m.create(new Shape(xg.getShape().get(0), xg.getShape().get(1)), DataType.FLOAT32);
            NativeKernels.quantize(xg, kq, sq, step, levels, absMax, clip);
            return new NDArray[] {kq, sq};
        }
        if (absMax) {
            // max |x| = max(max x, −min x): two reductions, no |x| temporary
            NDArray hi = xg.max(new int[] {2});
            NDArray lo = xg.min(new int[] {2}).negi();
            NDArray a = hi.maximum(lo);
            hi.close();
            lo.close();
            scale = a.muli(step).maximum(Float.MIN_NORMAL);
            a.close();
        } else {
            scale = xg.getManager().full(new Shape(xg.getShape().get(0), xg.getShape().get(1)), step);
        }
        NDArray u = xg.div(scale.expandDims(2));
        NDArray k;
        if (!clip) {
            k = u.round();
        } else {
            k = u.clip(-levels, levels).round();
        }
        u.close();
        return new NDArray[] {k, scale};
    }

    /** coeff · Δin / (Δout · (g_max − g_min)) for the programmed device, on the tensor side and on the host. */
    private void setForwardCoeff() {
        DeviceModel device = devices.device();
        double span = device.gMaxMicroSiemens() - device.gMinMicroSiemens();
        forwardCoeff = keep(coeff.mul((float) (cfg.inputStep() / (cfg.outputStep() * span))));
        forwardCoeffValues = forwardCoeff.toFloatArray();
    }

    /**
     * Effective conductances for one linear forward in ADC steps per DAC level, in the batched-matmul layout
     * [R, rows, C·cols], in {@code scratch}: with {@link NativeKernels} and a differential pair whose device reads
     * are Gaussian (PCM), drawn, mapped and laid out in one pass; otherwise the transposed
     * {@link #conductancesForForwardScaled}, with the same values.
     */
    NDArray matmulConductances(NDManager scratch) {
        if (frozen != null) { // one read per time: laid out once, reused by every batch
            if (frozenMatmul == null) {
                frozenMatmul = keep(frozen.mul((float) (cfg.inputStep() / cfg.outputStep())).transpose(0, 2, 1, 3)
                        .reshape(rowTiles, rows, (long) colTiles * cols));
            }
            scratch.tempAttachAll(frozenMatmul);
            return frozenMatmul;
        }
        NDArray w = nativeRead(scratch, false);
        return w != null ? w : conductancesForForwardScaled(scratch).transpose(0, 2, 1, 3).reshape(rowTiles, rows,
                (long) colTiles * cols);
    }

    /**
     * The same for a convolution: [R, C, cols, rows], the layout of its kernel [R·C·cols, channels, k, k].
     */
    NDArray kernelConductances(NDManager scratch) {
        if (frozen != null) { // one read per time: laid out once (contiguous), reused by every batch
            if (frozenKernel == null) {
                frozenKernel = keep(frozen.mul((float) (cfg.inputStep() / cfg.outputStep())).transpose(0, 1, 3, 2)
                        .reshape((long) rowTiles * colTiles * cols, rows).reshape(rowTiles, colTiles, cols, rows));
            }
            scratch.tempAttachAll(frozenKernel);
            return frozenKernel;
        }
        NDArray w = nativeRead(scratch, true);
        return w != null ? w : conductancesForForwardScaled(scratch).transpose(0, 1, 3, 2);
    }

    /** The fused native read in the given layout, or null where it does not apply. */
    private NDArray nativeRead(NDManager scratch, boolean kernelLayout) {
        NDArray[] parts = frozen == null ? devices.gaussianParts() : null;
        if (parts == null || planes != 2 || devices.device().gMinMicroSiemens() != 0 || cfg.wireResistance() > 0
                || cfg.mapping() != TileConfig.Mapping.DIFFERENTIAL || !NativeKernels.enabled()) {
            return null;
        }
        Shape shape = kernelLayout ? new Shape(rowTiles, colTiles, cols, rows)
                : new Shape(rowTiles, rows, (long) colTiles * cols);
        NDArray w = scratch.create(shape, DataType.FLOAT32);
        NativeKernels.readInto(parts[0], parts[1], w, forwardCoeffValues[0], forwardCoeffValues[1],
                passReads.newDraw(), kernelLayout);
        return w;
    }

    /** Effective conductances for one forward in ADC steps per DAC level, [R, C, rows, cols], in {@code scratch}. */
    NDArray conductancesForForwardScaled(NDManager scratch) {
        NDArray g = devices.read(); // a fresh read: the frozen one is laid out by the callers
        NDArray e = effectiveWith(g, forwardCoeff, 1.0);
        if (!devices.owns(g)) {
            g.close();
        }
        e.attach(scratch);
        return e;
    }

    /**
     * Output noise, ADC, × Δout·α·s·(output scale), digital sum over row-tiles, bias — in integer units.
     *
     * @param y column currents in ADC steps, row-tile axis {@code rAxis}: [R, B, C, cols] (rAxis 0) or
     *     [B, R, C, cols, spatial...] (rAxis 1); a fresh array this method may overwrite
     * @param inScale α·Δin per vector and row-tile, [B, R]
     * @return [B, out, spatial...]
     */
    NDArray peripheryForForward(NDArray y, NDArray inScale, int rAxis, int sd) {
        NDManager m = y.getManager();
        float levels = (float) ((1L << (cfg.outputBits() - 1)) - 1);
        float sigma = cfg.outputNoise() > 0 ? (float) (cfg.outputNoise() / cfg.outputStep()) : 0f;
        long b = inScale.getShape().get(0);
        NDArray s = forwardScale(); // [R, C, cols or 1]: s·(output scale)·Δout/Δin
        NDArray sFull = s.getShape().get(2) == cols ? s.reshape(rowTiles, colTiles, cols)
                : s.broadcast(new Shape(rowTiles, colTiles, cols));
        sFull.attach(m); // a view of a kept array lands in the matrix's manager otherwise
        // output noise, ADC and the scale Δout·α·s·(output scale) in one pass: q·α[row]·s[column]
        NDArray q;
        if (rAxis == 0) { // [R, B, C, cols]: rows (r, b) of C·cols columns; α per row, s per (r, column)
            q = IntegerAdc.convert(y, sigma, levels, inScale.transpose().reshape(-1), colTiles * cols,
                    sFull.reshape(rowTiles, (long) colTiles * cols), (int) b, passOutput);
        } else { // [B, R, C, cols, spatial...]: α ⊗ s is small, one factor per spatial run
            long run = y.size() / (b * rowTiles * colTiles * cols);
            NDArray f = inScale.reshape(b, rowTiles, 1, 1).mul(sFull.expandDims(0)).reshape(-1);
            q = IntegerAdc.convert(y, sigma, levels, f, (int) run, null, 1, passOutput);
        }
        if (q != y) {
            y.close();
        }
        y = q;
        long[] full = y.getShape().getShape();
        long[] merged = new long[2 + sd];
        merged[0] = b;
        merged[1] = (long) colTiles * cols;
        System.arraycopy(full, 4, merged, 2, sd);
        if (rowTiles > 1) {
            NDArray sum = y.sum(new int[] {rAxis});
            y.close();
            y = sum;
        }
        y = y.reshape(merged);
        boolean sliced = (long) colTiles * cols > out;
        if (sliced) {
            y = y.get(":, 0:{}", out);
        }
        NDArray[] v = views(sd);
        if (v[1] != null) {
            y = sliced ? y.add(v[1]) : y.addi(v[1]);
        }
        return y;
    }

    /**
     * s · mapping gain · (output scale) · (post-ADC tile scales) · Δout/Δin as [R, C, cols or 1], cached until the
     * output scale or the list of post-ADC steps changes.
     */
    private NDArray forwardScale() {
        if (fwdScale != null && !fwdScaleSteps.equals(postAdc)) {
            fwdScale.close();
            fwdScale = null;
        }
        if (fwdScale == null) {
            try (NDManager tmp = manager.newSubManager()) {
                NDArray ds = digitalScale.squeeze(2); // [R, C, 1 or cols]
                ds.attach(tmp);
                NDArray sc = ds.mul((float) (cfg.outputStep() / cfg.inputStep()));
                if (outputScale != null) {
                    NDArray os = Nd.padAxis(outputScale.reshape(1, out), 1, (long) colTiles * cols).reshape(1, colTiles,
                            cols);
                    os.attach(tmp);
                    sc = sc.mul(os);
                }
                for (PeripheryStep st : postAdc) { // integerUnits(): all are TileScales
                    NDArray f = ((PeripheryStep.TileScale) st).factors();
                    if (f.getShape().get(0) != rowTiles || f.getShape().get(1) != colTiles
                            || (f.getShape().get(2) != 1 && f.getShape().get(2) != cols)) {
                        throw new IllegalStateException("tile scale factors " + f.getShape() + " do not fit "
                                + rowTiles + "x" + colTiles + " tiles of " + cols + " columns");
                    }
                    NDArray fv = f.toType(DataType.FLOAT32, true);
                    fv.attach(tmp);
                    sc = sc.mul(fv);
                }
                fwdScaleSteps = new ArrayList<>(postAdc);
                fwdScale = sc.toType(DataType.FLOAT32, true);
                fwdScale.attach(manager);
            }
        }
        return fwdScale;
    }

    /** Cached broadcast views {digital scale, bias, output scale} for a layout with {@code sd} spatial axes. */
    private NDArray[] views(int sd) {
        return views.computeIfAbsent(sd, k -> {
            long[] ds = new long[4 + sd];
            java.util.Arrays.fill(ds, 1);
            ds[1] = rowTiles;
            ds[2] = colTiles;
            ds[3] = digitalScale.getShape().get(3);
            long[] bs = new long[2 + sd];
            java.util.Arrays.fill(bs, 1);
            bs[1] = out;
            return new NDArray[] {
                keep(digitalScale.reshape(ds)),
                bias == null ? null : keep(bias.reshape(bs)),
                outputScale == null ? null : keep(outputScale.reshape(bs))
            };
        });
    }

    private void clearViews() {
        if (fwdScale != null) {
            fwdScale.close();
            fwdScale = null;
        }
        for (NDArray[] v : views.values()) {
            for (NDArray a : v) {
                if (a != null) {
                    a.close();
                }
            }
        }
        views.clear();
    }

    private void releaseDrift() {
        devices.releaseDrift();
        releaseFrozenRead();
    }

    /** Closes the frozen read of the current time and its layouts. */
    private void releaseFrozenRead() {
        if (frozen != null) {
            frozen.close();
            frozen = null;
        }
        for (NDArray a : new NDArray[] {frozenMatmul, frozenKernel}) {
            if (a != null) {
                a.close();
            }
        }
        frozenMatmul = null;
        frozenKernel = null;
    }

    private void releaseState() {
        devices.release();
        releaseForwardState();
    }

    /** Closes what the forward derived from the devices: the frozen read and the forward coefficients. */
    private void releaseForwardState() {
        releaseFrozenRead();
        forwardCoeffValues = null;
        if (forwardCoeff != null) {
            forwardCoeff.close();
            forwardCoeff = null;
        }
    }

    @Override
    public void close() {
        releaseAdcMismatch();
        releaseState();
        clearViews();
        manager.close();
    }
}
