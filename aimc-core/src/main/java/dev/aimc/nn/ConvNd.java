package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The parameters and geometry shared by {@link Conv1d} and {@link Conv2d}: weight [out, in, k, …] (one k per spatial
 * dimension), optional bias [out], the same kernel, stride and padding along every spatial dimension, PyTorch's
 * default initialisation.
 */
public abstract class ConvNd extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    /**
     * Creates the parameters in {@code m} for {@code spatialDims} spatial dimensions (1 or 2).
     *
     * @param m the manager of the parameters
     * @param spatialDims 1 ([B, C, L]) or 2 ([B, C, H, W])
     * @param inChannels input channels
     * @param outChannels output channels (filters)
     * @param kernel kernel size along each spatial axis
     * @param stride stride along each spatial axis
     * @param padding zero padding on each side of each spatial axis
     * @param bias whether to add a learned bias per output channel
     */
    protected ConvNd(NDManager m, int spatialDims, int inChannels, int outChannels, int kernel, int stride,
            int padding, boolean bias) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long[] shape = new long[2 + spatialDims];
        shape[0] = outChannels;
        shape[1] = inChannels;
        long fanIn = inChannels;
        for (int d = 0; d < spatialDims; d++) {
            shape[2 + d] = kernel;
            fanIn *= kernel;
        }
        addParameter("weight", Init.torchDefault(m, new Shape(shape), fanIn));
        if (bias) {
            addParameter("bias", Init.torchDefault(m, new Shape(outChannels), fanIn));
        }
    }

    /**
     * Input channels.
     *
     * @return the count
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * Output channels (filters).
     *
     * @return the count
     */
    public int outChannels() {
        return outChannels;
    }

    /**
     * Kernel size along each spatial axis.
     *
     * @return the size in samples or pixels
     */
    public int kernel() {
        return kernel;
    }

    /**
     * Stride along each spatial axis.
     *
     * @return the stride in samples or pixels
     */
    public int stride() {
        return stride;
    }

    /**
     * Zero padding on each side of each spatial axis.
     *
     * @return the padding in samples or pixels
     */
    public int padding() {
        return padding;
    }

    /**
     * The weight [outChannels, inChannels, kernel(, kernel)].
     *
     * @return the parameter array
     */
    public NDArray weight() {
        return parameter("weight");
    }

    /**
     * The bias, or null.
     *
     * @return [outChannels], or null without bias
     */
    public NDArray bias() {
        return ownParameters().get("bias");
    }
}
