package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * The residual block of He et al. 2016 for CIFAR: conv3×3–BN–ReLU–conv3×3–BN, plus the shortcut, then ReLU.
 * Children {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2} (convolutions without bias).
 *
 * <p>Shortcut is the paper's <b>option A</b>: identity, or, when the block halves the resolution and
 * doubles the channels, the input subsampled with stride 2 and zero-padded in channels (parameter-free).
 */
public class BasicBlock extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int stride;

    /**
     * Creates the block; convolution weights Kaiming-normal (fan-out), parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inChannels input channels
     * @param outChannels output channels; when they exceed the input's, the shortcut pads the extra channels with zeros
     *     (option A)
     * @param stride stride of the first convolution (2 halves the resolution)
     */
    public BasicBlock(NDManager m, int inChannels, int outChannels, int stride) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        Conv2d c1 = addChild("conv1", new Conv2d(m, inChannels, outChannels, 3, stride, 1, false));
        addChild("bn1", new BatchNorm(m, outChannels));
        Conv2d c2 = addChild("conv2", new Conv2d(m, outChannels, outChannels, 3, 1, 1, false));
        addChild("bn2", new BatchNorm(m, outChannels));
        Init.kaimingFanOut(m, c1);
        Init.kaimingFanOut(m, c2);
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
     * Output channels.
     *
     * @return the count
     */
    public int outChannels() {
        return outChannels;
    }

    /**
     * Stride of the first convolution.
     *
     * @return 1 or 2
     */
    public int stride() {
        return stride;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        Module conv1 = children().get("conv1");
        Module bn1 = children().get("bn1");
        Module conv2 = children().get("conv2");
        Module bn2 = children().get("bn2");
        NDArray h = Activation.relu(bn1.forward(conv1.forward(x, training), training));
        h = bn2.forward(conv2.forward(h, training), training);
        return Activation.relu(h.add(shortcut(x, training)));
    }

    /**
     * The shortcut: option A (identity, or subsampled and zero-padded in channels).
     *
     * @param x the block's input
     * @param training whether the pass trains (for shortcuts with batch norm)
     * @return the shortcut's output, shaped like the residual path's
     */
    protected NDArray shortcut(NDArray x, boolean training) {
        if (stride == 1 && inChannels == outChannels) {
            return x;
        }
        NDArray s = stride == 1 ? x : x.get(":, :, ::" + stride + ", ::" + stride);
        long extra = outChannels - inChannels;
        if (extra == 0) {
            return s;
        }
        Shape sh = s.getShape();
        long before = extra / 2;
        long after = extra - before;
        NDManager bm = x.getManager();
        NDArray z1 = bm.zeros(new Shape(sh.get(0), before, sh.get(2), sh.get(3)), s.getDataType());
        NDArray z2 = bm.zeros(new Shape(sh.get(0), after, sh.get(2), sh.get(3)), s.getDataType());
        return NDArrays.concat(new NDList(z1, s, z2), 1);
    }
}
