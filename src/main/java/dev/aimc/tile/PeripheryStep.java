package dev.aimc.tile;

import ai.djl.ndarray.NDArray;

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
