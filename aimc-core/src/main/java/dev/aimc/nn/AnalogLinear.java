package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;

/** Analog twin of {@link Linear}: the weight [out, in] and bias on an {@link AnalogMatrix}. No parameters. */
public final class AnalogLinear extends Module implements AnalogLayer {
    private final Linear digital;
    private final AnalogMatrix matrix;

    /**
     * Copies the layer's weight and bias onto tiles configured by {@code cfg} (not yet programmed).
     *
     * @param digital the trained layer, kept for restoring
     * @param cfg the tile configuration
     */
    public AnalogLinear(Linear digital, TileConfig cfg) {
        this.digital = digital;
        this.matrix = new AnalogMatrix(digital.weight(), digital.bias(), cfg);
    }

    @Override
    public AnalogMatrix matrix() {
        return matrix;
    }

    @Override
    public Linear digital() {
        return digital;
    }

    /** x [B, in] → [B, out]; inference only ({@code training} is ignored: analog layers are not trained). */
    @Override
    public NDArray forward(NDArray x, boolean training) {
        return matrix.forward(x);
    }
}
