package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 2-D convolution; weight shape [out, in, k, k], bias [out]; square kernel, stride and padding. */
public class Conv2d extends ConvNd {

    /** Creates the layer with PyTorch's default initialisation, parameters in {@code m}. */
    public Conv2d(NDManager m, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias) {
        super(m, 2, inChannels, outChannels, kernel, stride, padding, bias);
    }

    /** Convolution of {@code x} with an arbitrary weight of this layer's geometry, no bias. */
    public NDArray convolve(NDArray x, NDArray w) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(stride(), stride()),
                new Shape(padding(), padding()), new Shape(1, 1), 1).singletonOrThrow();
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight(), bias(), new Shape(stride(), stride()),
                new Shape(padding(), padding()), new Shape(1, 1), 1).singletonOrThrow();
    }
}
