package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 2-D convolution; weight shape [out, in, k, k], bias [out]; square kernel, stride and padding. */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Creates the layer with PyTorch's default initialisation, parameters in {@code m}. */
    public Conv2d(NDManager m, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long fanIn = (long) inChannels * kernel * kernel;
        addParameter("weight", Init.torchDefault(m, new Shape(outChannels, inChannels, kernel, kernel), fanIn));
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

    /** Convolution of {@code x} with an arbitrary weight of this layer's geometry, no bias. */
    public NDArray convolve(NDArray x, NDArray w) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight(), bias(), new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }
}
