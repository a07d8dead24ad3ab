package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 2-D convolution; weight shape [out, in, k, k], bias [out]; square kernel, stride and padding. */
public class Conv2d extends ConvNd {

    /**
     * Creates the layer with PyTorch's default initialisation, parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inChannels input channels
     * @param outChannels output channels (filters)
     * @param kernel square kernel size in pixels
     * @param stride stride in pixels
     * @param padding zero padding in pixels on each side
     * @param bias whether to add a learned bias per output channel
     */
    public Conv2d(NDManager m, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias) {
        super(m, 2, inChannels, outChannels, kernel, stride, padding, bias);
    }

    /**
     * Convolution of {@code x} with an arbitrary weight of this layer's geometry, no bias.
     *
     * @param x input [B, inChannels, H, W]
     * @param w weight [outChannels, inChannels, kernel, kernel], e.g. a noisy copy of this layer's
     * @return [B, outChannels, H', W']
     */
    public NDArray convolve(NDArray x, NDArray w) {
        return dev.aimc.util.Convolution.conv2d(x, w, null, new Shape(stride(), stride()),
                new Shape(padding(), padding()), new Shape(1, 1), 1);
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return dev.aimc.util.Convolution.conv2d(x, weight(), bias(), new Shape(stride(), stride()),
                new Shape(padding(), padding()), new Shape(1, 1), 1);
    }
}
