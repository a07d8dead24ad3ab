package dev.aimc.models;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Conv1d;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.List;

/**
 * The reference networks, by name. Every fully connected and 2-D convolution layer is a
 * {@link dev.aimc.nn.Linear} / {@link dev.aimc.nn.Conv2d}, addressable by dotted path.
 *
 * <table>
 * <caption>Networks</caption>
 * <tr><th>name</th><th>input</th><th>layers</th><th>parameters</th></tr>
 * <tr><td>mlp-mnist</td><td>[B,1,28,28] or [B,784]</td><td>flatten, 784-256-128-10, ReLU</td><td>235,146</td></tr>
 * <tr><td>mlp-har</td><td>[B,561]</td><td>561-128-64-6, ReLU</td><td>80,582</td></tr>
 * <tr><td>mlp-har265</td><td>[B,265]</td><td>265-128-64-6, ReLU (the "har265" subset: first 265 of the 561
 * features)</td><td>42,694</td></tr>
 * <tr><td>lenet5</td><td>[B,3,32,32]</td><td>conv 3→6 k5, pool, conv 6→16 k5, pool, 400-120-84-10</td><td>62,006</td></tr>
 * <tr><td>lenet5-mnist</td><td>[B,1,28,28]</td><td>as lenet5, first conv 1→6 k5 padding 2</td><td>61,706</td></tr>
 * <tr><td>resnet20 / resnet32</td><td>[B,3,32,32]</td><td>{@link ResNet}, option-A shortcuts</td><td>269,722 / 464,154</td></tr>
 * <tr><td>resnet32-joshi</td><td>[B,3,32,32]</td><td>{@link ResNet} n = 5 with 16, 28, 56 channels and 1×1 projection
 * shortcuts ({@link ProjectionBlock}): the ResNet-32 of Joshi et al. 2020, whose 361,722 weights (every convolution
 * and fully connected weight, plus the 10 output biases) the paper programs on two PCM devices each</td><td>363,922
 * (361,722 + 2,200 batch-norm γ, β)</td></tr>
 * <tr><td>resnet9-s</td><td>[B,3,32,32]</td><td>{@link ResNet9} with widths 16, 32, 64, 128 (a quarter of Page's
 * DAWNBench ResNet-9, the network of Büchel et al. 2023)</td><td>412,954 (411,834 weights and fc bias + 1,120 batch-norm
 * γ, β)</td></tr>
 * <tr><td>vgg16-s</td><td>[B,3,32,32]</td><td>VGG-16 (13 convolutions 3×3 with batch norm, 5 max-pools, one linear
 * layer) at a quarter of its widths, 16 to 128 channels ({@link #VGG16_S_WIDTHS}); the VGG of the CorrectNet
 * reproduction</td><td>923,130</td></tr>
 * <tr><td>cnn1d-har</td><td>[B,9,128]</td><td>conv1d 9→32 k5, pool, 32→64 k5, pool, 64→64 k3, global avg, 64→6</td><td>24,518</td></tr>
 * </table>
 */
public final class Models {
    private Models() {}

    /** Names accepted by {@link #create}. */
    public static final List<String> NAMES =
            List.of("mlp-mnist", "mlp-har", "mlp-har265", "lenet5", "lenet5-mnist", "resnet20", "resnet32",
                    "resnet32-joshi", "resnet9-s", "vgg16-s", "cnn1d-har");

    /**
     * Stage widths of {@code resnet32-joshi}. Not stated as such in the paper: they are the widths for which a
     * ResNet-32 with 1×1 projection shortcuts has the paper's 361,722 weights (see {@code experiments/joshi2020}).
     */
    public static final List<Integer> JOSHI_RESNET32_WIDTHS = List.of(16, 28, 56);

    /** Widths of {@code resnet9-s}: a quarter of those of Page's ResNet-9 (64, 128, 256, 512); see {@link ResNet9}. */
    public static final List<Integer> RESNET9_S_WIDTHS = List.of(16, 32, 64, 128);

    /**
     * Layers of {@code vgg16-s}: VGG-16's thirteen 3×3 convolutions (Simonyan and Zisserman 2015, configuration D) at a
     * quarter of their widths, 0 marking a 2×2 max-pool; the CIFAR form of the network (batch norm after every
     * convolution, one linear classifier on the 1×1 feature map, as in the common CIFAR-10 VGG implementations).
     */
    public static final List<Integer> VGG16_S_WIDTHS =
            List.of(16, 16, 0, 32, 32, 0, 64, 64, 64, 0, 128, 128, 128, 0, 128, 128, 128, 0);

    /**
     * Builds network {@code name} with parameters in {@code m}, after seeding the engine RNG with {@code seed}.
     *
     * @param name a name from {@link #NAMES}
     * @param m the manager of the parameters
     * @param seed seed of the initialisation
     * @return the network with freshly initialised parameters
     * @throws ConfigException naming --model for an unknown name
     */
    public static Module create(String name, NDManager m, long seed) {
        if (!NAMES.contains(name)) {
            throw new ConfigException("--model must be one of " + NAMES + ", got " + name);
        }
        Rng.seed(seed);
        switch (name) {
            case "mlp-mnist":
                return new Sequential().add(Layers.flatten())
                        .add(new Linear(m, 784, 256, true)).add(Layers.relu())
                        .add(new Linear(m, 256, 128, true)).add(Layers.relu())
                        .add(new Linear(m, 128, 10, true));
            case "mlp-har":
                return harMlp(m, 561);
            case "mlp-har265":
                return harMlp(m, 265);
            case "lenet5":
                return lenet(m, 3, 32, 0);
            case "lenet5-mnist":
                return lenet(m, 1, 28, 2);
            case "resnet20":
                return new ResNet(m, 3, 10);
            case "resnet32":
                return new ResNet(m, 5, 10);
            case "resnet32-joshi":
                return new ResNet(m, 5, JOSHI_RESNET32_WIDTHS.stream().mapToInt(Integer::intValue).toArray(), true, 10);
            case "resnet9-s":
                return new ResNet9(m, RESNET9_S_WIDTHS.stream().mapToInt(Integer::intValue).toArray(), 10);
            case "vgg16-s":
                return vgg(m, VGG16_S_WIDTHS, 10);
            case "cnn1d-har":
                return new Sequential()
                        .add(new Conv1d(m, 9, 32, 5, 1, 2, true)).add(Layers.relu()).add(Layers.maxPool1d(2, 2))
                        .add(new Conv1d(m, 32, 64, 5, 1, 2, true)).add(Layers.relu()).add(Layers.maxPool1d(2, 2))
                        .add(new Conv1d(m, 64, 64, 3, 1, 1, true)).add(Layers.relu())
                        .add(Layers.globalAvgPool())
                        .add(new Linear(m, 64, 6, true));
            default:
                throw new AssertionError(name);
        }
    }

    /**
     * A CIFAR VGG: for every width w a 3×3 convolution (padding 1, no bias, Kaiming-normal fan-out), batch norm and
     * ReLU, for every 0 a 2×2 max-pool; then flatten and one linear layer from the last width (1×1 after five pools
     * of a 32×32 input) to the classes. Layers are Sequential indices: for vgg16-s the convolutions are 0, 3, 7, 10,
     * 14, 17, 20, 24, 27, 30, 34, 37, 40 and the classifier 45.
     */
    private static Sequential vgg(NDManager m, List<Integer> widths, int classes) {
        Sequential s = new Sequential();
        int in = 3;
        for (int w : widths) {
            if (w == 0) {
                s.add(Layers.maxPool2d(2, 2));
                continue;
            }
            dev.aimc.nn.Conv2d c = new dev.aimc.nn.Conv2d(m, in, w, 3, 1, 1, false);
            dev.aimc.nn.Init.kaimingFanOut(m, c);
            s.add(c).add(new dev.aimc.nn.BatchNorm(m, w)).add(Layers.relu());
            in = w;
        }
        return s.add(Layers.flatten()).add(new Linear(m, in, classes, true));
    }

    /** The HAR feature MLP: F-128-64-6 with ReLU. */
    private static Sequential harMlp(NDManager m, int features) {
        return new Sequential().add(Layers.flatten())
                .add(new Linear(m, features, 128, true)).add(Layers.relu())
                .add(new Linear(m, 128, 64, true)).add(Layers.relu())
                .add(new Linear(m, 64, 6, true));
    }

    /** The zoo's LeNet-5 (6, 16, 120, 84) on square images of {@code size} pixels, from {@link LeNet#graph}. */
    private static Sequential lenet(NDManager m, int inChannels, int size, int pad) {
        return LeNet.module(LeNet.graph(inChannels, size, pad, new int[] {6, 16, 120, 84}, 10), m);
    }

    /**
     * Input shape of one example (without the batch axis) of a network given by its graph (an imported or searched
     * network) or, when there is none, by its name.
     *
     * @param name a name from {@link #NAMES}, used when {@code graph} is null
     * @param graph the network's graph, or null
     * @return the graph's input shape, or {@link #inputShape(String)} of {@code name}
     */
    public static Shape inputShape(String name, dev.aimc.nn.GraphSpec graph) {
        return graph != null ? new Shape(graph.inputShape()) : inputShape(name);
    }

    /**
     * Input shape of one example (without the batch axis) for network {@code name}.
     *
     * @param name a name from {@link #NAMES}
     * @return e.g. [1, 28, 28] for the MNIST networks
     */
    public static Shape inputShape(String name) {
        switch (name) {
            case "mlp-mnist":
            case "lenet5-mnist":
                return new Shape(1, 28, 28);
            case "mlp-har":
                return new Shape(561);
            case "mlp-har265":
                return new Shape(265);
            case "lenet5":
            case "resnet20":
            case "resnet32":
            case "resnet32-joshi":
            case "resnet9-s":
            case "vgg16-s":
                return new Shape(3, 32, 32);
            case "cnn1d-har":
                return new Shape(9, 128);
            default:
                throw new ConfigException("--model must be one of " + NAMES + ", got " + name);
        }
    }

    /**
     * Number of classes the network predicts.
     *
     * @param name a name from {@link #NAMES}
     * @return e.g. 10, or 6 for the HAR networks
     */
    public static int classes(String name) {
        return name.contains("har") ? 6 : 10;
    }
}
