package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;

/**
 * A hook in the tile periphery, run on the per-tile outputs of one forward pass — the extension point for
 * compensation schemes (global drift compensation scale per tile/column, conductance-ratio readout with
 * reference cells, ...). Register with {@link AnalogMatrix#preAdcSteps()} (formed in analog, before the output
 * noise is digitised: the step sees the noisy column currents and its result is clipped and quantized by the
 * ADC) or {@link AnalogMatrix#postAdcSteps()} (digital, per tile, before the digital sum across row-tiles).
 */
@FunctionalInterface
public interface PeripheryStep {

    /**
     * Transforms the tile outputs.
     *
     * @param y tile outputs of shape [B, R, C, cols, spatial...] (R row-tiles, C column-tiles, {@code cols}
     *     columns per tile, spatial axes for a convolution) in normalized output units; attached to the forward
     *     pass's scratch manager, so a step may return a new array created from {@code y} without closing it
     * @param ctx the matrix, the quantized inputs and the layout
     * @return the transformed outputs, same shape
     */
    NDArray apply(NDArray y, Context ctx);

    /**
     * A post-ADC step that is only a constant digital factor per tile or per tile column (e.g. global drift
     * compensation). Registered in {@link AnalogMatrix#postAdcSteps()} it does not force the stepwise pipeline:
     * the integer-units forward folds the factors into its single output multiply (see
     * {@link AnalogMatrix#integerUnits()}); the stepwise pipeline multiplies the tile outputs by them.
     *
     * @param factors [R, C, k] with k = 1 (one factor per tile) or k = cols (per tile column); the step keeps
     *     the array (the caller owns and closes it, after removing the step)
     * @return the step
     */
    static TileScale tileScale(NDArray factors) {
        return new TileScale(factors);
    }

    /** See {@link #tileScale(NDArray)}. */
    final class TileScale implements PeripheryStep {
        private final NDArray factors;
        private final Map<Integer, NDArray> views = new HashMap<>();

        private TileScale(NDArray factors) {
            if (factors.getShape().dimension() != 3) {
                throw new IllegalArgumentException("tile scale factors must be [R, C, k], got " + factors.getShape());
            }
            this.factors = factors;
        }

        /**
         * The factors, [R, C, 1 or cols].
         *
         * @return the array given to {@link #tileScale}
         */
        public NDArray factors() {
            return factors;
        }

        @Override
        public NDArray apply(NDArray y, Context ctx) {
            NDArray v = views.computeIfAbsent(ctx.spatialDims(), sd -> {
                long[] shape = new long[4 + sd];
                java.util.Arrays.fill(shape, 1);
                shape[1] = factors.getShape().get(0);
                shape[2] = factors.getShape().get(1);
                shape[3] = factors.getShape().get(2);
                NDArray a = factors.reshape(shape);
                NDManager own = factors.getManager();
                a.attach(own); // a view of the factors lives as long as they do
                return a;
            });
            return y.mul(v);
        }
    }

    /**
     * What a step may look at.
     *
     * @param matrix the matrix (conductances, device, time, weight scales)
     * @param inputs the quantized normalized inputs u: [B, R, rows] for a matrix, [B, R·channelsPerTile, H, W]
     *     for a convolution
     * @param alpha the per-vector input scale α, [B, R]
     * @param spatialDims number of trailing spatial axes of {@code y} (0 for a matrix, 2 for a convolution)
     */
    record Context(AnalogMatrix matrix, NDArray inputs, NDArray alpha, int spatialDims) {}
}
