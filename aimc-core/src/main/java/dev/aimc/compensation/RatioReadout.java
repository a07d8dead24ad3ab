package dev.aimc.compensation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.ProgrammedState;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Conductance-ratio readout (Antolini et al., IEEE JETCAS 13(1), 2023): every tile holds {@link #cells()} reference
 * cells programmed with the same device model to the target {@link #targetFraction()}·g_max, whose nominal
 * conductance g_ref (the level it snaps to on a few-level device) the circuit knows.
 * They drift with their own exponents and are read with their own read noise at the same time as the weights; the
 * circuit divides every column current by the mean reference current and multiplies by g_ref, so a drift common to
 * weights and references cancels. The ratio is formed in analog, before the ADC (a pre-ADC
 * {@link PeripheryStep}: the ADC digitises I_col·g_ref/I_ref).
 *
 * <p>The reference cells are programmed (programming noise, ν) when a matrix is first used after being
 * programmed (recognised by its {@link ProgrammedState}); their drifted conductance is computed once per inference
 * time and every input vector (every sample of a batch) gets a fresh read of them. Their programming draws from the
 * chip's calibration stream ({@link AnalogMatrix#chipStreams()}), their reads from the current pass's
 * ({@link AnalogMatrix#calibrationStream()}), each child {@link #REFERENCE_CELLS}; never from the streams of the
 * weights' reads and output noise.
 */
public final class RatioReadout {
    /** Default number of reference cells per tile. */
    public static final int DEFAULT_CELLS = 8;
    /** Default reference target as a fraction of g_max. */
    public static final double DEFAULT_TARGET = 0.5;

    /** Purpose of the reference cells' child of a matrix's calibration stream. */
    public static final long REFERENCE_CELLS = 1;

    private final int cells;
    private final double targetFraction;
    private final Map<AnalogMatrix, Refs> refs = new IdentityHashMap<>();

    /** The reference cells of one matrix (per tile: [R, C, cells]). */
    private static final class Refs {
        final ProgrammedState weights;
        final ProgrammedState state;
        final NDManager manager;
        RandomStream reads; // the reference reads of the matrix's current pass
        double time = Double.NaN;
        NDArray drifted;

        Refs(ProgrammedState weights, ProgrammedState state, NDManager manager) {
            this.weights = weights;
            this.state = state;
            this.manager = manager;
        }

        /** The stream of reference reads for the matrix's current pass (its calibration stream's child). */
        RandomStream reads(AnalogMatrix m) {
            if (reads == null || readsParent != m.calibrationStream().key()) {
                readsParent = m.calibrationStream().key();
                reads = m.calibrationStream().split(REFERENCE_CELLS);
            }
            return reads;
        }

        private long readsParent;
    }

    /**
     * Ratio readout with {@code cells} reference cells per tile programmed to {@code targetFraction}·g_max.
     *
     * @param cells reference cells per tile (≥ 1); their mean conductance is the readout's denominator
     * @param targetFraction target conductance of the reference cells as a fraction of g_max, in (0, 1]
     */
    public RatioReadout(int cells, double targetFraction) {
        this.cells = Check.range("ref-cells", cells, 1, 1 << 16);
        this.targetFraction = Check.range("ref-target", targetFraction, 1e-6, 1.0);
    }

    /**
     * 8 reference cells per tile at g_max/2.
     *
     * @return 8 cells at 0.5·g_max
     */
    public static RatioReadout defaults() {
        return new RatioReadout(DEFAULT_CELLS, DEFAULT_TARGET);
    }

    /**
     * Reference cells per tile.
     *
     * @return the number of cells (≥ 1)
     */
    public int cells() {
        return cells;
    }

    /**
     * Target conductance of the reference cells.
     *
     * @return the fraction of g_max, in (0, 1]
     */
    public double targetFraction() {
        return targetFraction;
    }

    /**
     * Applies the readout to every analog layer; close the result to undo.
     *
     * @param net a programmed network, drifted to the time being evaluated
     * @return removes the steps from every layer
     */
    public Undo apply(AnalogNetwork net) {
        return Undo.eachMatrix(net, this::apply);
    }

    /**
     * Registers the ratio as the first pre-ADC step of a programmed, drifted matrix; close to remove it.
     *
     * @param m a programmed matrix, drifted to the time being evaluated
     * @return removes the step again
     */
    public Undo apply(AnalogMatrix m) {
        if (m.state() == null || Double.isNaN(m.time())) {
            throw new IllegalStateException("ratio readout needs a programmed matrix drifted to a time (driftTo)");
        }
        Refs r = refs(m);
        driftTo(r, m);
        double gRef = referenceMicroSiemens(m.device());
        int rt = m.rowTiles();
        int ct = m.colTiles();
        PeripheryStep step = (y, ctx) -> {
            long b = y.getShape().get(0);
            NDManager sm = y.getManager();
            NDArray mean = readReferences(m, r, b, sm); // [B, R, C]
            int sd = ctx.spatialDims();
            long[] shape = new long[4 + sd];
            java.util.Arrays.fill(shape, 1);
            shape[0] = b;
            shape[1] = rt;
            shape[2] = ct;
            NDArray factor = mean.pow(-1f).mul((float) gRef).reshape(shape);
            return y.mul(factor);
        };
        m.preAdcSteps().add(0, step);
        return () -> m.preAdcSteps().remove(step);
    }

    /**
     * The reference conductance the circuit multiplies the ratio by: the nominal conductance of a cell programmed to
     * {@link #targetFraction()}·g_max ({@link dev.aimc.device.DeviceModel#nominalMicroSiemens}), which is the level
     * the target snaps to on a few-level device. (Taking the target itself there would scale every output by
     * target/level: 0.75 for g_max/2 on the four levels of {@code gst-st90}, whose nearest level is 2/3·g_max.)
     *
     * @param device the device the reference cells are made of
     * @return g_ref in µS
     */
    public double referenceMicroSiemens(dev.aimc.device.DeviceModel device) {
        return device.nominalMicroSiemens(targetFraction * device.gMaxMicroSiemens());
    }

    /** Mean read reference current (µS per unit input) per sample and tile, [B, R, C], in {@code target}. */
    NDArray readReferences(AnalogMatrix m, Refs r, long batch, NDManager target) {
        try (NDManager tmp = target.newSubManager()) {
            // materialised per-sample copies (no stride-0 views): every input vector gets its own read
            NDArray gp = r.state.gProg().duplicate();
            NDArray nu = r.state.nu().duplicate();
            NDArray gd = r.drifted.duplicate();
            gp.attach(tmp);
            nu.attach(tmp);
            gd.attach(tmp);
            gp = gp.expandDims(0).repeat(0, batch);
            nu = nu.expandDims(0).repeat(0, batch);
            gd = gd.expandDims(0).repeat(0, batch);
            NDArray read = m.device().read(new ProgrammedState(gp, nu), gd, m.time(), r.reads(m));
            read.attach(tmp);
            NDArray mean = read.mean(new int[] {3}).maximum(1e-9f);
            mean.attach(target);
            return mean;
        }
    }

    private Refs refs(AnalogMatrix m) {
        Refs r = refs.get(m);
        if (r != null && r.weights == m.state()) {
            return r;
        }
        if (r != null) {
            r.manager.close();
        }
        NDManager own = m.manager().newSubManager();
        NDArray target = own.full(new Shape(m.rowTiles(), m.colTiles(), cells),
                (float) (targetFraction * m.device().gMaxMicroSiemens()));
        // programmed once per chip: from the chip's calibration stream, not the pass that happens to come first
        ProgrammedState st = m.device().program(target, m.chipStreams().calibration().split(REFERENCE_CELLS));
        st.gProg().attach(own);
        st.nu().attach(own);
        r = new Refs(m.state(), st, own);
        refs.put(m, r);
        return r;
    }

    private void driftTo(Refs r, AnalogMatrix m) {
        if (r.drifted != null && r.time == m.time()) {
            return;
        }
        if (r.drifted != null && r.drifted != r.state.gProg()) {
            r.drifted.close();
        }
        NDArray g = m.device().drift(r.state, m.time());
        g.attach(r.manager);
        r.drifted = g;
        r.time = m.time();
    }

    /** Drops the reference cells of every matrix seen so far. */
    public void release() {
        refs.values().forEach(r -> r.manager.close());
        refs.clear();
    }
}
