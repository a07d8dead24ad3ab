package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A layer on crossbar tiles with a fixed analog design ({@link UniformScaling}): {@link UniformLinear} (a matrix
 * [out, in]) and {@link UniformConv2d} (its unrolled matrix [out, inChannels·k²]).
 */
public interface UniformLayer {

    /**
     * This layer's analog design.
     *
     * @return the weight quantizer and converters
     */
    UniformScaling scaling();

    /**
     * The sign of every tile-sized sub-matrix, if constrained.
     *
     * @return the signs, or null when the whole layer has the design's polarity
     */
    TileSigns tileSigns();

    /**
     * The latent full-precision weights the optimizer updates (the source layer's array).
     *
     * @return the weight array
     */
    NDArray weight();

    /**
     * {@code w} on its tiles' signs ({@link TileSigns#project}, where given) and then on the cells' values
     * ({@link CellLevels#quantize}).
     *
     * @param w weights of this layer's shape
     * @param straightThrough whether the gradient passes the quantizer unchanged (training)
     * @return Q(w), same shape
     */
    default NDArray cellWeights(NDArray w, boolean straightThrough) {
        TileSigns signs = tileSigns();
        return scaling().weights().quantize(signs == null ? w : signs.project(w), straightThrough);
    }

    /**
     * The weights as the cells hold them: Q(w) (on their tiles' signs where given), without gradient.
     *
     * @param m the manager of the result
     * @return the layer's weight shape, on the cells' values
     */
    default NDArray quantizedWeight(NDManager m) {
        try (NDManager tmp = m.newSubManager()) {
            NDArray w = tmp.create(weight().toFloatArray(), weight().getShape());
            NDArray q = cellWeights(w, false);
            q.attach(m);
            return q;
        }
    }

    /**
     * Checks that tile signs, when given, come with a bipolar design (the tiles, not the design, choose the sign).
     *
     * @param scaling the layer's design
     * @param tileSigns the tile signs, or null
     * @return {@code tileSigns}
     * @throws dev.aimc.util.ConfigException when tile signs are given with a positive- or negative-only design
     */
    static TileSigns checkTileSigns(UniformScaling scaling, TileSigns tileSigns) {
        if (tileSigns != null && scaling.weights().polarity() != CellLevels.Polarity.BIPOLAR) {
            throw new dev.aimc.util.ConfigException("tile-signs need a bipolar weight polarity (the tiles choose the"
                    + " sign), got " + scaling.weights().polarity().label());
        }
        return tileSigns;
    }
}
