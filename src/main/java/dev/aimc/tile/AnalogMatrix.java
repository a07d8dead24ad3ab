package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.ConfigException;
import dev.aimc.util.GaussianNoise;
import dev.aimc.util.NativeKernels;
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
 * <p>Lifecycle: {@link #program(DeviceModel)} maps the weights to target conductances and programs them
 * (programming noise, drift exponents); {@link #driftTo(double)} computes the drifted conductances once and keeps
 * them; each {@link #forward} draws fresh read noise (or reuses one draw per {@code driftTo} with
 * {@link TileConfig#freezeReadNoise()}) and the output noise.
 *
 * <p>Forward pipeline (see {@link TileConfig} for the units): x → per tile and vector scale α → DAC (clip,
 * quantize) → u·G_eff per tile → + output noise → {@link #preAdcSteps()} → ADC (saturate, quantize) →
 * {@link #postAdcSteps()} → × α × s (weight scale and mapping gain) → Σ over row-tiles (digital) → × per-column
 * digital output scale → + bias.
 */
public class AnalogMatrix implements AutoCloseable {
    private final TileConfig cfg;
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
    private final NDArray coeff; // [1, 1, D, 1, 1]
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

    private DeviceModel device;
    private ProgrammedState state;
    private NDArray gDrift;
    private DeviceModel.Reader reader; // read noise prepared once per driftTo (amplitude kept between reads)
    private NDArray frozen;
    private double time = Double.NaN;

    /** A matrix tiled with the configuration's {@code maxRows} inputs per tile. */
    public AnalogMatrix(NDArray weight, NDArray bias, TileConfig cfg) {
        this(weight, bias, cfg, cfg.maxRows());
    }

    /**
     * A matrix whose row-tiles hold {@code rowsPerTile} (≤ maxRows) inputs each; a convolution uses a multiple of
     * k·k so each tile holds whole input channels.
     *
     * @param weight [out, in]; copied (detached), the caller keeps ownership
     * @param bias [out] or null; copied
     */
    public AnalogMatrix(NDArray weight, NDArray bias, TileConfig cfg, int rowsPerTile) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("weight must be [out, in], got " + weight.getShape());
        }
        if (rowsPerTile < 1 || rowsPerTile > cfg.maxRows()) {
            throw new IllegalArgumentException("rowsPerTile must be in [1, maxRows], got " + rowsPerTile);
        }
        this.cfg = cfg;
        this.manager = weight.getManager().newSubManager();
        this.out = (int) weight.getShape().get(0);
        this.in = (int) weight.getShape().get(1);
        this.rows = Math.min(rowsPerTile, in);
        this.cols = Math.min(cfg.weightColsPerTile(), out);
        this.rowTiles = (in + rows - 1) / rows;
        this.colTiles = (out + cols - 1) / cols;
        try (NDManager tmp = manager.newSubManager()) {
            NDArray w = weight.stopGradient().toType(DataType.FLOAT32, true);
            w.attach(tmp);
            NDArray wt = padAxis(padAxis(w.transpose(), 0, (long) rowTiles * rows), 1, (long) colTiles * cols)
                    .reshape(rowTiles, rows, colTiles, cols).transpose(0, 2, 1, 3); // [R, C, rows, cols]
            NDArray s = cfg.weightScaling() == TileConfig.WeightScaling.PER_TILE
                    ? wt.abs().max(new int[] {2}, true).max(new int[] {3}, true)
                    : wt.abs().max(new int[] {2}, true);
            s = s.maximum(1e-30f);
            NDArray wn = wt.div(s).clip(-1f, 1f);
            float gain;
            NDArray targets;
            float[] c;
            switch (cfg.mapping()) {
                case DIFFERENTIAL -> {
                    targets = NDArrayStack.stack(wn.maximum(0f), wn.neg().maximum(0f));
                    c = new float[] {1f, -1f};
                    gain = 1f;
                }
                case UNIPOLAR -> {
                    boolean nonNeg = w.gte(0f).all().getBoolean();
                    boolean nonPos = w.lte(0f).all().getBoolean();
                    if (!nonNeg && !nonPos) {
                        throw new ConfigException("mapping UNIPOLAR needs weights of one sign; use UNIPOLAR_OFFSET"
                                + " or DIFFERENTIAL, got a matrix with mixed signs");
                    }
                    targets = NDArrayStack.stack(wn.abs());
                    c = new float[] {1f};
                    gain = nonNeg ? 1f : -1f;
                }
                case UNIPOLAR_OFFSET -> {
                    NDArray g = wn.add(1f).div(2f);
                    NDArray ref = tmp.full(new Shape(rowTiles, colTiles, rows, 1), 0.5f);
                    targets = NDArrayStack.stack(g.concat(ref, 3));
                    c = new float[] {1f};
                    gain = 2f;
                }
                case MULTI -> {
                    List<Double> f = cfg.significance();
                    double total = f.stream().mapToDouble(Double::doubleValue).sum();
                    NDArray r = wn.mul((float) total);
                    NDArray[] parts = new NDArray[2 * f.size()];
                    c = new float[2 * f.size()];
                    for (int k = f.size() - 1; k >= 0; k--) { // loop over significance levels, not devices
                        float fk = f.get(k).floatValue();
                        NDArray gk = r.div(fk).clip(-1f, 1f);
                        r = r.sub(gk.mul(fk));
                        parts[2 * k] = gk.maximum(0f);
                        parts[2 * k + 1] = gk.neg().maximum(0f);
                        c[2 * k] = fk;
                        c[2 * k + 1] = -fk;
                    }
                    targets = NDArrayStack.stack(parts);
                    gain = (float) (1.0 / total);
                }
                default -> throw new IllegalStateException();
            }
            this.planes = c.length;
            this.deviceCols = (int) targets.getShape().get(4);
            this.normTargets = keep(targets);
            // A copy: an array made by create(float[]) wraps a Java buffer that only the array keeps alive, so a
            // view of it (reshape) must not outlive it.
            // toType(…, true) is not enough; an arithmetic op gives torch-owned storage.
            this.coeff = keep(tmp.create(c).mul(1f).reshape(1, 1, planes, 1, 1));
            this.digitalScale = keep(s.mul(gain));
        }
        this.bias = bias == null ? null : keep(bias.stopGradient().toType(DataType.FLOAT32, true));
    }

    /** Zero-pads {@code a} at the end of {@code axis} to {@code size} (returns {@code a} when no padding). */
    public static NDArray padAxis(NDArray a, int axis, long size) {
        long n = a.getShape().get(axis);
        if (n >= size) {
            return a;
        }
        long[] zs = a.getShape().getShape().clone();
        zs[axis] = size - n;
        try (NDArray z = a.getManager().zeros(new Shape(zs), a.getDataType())) {
            return a.concat(z, axis);
        }
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

    public TileConfig config() {
        return cfg;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    /** Inputs per row-tile (after padding, every tile has this many rows). */
    public int tileRows() {
        return rows;
    }

    /** Weight columns per column-tile. */
    public int tileCols() {
        return cols;
    }

    public int rowTiles() {
        return rowTiles;
    }

    public int colTiles() {
        return colTiles;
    }

    /** Devices per weight position (2 for differential, 1 for unipolar, 2·pairs for multi). */
    public int devicePlanes() {
        return planes;
    }

    /** Normalized target conductances G/g_max, [R, C, D, rows, deviceCols] (deviceCols = cols + 1 with a
     * reference column). */
    public NDArray normalizedTargets() {
        return normTargets;
    }

    /** Weight scale × mapping gain per tile (PER_TILE: [R, C, 1, 1]) or tile column ([R, C, 1, cols]). */
    public NDArray digitalScale() {
        return digitalScale;
    }

    /** The device model programmed, or null. */
    public DeviceModel device() {
        return device;
    }

    /** The programmed state (conductances in µS and drift exponents), or null. */
    public ProgrammedState state() {
        return state;
    }

    /** Drifted conductances in µS at {@link #time()}, [R, C, D, rows, deviceCols], or null. */
    public NDArray driftedConductances() {
        return gDrift;
    }

    /** Inference time in seconds set by {@link #driftTo}, NaN before. */
    public double time() {
        return time;
    }

    /** The manager owning this matrix's arrays. */
    public NDManager manager() {
        return manager;
    }

    /** Steps run on the analog tile outputs before the ADC (mutable). */
    public List<PeripheryStep> preAdcSteps() {
        return preAdc;
    }

    /** Steps run on the digitised tile outputs before the digital sum (mutable). */
    public List<PeripheryStep> postAdcSteps() {
        return postAdc;
    }

    /** Sets the per-column digital output scale ([out] values; null for none), e.g. a drift compensation. */
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
     */
    public NDArray targetConductances(DeviceModel device) {
        double gMin = device.gMinMicroSiemens();
        NDArray t = normTargets.mul((float) (device.gMaxMicroSiemens() - gMin));
        if (gMin != 0) {
            t.addi((float) gMin);
        }
        return t;
    }

    /** Maps the weights to conductances and programs them on {@code device} (draws programming noise and ν). */
    public void program(DeviceModel device) {
        releaseState();
        this.device = device;
        NDArray target = targetConductances(device);
        ProgrammedState st = device.program(target);
        st.gProg().attach(manager);
        st.nu().attach(manager);
        if (st.gProg() != target) {
            target.close();
        }
        this.state = st;
        setForwardCoeff();
    }

    /**
     * Programs the tiles with {@code programmer} (e.g. program-and-verify or GDP from {@code dev.aimc.program});
     * a null programmer is {@link #program(DeviceModel)} (the device model's one-shot statistical programming).
     */
    public void program(DeviceModel device, TileProgrammer programmer) {
        if (programmer == null) {
            program(device);
            return;
        }
        setProgrammedState(device, programmer.program(this, device));
    }

    /**
     * Installs a state programmed outside this class (conductances in µS and ν, shaped like
     * {@link #normalizedTargets()}: [R, C, D, rows, deviceCols]); this matrix takes ownership of both arrays. Drift,
     * read noise and the forward pass then treat it exactly like the result of {@link #program(DeviceModel)}; call
     * {@link #driftTo(double)} before the next forward.
     */
    public void setProgrammedState(DeviceModel device, ProgrammedState programmed) {
        if (!programmed.gProg().getShape().equals(normTargets.getShape())) {
            throw new IllegalArgumentException("programmed state must have shape " + normTargets.getShape() + ", got "
                    + programmed.gProg().getShape());
        }
        releaseState();
        this.device = device;
        programmed.gProg().attach(manager);
        programmed.nu().attach(manager);
        this.state = programmed;
        setForwardCoeff();
    }

    /**
     * One noisy read of every device at {@link #time()}: the device model's read noise on the drifted conductances,
     * µS [R, C, D, rows, deviceCols], attached to {@code target} (no ADC; single-cell reads quantize it with
     * {@link #adc}).
     */
    public NDArray readDevices(NDManager target) {
        if (gDrift == null) {
            throw new IllegalStateException("call driftTo(t) after program() before reading");
        }
        NDArray g = device.read(state, gDrift, time);
        if (g == gDrift || g == state.gProg()) {
            g = g.duplicate();
        }
        g.attach(target);
        return g;
    }

    /** The ADC (TileConfig's rule): saturate at ±{@code range}, round to {@code step}. */
    public static NDArray adc(NDArray y, double range, double step) {
        float ob = (float) range;
        float st = (float) step;
        return y.clip(-ob, ob).div(st).round().mul(st);
    }

    /** Sets the inference time: computes the drifted conductances once (and the frozen read noise). */
    public void driftTo(double tSeconds) {
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
        reader = device.reader(state, gDrift, tSeconds);
        if (cfg.freezeReadNoise()) {
            frozen = readEffective(manager);
        }
    }

    /**
     * Effective normalized conductances for one forward: Σ_d c_d·G_d/g_max (minus the reference column), with
     * fresh read noise; [R, C, rows, cols], attached to {@code target}.
     */
    public NDArray readEffective(NDManager target) {
        if (gDrift == null) {
            throw new IllegalStateException("call driftTo(t) after program() before the forward pass");
        }
        NDArray g = reader.read();
        boolean fresh = g != gDrift && g != state.gProg();
        NDArray e = effective(g);
        if (fresh) {
            g.close();
        }
        e.attach(target);
        return e;
    }

    /**
     * Effective normalized conductances of the given device conductances (µS), no noise added:
     * Σ_d c_d·(G_d − g_min)/(g_max − g_min), minus the reference column for {@link TileConfig.Mapping#UNIPOLAR_OFFSET}.
     */
    public NDArray effective(NDArray gMicroSiemens) {
        return effectiveWith(gMicroSiemens, coeff, device.gMaxMicroSiemens() - device.gMinMicroSiemens());
    }

    /**
     * Σ_d c_d·(G_d − g_min) / divisor (minus the reference column) with coefficients {@code c} [1, 1, D, 1, 1] and
     * the programmed device's g_min.
     */
    private NDArray effectiveWith(NDArray gMicroSiemens, NDArray c, double divisor) {
        double gMin = device.gMinMicroSiemens();
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
        if (divisor != 1.0) {
            e.divi((float) divisor);
        }
        if (cfg.mapping() == TileConfig.Mapping.UNIPOLAR_OFFSET) {
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

    /** The weight matrix [out, in] the tiles realise with the given effective conductances [R, C, rows, cols]. */
    public NDArray reconstructWeight(NDArray geff) {
        return geff.mul(digitalScale).transpose(0, 2, 1, 3).reshape((long) rowTiles * rows, (long) colTiles * cols)
                .get("0:{}, 0:{}", in, out).transpose();
    }

    // ---------------------------------------------------------------- forward

    /** x [B, in] → y [B, out], attached to {@code x.getManager()}. */
    public NDArray forward(NDArray x) {
        long b = x.getShape().get(0);
        NDManager owner = x.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(x);
            NDArray xg = padAxis(x, 1, (long) rowTiles * rows).reshape(b, rowTiles, rows);
            if (integerUnits()) {
                NDArray[] dac = quantizeForForward(xg);
                NDArray w = matmulConductances(scratch); // [R, rows, C·cols]
                // [R, B, rows] x [R, rows, C·cols] -> [R, B, C, cols]: the periphery runs in this layout and the
                // digital sum over R (axis 0) yields [B, C·cols] contiguous, without transposing the outputs
                NDArray y = dac[0].transpose(1, 0, 2).matMul(w).reshape(rowTiles, b, colTiles, cols);
                NDArray res = peripheryForForward(y, dac[1], 0, 0);
                res.attach(owner);
                return res;
            }
            NDArray[] dac = quantizeInputs(xg);
            NDArray geff = conductancesForForward(scratch);
            NDArray y = dac[0].transpose(1, 0, 2).matMul(geff.transpose(0, 2, 1, 3).reshape(rowTiles, rows, (long) colTiles * cols))
                    .transpose(1, 0, 2).reshape(b, rowTiles, colTiles, cols);
            NDArray res = periphery(y, new PeripheryStep.Context(this, dac[0], dac[1], 0));
            res.attach(owner);
            return res;
        }
    }

    /**
     * One calibration read through the periphery, as a chip reads a tile for drift compensation: grouped inputs
     * {@code xg} [B, R, rows] (each row-tile driven by its own input vector) through the DAC ({@link #quantizeInputs}),
     * the analog product with the given effective conductances {@code geff} [R, C, rows, cols] (e.g.
     * {@link #conductancesForForward} for a read at {@link #time()}, or {@link #effective} of noise-free
     * conductances), then output noise, the pre-ADC steps and the ADC of {@link #periphery}. Returns the digitised
     * tile outputs [B, R, C, cols] in normalized output units per unit of the input scale α — before the post-ADC
     * steps and the digital sum over row-tiles — attached to {@code xg}'s manager.
     */
    public NDArray tileOutputs(NDArray xg, NDArray geff) {
        long b = xg.getShape().get(0);
        NDManager owner = xg.getManager();
        NDArray[] captured = new NDArray[1];
        PeripheryStep capture = (y, ctx) -> {
            captured[0] = y.duplicate();
            captured[0].attach(owner);
            return y;
        };
        postAdc.add(0, capture);
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(xg, geff);
            NDArray[] dac = quantizeInputs(xg);
            NDArray y = dac[0].transpose(1, 0, 2).matMul(geff.transpose(0, 2, 1, 3).reshape(rowTiles, rows,
                    (long) colTiles * cols)).transpose(1, 0, 2).reshape(b, rowTiles, colTiles, cols);
            periphery(y, new PeripheryStep.Context(this, dac[0], dac[1], 0));
        } finally {
            postAdc.remove(capture);
        }
        return captured[0];
    }

    /**
     * Conductances for one forward, [R, C, rows, cols]: a fresh read attached to {@code scratch}, or the frozen
     * read temporarily attached to it (it returns to this matrix when {@code scratch} closes).
     */
    public NDArray conductancesForForward(NDManager scratch) {
        if (frozen != null) {
            scratch.tempAttachAll(frozen); // derived arrays go to scratch; frozen returns to this matrix after
            return frozen;
        }
        return readEffective(scratch);
    }

    /**
     * The DAC on grouped inputs [B, R, N] (N values of one tile's input vector(s)): returns {u_q [B, R, N],
     * α [B, R]} with u_q = quantize(clip(x/α)). With ABS_MAX, α is the max |x| over the N values.
     */
    public NDArray[] quantizeInputs(NDArray xg) {
        NDArray alpha;
        NDArray u;
        if (cfg.inputScaling() == TileConfig.InputScaling.ABS_MAX) {
            alpha = xg.abs().max(new int[] {2}).maximum(Float.MIN_NORMAL);
            u = xg.div(alpha.expandDims(2));
        } else {
            alpha = xg.getManager().ones(new Shape(xg.getShape().get(0), xg.getShape().get(1)));
            u = xg;
        }
        float step = (float) cfg.inputStep();
        float r = (float) cfg.inputRange();
        NDArray uq = u.clip(-r, r).div(step).round().mul(step);
        return new NDArray[] {uq, alpha};
    }

    /**
     * Output noise, pre-ADC steps, ADC, post-ADC steps, × α·s, digital sum over row-tiles, output scale and bias.
     *
     * @param y analog tile outputs [B, R, C, cols, spatial...]
     * @return [B, out, spatial...]
     */
    public NDArray periphery(NDArray y, PeripheryStep.Context ctx) {
        int sd = ctx.spatialDims();
        NDArray[] v = views(sd);
        if (cfg.outputNoise() > 0) {
            y = y.add(GaussianNoise.normal(y.getManager(), (float) (cfg.outputNoise() * cfg.outputRange()),
                    y.getShape()));
        }
        for (PeripheryStep s : preAdc) {
            y = s.apply(y, ctx);
        }
        y = adc(y, cfg.outputRange(), cfg.outputStep());
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
     */
    public boolean integerUnits() {
        if (!preAdc.isEmpty()) {
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
    public NDArray[] quantizeForForward(NDArray xg) {
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
    public NDArray matmulConductances(NDManager scratch) {
        NDArray w = nativeRead(scratch, false);
        return w != null ? w : conductancesForForwardScaled(scratch).transpose(0, 2, 1, 3).reshape(rowTiles, rows,
                (long) colTiles * cols);
    }

    /**
     * The same for a convolution: [R, C, cols, rows], the layout of its kernel [R·C·cols, channels, k, k].
     */
    public NDArray kernelConductances(NDManager scratch) {
        NDArray w = nativeRead(scratch, true);
        return w != null ? w : conductancesForForwardScaled(scratch).transpose(0, 1, 3, 2);
    }

    /** The fused native read in the given layout, or null where it does not apply. */
    private NDArray nativeRead(NDManager scratch, boolean kernelLayout) {
        NDArray[] parts = frozen == null && reader != null ? reader.gaussianParts() : null;
        if (parts == null || planes != 2 || device.gMinMicroSiemens() != 0 || cfg.mapping() != TileConfig.Mapping.DIFFERENTIAL
                || !NativeKernels.enabled()) {
            return null;
        }
        Shape shape = kernelLayout ? new Shape(rowTiles, colTiles, cols, rows)
                : new Shape(rowTiles, rows, (long) colTiles * cols);
        NDArray w = scratch.create(shape, DataType.FLOAT32);
        NativeKernels.readInto(parts[0], parts[1], w, forwardCoeffValues[0], forwardCoeffValues[1],
                GaussianNoise.newDraw(), kernelLayout);
        return w;
    }

    /** Effective conductances for one forward in ADC steps per DAC level, [R, C, rows, cols], in {@code scratch}. */
    public NDArray conductancesForForwardScaled(NDManager scratch) {
        if (gDrift == null) {
            throw new IllegalStateException("call driftTo(t) after program() before the forward pass");
        }
        if (frozen != null) {
            NDArray f = frozen.mul((float) (cfg.inputStep() / cfg.outputStep()));
            f.attach(scratch);
            return f;
        }
        NDArray g = reader.read();
        NDArray e = effectiveWith(g, forwardCoeff, 1.0);
        g.close();
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
    public NDArray peripheryForForward(NDArray y, NDArray inScale, int rAxis, int sd) {
        NDManager m = y.getManager();
        float levels = (float) ((1L << (cfg.outputBits() - 1)) - 1);
        float sigma = cfg.outputNoise() > 0 ? (float) (cfg.outputNoise() * cfg.outputRange() / cfg.outputStep()) : 0f;
        long b = inScale.getShape().get(0);
        NDArray s = forwardScale(); // [R, C, cols or 1]: s·(output scale)·Δout/Δin
        NDArray sFull = s.getShape().get(2) == cols ? s.reshape(rowTiles, colTiles, cols)
                : s.broadcast(new Shape(rowTiles, colTiles, cols));
        sFull.attach(m); // a view of a kept array lands in the matrix's manager otherwise
        // output noise, ADC and the scale Δout·α·s·(output scale) in one pass: q·α[row]·s[column]
        NDArray q;
        if (rAxis == 0) { // [R, B, C, cols]: rows (r, b) of C·cols columns; α per row, s per (r, column)
            q = GaussianNoise.noisyAdc(y, sigma, levels, inScale.transpose().reshape(-1), colTiles * cols,
                    sFull.reshape(rowTiles, (long) colTiles * cols), (int) b);
        } else { // [B, R, C, cols, spatial...]: α ⊗ s is small, one factor per spatial run
            long run = y.size() / (b * rowTiles * colTiles * cols);
            NDArray f = inScale.reshape(b, rowTiles, 1, 1).mul(sFull.expandDims(0)).reshape(-1);
            q = GaussianNoise.noisyAdc(y, sigma, levels, f, (int) run, null, 1);
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
                    NDArray os = padAxis(outputScale.reshape(1, out), 1, (long) colTiles * cols).reshape(1, colTiles,
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
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (frozen != null) {
            frozen.close();
            frozen = null;
        }
        if (gDrift != null && (state == null || gDrift != state.gProg())) {
            gDrift.close();
        }
        gDrift = null;
        time = Double.NaN;
    }

    private void releaseState() {
        releaseDrift();
        forwardCoeffValues = null;
        if (forwardCoeff != null) {
            forwardCoeff.close();
            forwardCoeff = null;
        }
        if (state != null) {
            state.close();
            state = null;
        }
    }

    @Override
    public void close() {
        releaseState();
        clearViews();
        manager.close();
    }

    /** Small helper: stack arrays along a new axis 2 ([R, C, rows, cols] → [R, C, D, rows, cols]). */
    static final class NDArrayStack {
        private NDArrayStack() {}

        static NDArray stack(NDArray... a) {
            return new ai.djl.ndarray.NDList(a).size() == 1 ? a[0].expandDims(2)
                    : ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(a), 2);
        }
    }
}
