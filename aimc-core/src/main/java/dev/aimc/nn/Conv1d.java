package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** 1-D convolution over [B, C, L]; weight shape [out, in, k], bias [out]. */
public class Conv1d extends ConvNd {

    /**
     * Creates the layer with PyTorch's default initialisation, parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inChannels input channels
     * @param outChannels output channels (filters)
     * @param kernel kernel length in samples
     * @param stride stride in samples
     * @param padding zero padding in samples on each side
     * @param bias whether to add a learned bias per output channel
     */
    public Conv1d(NDManager m, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias) {
        super(m, 1, inChannels, outChannels, kernel, stride, padding, bias);
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        return dev.aimc.util.Convolution.conv1d(x, weight(), bias(), new Shape(stride()),
                new Shape(padding()), new Shape(1), 1);
    }
}
