package dev.aimc.compensation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.ProgrammedState;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import dev.aimc.util.Check;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Global drift compensation (GDC; Joshi et al., Nat. Commun. 11, 2473, 2020, and Le Gallo et al. 2018) — the one
 * drift compensation of aimc ({@code aimc evaluate}, {@code aimc mvm-error}, {@code aimc program}, the benchmark).
 *
 * <p>Right after programming (time {@link #referenceTime()}, default 0 s) every tile is read with calibration
 * inputs and the mean absolute output is kept as the tile's reference statistic s₀; at inference time t the tile
 * is read again giving s_t, and the tile's digitised output is multiplied by s₀/s_t (a {@link PeripheryStep} after
 * the ADC, before the digital sum over row-tiles).
 *
 * <p>How the two reads are taken is the {@link Calibration} mode:
 * <ul>
 *   <li>{@link Calibration#PERIPHERY} (the default, as aihwkit's inference tile does it): the calibration inputs go
 *       through the tile's own periphery ({@link AnalogMatrix#tileOutputs}: input scaling, DAC, the analog product,
 *       output noise, pre-ADC steps, ADC). The reference read uses the programmed conductances drifted to the
 *       reference time <em>without</em> device read noise (aihwkit reads its baseline right after programming, before
 *       any read noise is drawn); the read at t uses the conductances the forward pass sees at t, with the tile's
 *       normal read noise (a fresh draw, or the frozen draw of {@link dev.aimc.tile.TileConfig#freezeReadNoise()}).
 *       A one-hot read of a single device is coarse at 8 ADC bits; the statistic averages over all rows and
 *       columns of a tile.</li>
 *   <li>{@link Calibration#IDEAL_ANALOG}: both reads in analog before the DAC and ADC — effective conductances with
 *       the device model's read noise (reference at the reference time, read at t) — as if the calibration were
 *       averaged or read at high resolution.</li>
 *   <li>{@link Calibration#DRIFT_ORACLE}: noise-free drifted conductances at the reference time and at t, no
 *       periphery: knowledge of the drift alone, which no chip has. An upper bound on what GDC can do, for
 *       comparison.</li>
 * </ul>
 *
 * <p>Calibration inputs ({@link Input}): {@code ONE_HOT} reads the tile with each of its one-hot input vectors (the
 * same row of every row-tile driven at once), so the statistic of column j is mean_i |y(e_i)_j| (≈ mean_i
 * |G_eff[i, j]|); {@code ONES} applies the all-ones vector once, giving |y(1)_j| ≈ |Σ_i G_eff[i, j]| (through the
 * periphery it saturates at the ADC bound when a column's sum exceeds the output range). Zero-padded rows of an edge
 * tile are left out of both.
 *
 * <p>{@link Granularity#TILE} keeps one statistic per tile (mean over its real columns, the published scheme);
 * {@link Granularity#COLUMN} keeps one per tile column.
 *
 * <p>Every calibration read draws its read and output noise from the matrix's
 * {@link AnalogMatrix#calibrationStream()}, never from the streams of the forward pass, so applying GDC does not change
 * the noise the following forward passes see.
 *
 * <p>The reference of a matrix is taken on the first {@link #apply} after it was programmed (recognised by the
 * identity of its {@link ProgrammedState}) and reused for every later time until it is programmed again.
 */
public final class GlobalDriftCompensation {
    /** Purpose of the chip's calibration child stream for IDEAL_ANALOG's reference read (once per chip). */
    public static final long REFERENCE_READ = 0x72656652L; // "refR"


    /** How the calibration reads are taken (see the class comment). */
    public enum Calibration {
        /** Through the tile's own periphery (DAC, noise, ADC); reference without read noise. The default. */
        PERIPHERY,
        /** Effective conductances with read noise, before DAC and ADC: a high-resolution calibration read. */
        IDEAL_ANALOG,
        /** Noise-free drifted conductances, no periphery: an upper bound no chip can reach. */
        DRIFT_ORACLE
    }

    /** Calibration input vectors. */
    public enum Input {
        /** Each one-hot input vector e_i once; statistic mean_i |y(e_i)_j|. */
        ONE_HOT,
        /** The all-ones vector once; statistic |y(1)_j|, which can saturate at the ADC bound. */
        ONES
    }

    /** One scale per tile or per tile column. */
    public enum Granularity {
        /** One scale per tile: the mean statistic over its real columns (the published scheme). */
        TILE,
        /** One scale per tile column. */
        COLUMN
    }

    private final Calibration calibration;
    private final Input input;
    private final Granularity granularity;
    private final double referenceTime;
    private final Map<AnalogMatrix, Reference> refs = new IdentityHashMap<>();

    private record Reference(ProgrammedState state, float[] values) {}

    /**
     * GDC with the given calibration mode, calibration input, granularity and reference read time (s since
     * programming, ≥ 0).
     *
     * @param calibration how the two calibration reads are taken (periphery, ideal analog or drift oracle)
     * @param input one-hot vectors or the all-ones vector
     * @param granularity one scale per tile or per tile column
     * @param referenceTime time of the reference read s₀, in seconds since programming (≥ 0; 0 in the published scheme)
     */
    public GlobalDriftCompensation(Calibration calibration, Input input, Granularity granularity,
            double referenceTime) {
        this.calibration = java.util.Objects.requireNonNull(calibration, "calibration");
        this.input = java.util.Objects.requireNonNull(input, "input");
        this.granularity = java.util.Objects.requireNonNull(granularity, "granularity");
        this.referenceTime = Check.nonNegative("gdc-reference-time", referenceTime);
    }

    /**
     * GDC calibrated through the periphery ({@link Calibration#PERIPHERY}).
     *
     * @param input one-hot vectors or the all-ones vector
     * @param granularity one scale per tile or per tile column
     * @param referenceTime time of the reference read s₀, in seconds since programming (≥ 0)
     */
    public GlobalDriftCompensation(Input input, Granularity granularity, double referenceTime) {
        this(Calibration.PERIPHERY, input, granularity, referenceTime);
    }

    /**
     * The published scheme: one-hot calibration reads through the periphery, one scale per tile, reference at 0 s.
     *
     * @return PERIPHERY, ONE_HOT, TILE, reference at 0 s
     */
    public static GlobalDriftCompensation perTile() {
        return perTile(Calibration.PERIPHERY);
    }

    /**
     * One-hot calibration reads in the given mode, one scale per tile, reference at 0 s.
     *
     * @param calibration how the two calibration reads are taken
     * @return ONE_HOT, TILE, reference at 0 s, with the given calibration mode
     */
    public static GlobalDriftCompensation perTile(Calibration calibration) {
        return new GlobalDriftCompensation(calibration, Input.ONE_HOT, Granularity.TILE, 0);
    }

    /**
     * The per-column variant of {@link #perTile()}.
     *
     * @return PERIPHERY, ONE_HOT, COLUMN, reference at 0 s
     */
    public static GlobalDriftCompensation perColumn() {
        return new GlobalDriftCompensation(Calibration.PERIPHERY, Input.ONE_HOT, Granularity.COLUMN, 0);
    }

    /**
     * How the calibration reads are taken.
     *
     * @return the calibration mode
     */
    public Calibration calibration() {
        return calibration;
    }

    /**
     * Which calibration input vectors are applied.
     *
     * @return one-hot vectors or the all-ones vector
     */
    public Input input() {
        return input;
    }

    /**
     * Whether one scale is kept per tile or per tile column.
     *
     * @return the granularity
     */
    public Granularity granularity() {
        return granularity;
    }

    /**
     * Time of the reference read s₀.
     *
     * @return seconds since programming (≥ 0)
     */
    public double referenceTime() {
        return referenceTime;
    }

    /**
     * Applies GDC to every analog layer of {@code net} at its current time; close the result to undo.
     *
     * @param net a programmed network, drifted to the time being evaluated
     * @return removes the post-ADC steps from every layer
     */
    public Undo apply(AnalogNetwork net) {
        return Undo.eachMatrix(net, this::apply);
    }

    /**
     * Applies GDC to one programmed and drifted matrix: registers a post-ADC step multiplying every tile's output
     * by s₀/s_t. Close the result to remove the step.
     *
     * @param m a programmed matrix, drifted to the time being evaluated
     * @return removes the step again
     */
    public Undo apply(AnalogMatrix m) {
        float[] scale = scales(m);
        int r = m.rowTiles();
        int c = m.colTiles();
        int k = granularity == Granularity.TILE ? 1 : m.tileCols();
        NDManager own = m.manager().newSubManager();
        NDArray raw = own.create(scale, new Shape(r, c, k));
        NDArray base = raw.mul(1f); // torch-owned storage (a view of a Java-buffer array must not outlive it)
        raw.close();
        base.attach(own);
        // a constant per-tile/column factor: the integer-units forward folds it into its output multiply
        PeripheryStep step = PeripheryStep.tileScale(base);
        m.postAdcSteps().add(step);
        return () -> {
            m.postAdcSteps().remove(step);
            own.close();
        };
    }

    /**
     * The compensation factors s₀/s_t, flattened [R, C, 1] (tile) or [R, C, cols] (column).
     *
     * @param m a programmed matrix, drifted to the time being evaluated (takes the reference on first use)
     * @return s₀/s_t per tile (length R·C) or per tile column (length R·C·cols), dimensionless; 1 where either
     *     statistic is below 1e-12
     */
    public float[] scales(AnalogMatrix m) {
        if (m.state() == null || Double.isNaN(m.time())) {
            throw new IllegalStateException("GDC needs a programmed matrix drifted to a time (driftTo)");
        }
        float[] ref = reference(m);
        float[] now = current(m);
        float[] s = new float[ref.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = now[i] > 1e-12f && ref[i] > 1e-12f ? ref[i] / now[i] : 1f;
        }
        return s;
    }

    /**
     * The statistic s_t of {@code m} at its current time: one calibration read now (read noise and periphery as the
     * mode says).
     *
     * @param m a programmed matrix at its current time
     * @return s_t per tile or tile column, in the units of the mode's read (ADC-normalised output or µS)
     */
    public float[] current(AnalogMatrix m) {
        try (NDManager tmp = m.manager().newSubManager()) {
            return switch (calibration) {
                case PERIPHERY -> statistic(m, m.conductancesForForward(tmp, m.calibrationStream()));
                case IDEAL_ANALOG -> analogStatistic(m, m.readEffective(tmp, m.calibrationStream()));
                case DRIFT_ORACLE -> {
                    NDArray e = m.effective(m.driftedConductances());
                    e.attach(tmp);
                    yield analogStatistic(m, e);
                }
            };
        }
    }

    /**
     * The reference statistic s₀ of {@code m}, read at {@link #referenceTime()} on its first use after programming
     * (PERIPHERY and DRIFT_ORACLE: without read noise; IDEAL_ANALOG: with one read-noise draw).
     *
     * @param m a programmed matrix
     * @return s₀ per tile or tile column, cached for this programmed state
     */
    public float[] reference(AnalogMatrix m) {
        Reference r = refs.get(m);
        if (r != null && r.state() == m.state()) {
            return r.values();
        }
        float[] v;
        try (NDManager tmp = m.manager().newSubManager()) {
            ProgrammedState st = m.state();
            NDArray g = m.device().drift(st, referenceTime);
            g.attach(tmp);
            v = switch (calibration) {
                case PERIPHERY -> statistic(m, m.effective(g));
                case DRIFT_ORACLE -> analogStatistic(m, m.effective(g));
                case IDEAL_ANALOG -> {
                    // once per chip: a stream of the chip, not of the pass that happens to need it first
                    NDArray read = m.device().read(st, g, referenceTime,
                            m.chipStreams().calibration().split(REFERENCE_READ));
                    read.attach(tmp);
                    yield analogStatistic(m, m.effective(read));
                }
            };
        }
        refs.put(m, new Reference(m.state(), v));
        return v;
    }

    /**
     * The calibration statistic of effective conductances {@code geff} [R, C, rows, cols] read through the tile's
     * periphery ({@link AnalogMatrix#tileOutputs}): mean |digitised output| per tile ([R·C] values) or per tile column
     * ([R·C·cols]).
     *
     * @param m the matrix whose periphery (DAC, noise, ADC, pre-ADC steps) does the read
     * @param geff effective conductances [R, C, rows, cols], in µS
     * @return the statistic per tile (length R·C) or per tile column (R·C·cols), in tile output units
     */
    public float[] statistic(AnalogMatrix m, NDArray geff) {
        int r = m.rowTiles();
        int rows = m.tileRows();
        NDManager mgr = geff.getManager();
        try (NDManager tmp = mgr.newSubManager()) {
            NDArray mk = realRows(m, tmp); // [R, rows] 1 on real rows
            NDArray perCol; // [R, C, cols]
            if (input == Input.ONE_HOT) {
                // input b drives row b of every row-tile: xg[b, r, i] = δ(b, i) on real rows
                NDArray xg = tmp.eye(rows).expandDims(1).mul(mk.expandDims(0)); // [rows, R, rows]
                NDArray y = m.tileOutputs(xg, geff); // [rows(b), R, C, cols]
                NDArray w = mk.transpose().reshape(rows, r, 1, 1); // real inputs only
                perCol = y.abs().mul(w).sum(new int[] {0}).div(mk.sum(new int[] {1}).reshape(r, 1, 1));
            } else {
                NDArray y = m.tileOutputs(mk.expandDims(0), geff); // [1, R, C, cols]
                perCol = y.get(0).abs();
            }
            return reduce(m, perCol);
        }
    }

    /**
     * The analog calibration statistic of effective conductances {@code geff} [R, C, rows, cols] (no DAC, noise or
     * ADC): mean_i |G_eff[i, j]| (one-hot) or |Σ_i G_eff[i, j]| (ones) over the real rows, per tile or tile column.
     *
     * @param m the matrix (for its tiling and zero-padded edge rows)
     * @param geff effective conductances [R, C, rows, cols], in µS
     * @return the statistic per tile (length R·C) or per tile column (R·C·cols), in µS
     */
    public float[] analogStatistic(AnalogMatrix m, NDArray geff) {
        int r = m.rowTiles();
        int rows = m.tileRows();
        try (NDManager tmp = geff.getManager().newSubManager()) {
            NDArray mk = realRows(m, tmp).reshape(r, 1, rows, 1);
            NDArray perCol;
            if (input == Input.ONE_HOT) {
                perCol = geff.abs().mul(mk).sum(new int[] {2}).div(mk.sum(new int[] {2}));
            } else {
                perCol = geff.mul(mk).sum(new int[] {2}).abs();
            }
            return reduce(m, perCol);
        }
    }

    /** 1 on the rows of each row-tile that carry a real input, 0 on zero padding: [R, rows]. */
    private static NDArray realRows(AnalogMatrix m, NDManager tmp) {
        float[] mask = new float[m.rowTiles() * m.tileRows()];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < m.inFeatures() ? 1f : 0f;
        }
        return tmp.create(mask, new Shape(m.rowTiles(), m.tileRows())).mul(1f);
    }

    /** Per-column statistics [R, C, cols] → per column, or the mean over each tile's real columns. */
    private float[] reduce(AnalogMatrix m, NDArray perCol) {
        if (granularity == Granularity.COLUMN) {
            return perCol.toFloatArray();
        }
        int c = m.colTiles();
        int cols = m.tileCols();
        float[] colMask = new float[c * cols];
        for (int j = 0; j < colMask.length; j++) {
            colMask[j] = j < m.outFeatures() ? 1f : 0f;
        }
        NDArray cm = perCol.getManager().create(colMask, new Shape(1, c, cols));
        return perCol.mul(cm).sum(new int[] {2}).div(cm.sum(new int[] {2})).toFloatArray();
    }
}
