package dev.aimc.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Init;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;

/**
 * The ResNet-9 of D. Page's DAWNBench CIFAR-10 entry ("How to train your ResNet", Myrtle.ai, 2018), the network
 * Büchel et al. (IEEE JETCAS 13(4), 2023) program on PCM cores with GDP. Layout (every convolution 3×3, padding 1, no
 * bias, followed by batch norm and ReLU):
 * <pre>
 * prep    conv 3→c0
 * layer1  conv c0→c1, max-pool 2          res1  two convs c1→c1, added to layer1's output
 * layer2  conv c1→c2, max-pool 2
 * layer3  conv c2→c3, max-pool 2          res3  two convs c3→c3, added to layer3's output
 * pool    global max-pool, fc c3→classes (with bias)
 * </pre>
 * Page's widths are (64, 128, 256, 512), 6,568,640 weights. The paper runs its ResNet-9 on two 256×256-unit-cell HERMES
 * cores and does not give its widths here; {@code resnet9-s} ({@link Models}) uses a quarter of Page's widths,
 * (16, 32, 64, 128) with 411,834 weights and fc biases, which trains on one CPU core in minutes per epoch; that choice is ours.
 * Also ours: the fc layer has a bias and no 0.125 output scale (Page multiplies the logits by 0.125, which does not
 * change a prediction).
 *
 * <p>Children: {@code prep}, {@code layer1}, {@code res1}, {@code layer2}, {@code layer3}, {@code res3} (each a
 * {@link ConvBnRelu} or two of them as {@code res*.0}, {@code res*.1}), {@code fc}; convolutions are at
 * {@code prep.conv}, {@code res1.0.conv}, etc.
 */
public final class ResNet9 extends Module {

    /**
     * Builds the network with parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param widths the four widths c0..c3
     * @param classes number of classes
     */
    public ResNet9(NDManager m, int[] widths, int classes) {
        if (widths.length != 4) {
            throw new IllegalArgumentException("ResNet-9 has 4 widths, got " + widths.length);
        }
        addChild("prep", new ConvBnRelu(m, 3, widths[0]));
        addChild("layer1", new ConvBnRelu(m, widths[0], widths[1]));
        addChild("res1", residual(m, widths[1]));
        addChild("layer2", new ConvBnRelu(m, widths[1], widths[2]));
        addChild("layer3", new ConvBnRelu(m, widths[2], widths[3]));
        addChild("res3", residual(m, widths[3]));
        addChild("fc", new Linear(m, widths[3], classes, true));
    }

    /** The two units of a residual branch. */
    private static Sequential residual(NDManager m, int c) {
        return new Sequential().add(new ConvBnRelu(m, c, c)).add(new ConvBnRelu(m, c, c));
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        Module fc = children().get("fc");
        NDArray h = children().get("prep").forward(x, training);
        h = pool(children().get("layer1").forward(h, training));
        h = h.add(children().get("res1").forward(h, training));
        h = pool(children().get("layer2").forward(h, training));
        h = pool(children().get("layer3").forward(h, training));
        h = h.add(children().get("res3").forward(h, training));
        return fc.forward(h.max(new int[] {3}).max(new int[] {2}), training); // one axis at a time (PyTorch engine)
    }

    /** Max pooling 2×2, stride 2. */
    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    /** Convolution 3×3 (padding 1, no bias, Kaiming-normal fan-out), batch norm, ReLU; children {@code conv}, {@code bn}. */
    public static final class ConvBnRelu extends Module {
        /**
         * Creates the unit with parameters in {@code m}.
         *
         * @param m the manager of the parameters
         * @param in input channels
         * @param out output channels
         */
        public ConvBnRelu(NDManager m, int in, int out) {
            Conv2d c = addChild("conv", new Conv2d(m, in, out, 3, 1, 1, false));
            Init.kaimingFanOut(m, c);
            addChild("bn", new BatchNorm(m, out));
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            return Activation.relu(children().get("bn").forward(children().get("conv").forward(x, training),
                    training));
        }
    }
}
