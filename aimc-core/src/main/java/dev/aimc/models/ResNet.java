package dev.aimc.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.aimc.nn.BasicBlock;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Init;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;

/**
 * CIFAR ResNet of He et al. 2016 (depth 6n + 2): conv3×3 → BN → ReLU, three stages of n residual blocks (the first
 * block of stages 2 and 3 has stride 2), global average pooling, a linear layer. The common network has 16, 32 and 64
 * channels and option-A shortcuts ({@link BasicBlock}, parameter-free), so ResNet-20 has 269,722 and ResNet-32 464,154
 * parameters. {@link #ResNet(NDManager, int, int[], boolean, int)} builds other widths and, optionally, 1×1 projection
 * shortcuts ({@link ProjectionBlock}, option B), e.g. the ResNet-32 of Joshi et al. 2020 ({@link Models}).
 *
 * <p>Children: {@code conv1}, {@code bn1}, {@code layer1}..{@code layer3} (Sequentials of blocks
 * {@code "0"}, {@code "1"}, ...), {@code pool}, {@code fc}; e.g. {@code layer2.0.conv1}.
 */
public final class ResNet extends Module {
    private final int blocksPerStage;

    /**
     * Builds a ResNet with {@code n} blocks per stage for {@code classes} classes, parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param n blocks per stage (6n + 2 layers)
     * @param classes number of classes
     */
    public ResNet(NDManager m, int n, int classes) {
        this(m, n, new int[] {16, 32, 64}, false, classes);
    }

    /**
     * Builds a ResNet with {@code n} blocks per stage of the given widths; the first convolution has
     * {@code widths[0]} channels.
     *
     * @param m the manager of the parameters
     * @param n blocks per stage (6n + 2 layers)
     * @param widths output channels of the three stages
     * @param projection true: 1×1 projection shortcuts where a block changes shape ({@link ProjectionBlock});
     *     false: option A ({@link BasicBlock}, which needs widths that do not shrink)
     * @param classes number of classes
     */
    public ResNet(NDManager m, int n, int[] widths, boolean projection, int classes) {
        if (widths.length != 3) {
            throw new IllegalArgumentException("a CIFAR ResNet has 3 stages, got widths " + widths.length);
        }
        this.blocksPerStage = n;
        Conv2d conv1 = addChild("conv1", new Conv2d(m, 3, widths[0], 3, 1, 1, false));
        Init.kaimingFanOut(m, conv1);
        addChild("bn1", new BatchNorm(m, widths[0]));
        int in = widths[0];
        for (int s = 0; s < 3; s++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < n; b++) {
                int stride = (s > 0 && b == 0) ? 2 : 1;
                stage.add(projection ? new ProjectionBlock(m, in, widths[s], stride)
                        : new BasicBlock(m, in, widths[s], stride));
                in = widths[s];
            }
            addChild("layer" + (s + 1), stage);
        }
        addChild("pool", new GlobalAvgPool2d());
        addChild("fc", new Linear(m, widths[2], classes, true));
    }

    /**
     * Blocks per stage (3 for ResNet-20, 5 for ResNet-32).
     *
     * @return n
     */
    public int blocksPerStage() {
        return blocksPerStage;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = Activation.relu(children().get("bn1").forward(children().get("conv1").forward(x, training),
                training));
        for (String name : new String[] {"layer1", "layer2", "layer3", "pool", "fc"}) {
            h = children().get(name).forward(h, training);
        }
        return h;
    }

    /**
     * Global average pooling of [B, C, H, W] to [B, C]. (The PyTorch engine's mean takes one axis at a time,
     * so {@code Layers.globalAvgPool} fails on 4-D input.)
     */
    public static final class GlobalAvgPool2d extends Module {
        @Override
        public NDArray forward(NDArray x, boolean training) {
            return x.mean(new int[] {3}).mean(new int[] {2});
        }
    }
}
