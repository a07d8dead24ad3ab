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
     * The weights as the cells hold them: Q(w) (on their tiles' signs where given), without gradient.
     *
     * @param m the manager of the result
     * @return the layer's weight shape, on the cells' values
     */
    NDArray quantizedWeight(NDManager m);
}
