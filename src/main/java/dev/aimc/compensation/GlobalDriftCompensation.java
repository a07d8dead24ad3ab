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
 * Global drift compensation (GDC; Joshi et al., Nat. Commun. 11, 2473, 2020, and Le Gallo et al. 2018).
 *
 * <p>Right after programming (time {@link #referenceTime()}, default 0 s) every tile is read with calibration
 * inputs and the mean absolute output is kept as the tile's reference statistic s₀; at inference time t the tile
 * is read again (drifted conductances, fresh read noise) giving s_t, and the tile's digitised output is
 * multiplied by s₀/s_t (a {@link PeripheryStep} after the ADC, before the digital sum over row-tiles).
 *
 * <p>Calibration inputs ({@link Input}): {@code ONE_HOT} reads the tile with each of its one-hot input vectors,
 * so the statistic of column j is mean_i |G_eff[i, j]| (what the rows-many reads average to); {@code ONES}
 * applies the all-ones vector once, giving |Σ_i G_eff[i, j]|. Only the rows that carry real inputs are read
 * (zero-padded rows of an edge tile are left out). The calibration reads are taken in analog with the read noise
 * of the device model but before the ADC (in hardware they are averaged or read at high resolution; a single
 * 8-bit read of a one-hot input would be dominated by quantisation).
 *
 * <p>{@link Granularity#TILE} keeps one statistic per tile (mean over its columns, the published scheme);
 * {@link Granularity#COLUMN} keeps one per tile column.
 *
 * <p>The reference of a matrix is taken on the first {@link #apply} after it was programmed (recognised by the
 * identity of its {@link ProgrammedState}) and reused for every later time until it is programmed again.
 */
public final class GlobalDriftCompensation {

    /** Calibration input vectors. */
    public enum Input { ONE_HOT, ONES }

    /** One scale per tile or per tile column. */
    public enum Granularity { TILE, COLUMN }

    private final Input input;
    private final Granularity granularity;
    private final double referenceTime;
    private final Map<AnalogMatrix, Reference> refs = new IdentityHashMap<>();

    private record Reference(ProgrammedState state, float[] values) {}

    /** GDC with the given calibration input, granularity and reference read time (s since programming). */
    public GlobalDriftCompensation(Input input, Granularity granularity, double referenceTime) {
        this.input = java.util.Objects.requireNonNull(input, "input");
        this.granularity = java.util.Objects.requireNonNull(granularity, "granularity");
        this.referenceTime = Check.nonNegative("gdc-reference-time", referenceTime);
    }

    /** The published scheme: one-hot calibration reads, one scale per tile, reference at t = 0. */
    public static GlobalDriftCompensation perTile() {
        return new GlobalDriftCompensation(Input.ONE_HOT, Granularity.TILE, 0);
    }

    /** The per-column variant. */
    public static GlobalDriftCompensation perColumn() {
        return new GlobalDriftCompensation(Input.ONE_HOT, Granularity.COLUMN, 0);
    }

    public Input input() {
        return input;
    }

    public Granularity granularity() {
        return granularity;
    }

    public double referenceTime() {
        return referenceTime;
    }

    /** Applies GDC to every analog layer of {@code net} at its current time; close the result to undo. */
    public Undo apply(AnalogNetwork net) {
        return Undo.eachMatrix(net, this::apply);
    }

    /**
     * Applies GDC to one programmed and drifted matrix: registers a post-ADC step multiplying every tile's output
     * by s₀/s_t. Close the result to remove the step.
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

    /** The compensation factors s₀/s_t, flattened [R, C, 1] (tile) or [R, C, cols] (column). */
    public float[] scales(AnalogMatrix m) {
        if (m.state() == null || Double.isNaN(m.time())) {
            throw new IllegalStateException("GDC needs a programmed matrix drifted to a time (driftTo)");
        }
        float[] ref = reference(m);
        float[] now;
        try (NDManager tmp = m.manager().newSubManager()) {
            NDArray e = m.readEffective(tmp);
            now = statistic(m, e);
        }
        float[] s = new float[ref.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = now[i] > 1e-12f && ref[i] > 1e-12f ? ref[i] / now[i] : 1f;
        }
        return s;
    }

    /** The reference statistic s₀ of {@code m}, read at {@link #referenceTime()} on its first use after programming. */
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
            NDArray read = m.device().read(st, g, referenceTime);
            read.attach(tmp);
            v = statistic(m, m.effective(read));
        }
        refs.put(m, new Reference(m.state(), v));
        return v;
    }

    /**
     * The calibration statistic of effective conductances {@code geff} [R, C, rows, cols]: mean |output| per tile
     * ([R·C] values) or per tile column ([R·C·cols]).
     */
    public float[] statistic(AnalogMatrix m, NDArray geff) {
        int r = m.rowTiles();
        int rows = m.tileRows();
        int cols = m.tileCols();
        NDManager mgr = geff.getManager();
        float[] mask = new float[r * rows]; // real (non-padded) rows
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i < m.inFeatures() ? 1f : 0f;
        }
        NDArray mk = mgr.create(mask, new Shape(r, 1, rows, 1));
        NDArray realRows = mk.sum(new int[] {2}); // [R, 1, 1]
        NDArray perCol; // [R, C, cols]
        if (input == Input.ONE_HOT) {
            perCol = geff.abs().mul(mk).sum(new int[] {2}).div(realRows);
        } else {
            perCol = geff.mul(mk).sum(new int[] {2}).abs();
        }
        if (granularity == Granularity.COLUMN) {
            return perCol.toFloatArray();
        }
        // mean over the real columns of each tile
        int c = m.colTiles();
        float[] colMask = new float[c * cols];
        for (int j = 0; j < colMask.length; j++) {
            colMask[j] = j < m.outFeatures() ? 1f : 0f;
        }
        NDArray cm = mgr.create(colMask, new Shape(1, c, cols));
        return perCol.mul(cm).sum(new int[] {2}).div(cm.sum(new int[] {2})).toFloatArray();
    }
}
