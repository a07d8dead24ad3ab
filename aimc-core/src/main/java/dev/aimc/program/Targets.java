package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.ConfigException;

/** Weight ↔ normalized-weight ↔ conductance-target conversions (differential mapping, tile layout). */
public final class Targets {
    private Targets() {}

    /**
     * Normalized crossbar weights from a layer weight W [out, in]: the transpose [in = rows, out = cols] divided by
     * the per-column scale s_j = max_i |W_ji| (the tile's default PER_COLUMN scaling), in [-1, 1].
     *
     * @param w layer weight [out, in]
     * @return {wn [rows, cols], s [cols]} in {@code w}'s manager
     */
    public static NDArray[] normalize(NDArray w) {
        if (w.getShape().dimension() != 2) {
            throw new ConfigException("weights must be a 2-D [out, in] matrix, got shape " + w.getShape());
        }
        NDArray wt = w.toType(DataType.FLOAT32, true).transpose();
        NDArray s = wt.abs().max(new int[] {0}).maximum(1e-30f);
        return new NDArray[] {wt.div(s).clip(-1f, 1f), s};
    }

    /**
     * Differential conductance targets [2, rows, cols] µS of a bare crossbar (outside a tile; devices with g_min = 0,
     * the only ones the pulse model programs): G+ = g_max·max(w, 0), G− = g_max·max(−w, 0). Inside a matrix the
     * targets are the tile's own mapping, {@link dev.aimc.tile.AnalogMatrix#targetConductances}.
     *
     * @param wn normalized weights [rows, cols], in [−1, 1]
     * @param gMax g_max in µS
     * @return [2, rows, cols] in µS
     */
    public static NDArray conductances(NDArray wn, double gMax) {
        NDManager m = wn.getManager();
        NDArray pos = wn.maximum(0f).mul((float) gMax);
        NDArray neg = wn.neg().maximum(0f).mul((float) gMax);
        NDArray out = NDArrays.stack(m, pos, neg);
        pos.close();
        neg.close();
        return out;
    }

    /**
     * Normalized weight (G+ − G−)/g_max [rows, cols] of conductances [2, rows, cols].
     *
     * @param g conductances [2, rows, cols] in µS
     * @param gMax g_max in µS
     * @return normalized weights
     */
    public static NDArray weight(NDArray g, double gMax) {
        return g.get(0).sub(g.get(1)).div((float) gMax);
    }

    /** Small stacking helper (keeps the result in the given manager). */
    static final class NDArrays {
        private NDArrays() {}

        static NDArray stack(NDManager m, NDArray a, NDArray b) {
            NDArray s = a.stack(b, 0);
            s.attach(m);
            return s;
        }
    }
}
