package dev.aimc.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Init;
import dev.aimc.nn.Module;
import dev.aimc.util.InPlace;

/**
 * The residual block of He et al. 2016 with a <b>projection shortcut</b> (their option B): conv3×3–BN–ReLU–conv3×3–BN
 * plus the shortcut, then ReLU. Where the block changes the resolution or the channel count the shortcut is a 1×1
 * convolution with the block's stride followed by batch norm ({@code shortcut}, {@code shortcutBn}); elsewhere it is
 * the identity. Convolutions have no bias. Children {@code conv1}, {@code bn1}, {@code conv2}, {@code bn2} and, when
 * projecting, {@code shortcut} and {@code shortcutBn}, so the 1×1 convolution is an analog layer like any other.
 *
 * <p>The option-A block (zero-padded identity, no parameters) is {@link dev.aimc.nn.BasicBlock}.
 */
public final class ProjectionBlock extends Module {
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
        Conv2d c1 = addChild("conv1", new Conv2d(m, inChannels, outChannels, 3, stride, 1, false));
        addChild("bn1", new BatchNorm(m, outChannels));
        Conv2d c2 = addChild("conv2", new Conv2d(m, outChannels, outChannels, 3, 1, 1, false));
        addChild("bn2", new BatchNorm(m, outChannels));
        kaiming(m, c1);
        kaiming(m, c2);
        projects = stride != 1 || inChannels != outChannels;
        if (projects) {
            Conv2d s = addChild("shortcut", new Conv2d(m, inChannels, outChannels, 1, stride, 0, false));
            addChild("shortcutBn", new BatchNorm(m, outChannels));
            kaiming(m, s);
        }
    }

    private static void kaiming(NDManager m, Conv2d c) {
        NDArray w = c.weight();
        try (NDArray k = Init.kaimingNormal(m, w.getShape(), (long) c.outChannels() * c.kernel() * c.kernel())) {
            InPlace.assign(w, k);
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

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = Activation.relu(children().get("bn1").forward(children().get("conv1").forward(x, training),
                training));
        h = children().get("bn2").forward(children().get("conv2").forward(h, training), training);
        NDArray s = projects ? children().get("shortcutBn").forward(children().get("shortcut").forward(x, training),
                training) : x;
        return Activation.relu(h.add(s));
    }
}
