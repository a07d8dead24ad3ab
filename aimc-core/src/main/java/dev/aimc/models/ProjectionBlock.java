package dev.aimc.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.BasicBlock;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;

/**
 * The residual block of He et al. 2016 with a <b>projection shortcut</b> (their option B): conv3×3–BN–ReLU–conv3×3–BN
 * plus the shortcut, then ReLU. Where the block changes the resolution or the channel count the shortcut is a 1×1
 * convolution with the block's stride followed by batch norm ({@code shortcut}, {@code shortcutBn}); elsewhere it is
 * the identity. Convolutions have no bias. Children {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2} and, when
 * projecting, {@code shortcut} and {@code shortcutBn}, so the 1×1 convolution is an analog layer like any other.
 *
 * <p>The option-A block (zero-padded identity, no parameters) is {@link dev.aimc.nn.BasicBlock}.
 */
public final class ProjectionBlock extends BasicBlock {
    private final boolean projects;

    /**
     * Creates the block; convolution weights Kaiming-normal (fan-out), parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inChannels input channels
     * @param outChannels output channels
     * @param stride stride of the first convolution and of the projection (2 halves the resolution)
     */
    public ProjectionBlock(NDManager m, int inChannels, int outChannels, int stride) {
        super(m, inChannels, outChannels, stride);
        projects = stride != 1 || inChannels != outChannels;
        if (projects) {
            Conv2d s = addChild("shortcut", new Conv2d(m, inChannels, outChannels, 1, stride, 0, false));
            addChild("shortcutBn", new BatchNorm(m, outChannels));
            dev.aimc.nn.Init.kaimingFanOut(m, s);
        }
    }

    /**
     * Whether the shortcut is a 1×1 convolution (the block changes resolution or channels).
     *
     * @return true when the block has {@code shortcut} and {@code shortcutBn} children
     */
    public boolean projects() {
        return projects;
    }

    /** The 1×1 convolution and batch norm where the block changes shape, the identity elsewhere. */
    @Override
    protected NDArray shortcut(NDArray x, boolean training) {
        return projects ? children().get("shortcutBn").forward(children().get("shortcut").forward(x, training),
                training) : x;
    }
}
