package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 1-D convolution over [B, C, L]; weight shape [out, in, k], bias [out]. */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Creates the layer with PyTorch's default initialisation, parameters in {@code m}. */
    public Conv1d(NDManager m, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long fanIn = (long) inChannels * kernel;
        addParameter("weight", Init.torchDefault(m, new Shape(outChannels, inChannels, kernel), fanIn));
        if (bias) {
            addParameter("bias", Init.torchDefault(m, new Shape(outChannels), fanIn));
        }
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public NDArray weight() {
        return parameter("weight");
    }

    /** The bias, or null. */
    public NDArray bias() {
        return ownParameters().get("bias");
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return ai.djl.nn.convolutional.Conv1d.conv1d(x, weight(), bias(), new Shape(stride), new Shape(padding),
                new Shape(1), 1).singletonOrThrow();
    }
}
