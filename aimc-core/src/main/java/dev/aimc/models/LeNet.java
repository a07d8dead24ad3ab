package dev.aimc.models;

import ai.djl.ndarray.NDManager;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Sequential;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The LeNet-5 topology (LeCun et al. 1998, as the PyTorch CIFAR-10 tutorial lays it out) with its widths as
 * parameters: conv k5 (C → c1), ReLU, max pool 2, conv k5 (c1 → c2), ReLU, max pool 2, flatten, linear (c2·s² → f1),
 * ReLU, linear (f1 → f2), ReLU, linear (f2 → classes), every layer with a bias. The zoo's {@code lenet5} is
 * c1, c2, f1, f2 = 6, 16, 120, 84 on 3 × 32 × 32 images, {@code lenet5-mnist} the same on 1 × 28 × 28 with a first
 * padding of 2. The one definition is the graph ({@link #graph}); the zoo's module ({@link #module}) is built from it
 * as a {@link Sequential}, so its layers keep the paths 0, 3, 7, 9 and 11, which are also the graph's layer names.
 */
public final class LeNet {
    /** Kernel size of both convolutions, pixels. */
    public static final int KERNEL = 5;
    /** Paths of the five weight layers: conv1, conv2, fc1, fc2, fc3 (the zoo's Sequential indices). */
    public static final List<String> LAYERS = List.of("0", "3", "7", "9", "11");

    private LeNet() {}

    /**
     * The spatial sizes after each convolution of a LeNet on square images.
     *
     * @param imageSize image height = width, pixels
     * @param pad padding of the first convolution, pixels (both sides)
     * @return {conv1 output, conv2 output, after the second pool} side lengths, pixels
     * @throws dev.aimc.util.ConfigException when the image is too small for two convolutions and pools
     */
    public static int[] sizes(int imageSize, int pad) {
        int a = imageSize + 2 * pad - KERNEL + 1;
        int b = a / 2 - KERNEL + 1;
        Check.that(b >= 2, "image size", "must leave at least 2 x 2 pixels after LeNet's second convolution",
                imageSize);
        return new int[] {a, b, b / 2};
    }

    /**
     * The network as a graph: nodes 0, 3 (conv), 7, 9, 11 (linear) and the parameter-free nodes between them, each
     * named by its index in the zoo's Sequential.
     *
     * @param inChannels image channels C
     * @param imageSize image height = width, pixels
     * @param pad padding of the first convolution, pixels
     * @param widths c1, c2, f1, f2, each ≥ 1
     * @param classes outputs
     * @return the graph (input "x" of shape [C, size, size])
     */
    public static GraphSpec graph(int inChannels, int imageSize, int pad, int[] widths, int classes) {
        Check.that(widths.length == 4, "LeNet widths", "must give c1, c2, f1, f2", widths.length);
        int flat = widths[1] * sizes(imageSize, pad)[2] * sizes(imageSize, pad)[2];
        List<GraphSpec.Node> nodes = new ArrayList<>();
        String v = "x";
        v = add(nodes, "conv", v, Map.of("in", d(inChannels), "out", d(widths[0]), "kernel", d(KERNEL),
                "stride", d(1), "padding", d(pad), "bias", d(1)));
        v = add(nodes, "relu", v, Map.of());
        v = add(nodes, "maxPool", v, pool());
        v = add(nodes, "conv", v, Map.of("in", d(widths[0]), "out", d(widths[1]), "kernel", d(KERNEL),
                "stride", d(1), "padding", d(0), "bias", d(1)));
        v = add(nodes, "relu", v, Map.of());
        v = add(nodes, "maxPool", v, pool());
        v = add(nodes, "flatten", v, Map.of("axis", d(1)));
        int[] fin = {flat, widths[2], widths[3]};
        int[] fout = {widths[2], widths[3], classes};
        for (int l = 0; l < 3; l++) {
            v = add(nodes, "linear", v, Map.of("in", d(fin[l]), "out", d(fout[l]), "bias", d(1)));
            if (l < 2) {
                v = add(nodes, "relu", v, Map.of());
            }
        }
        return new GraphSpec("x", new long[] {inChannels, imageSize, imageSize}, v, classes, nodes);
    }

    /**
     * The graph as the zoo's module: one Sequential child per node, in order (the engine RNG as it is; seed it
     * first for a reproducible initialisation).
     *
     * @param g a graph of {@link #graph}
     * @param m the manager of the parameters
     * @return the network, layers at the paths {@link #LAYERS}
     */
    static Sequential module(GraphSpec g, NDManager m) {
        Sequential s = new Sequential();
        for (GraphSpec.Node n : g.nodes()) {
            s.add(switch (n.op()) {
                case "conv" -> new Conv2d(m, n.i("in"), n.i("out"), n.i("kernel"), n.i("stride"), n.i("padding"),
                        true);
                case "linear" -> new Linear(m, n.i("in"), n.i("out"), true);
                case "relu" -> Layers.relu();
                case "maxPool" -> Layers.maxPool2d(2, 2);
                case "flatten" -> Layers.flatten();
                default -> throw new AssertionError(n.op());
            });
        }
        return s;
    }

    private static String add(List<GraphSpec.Node> nodes, String op, String input, Map<String, double[]> attrs) {
        String name = Integer.toString(nodes.size());
        nodes.add(new GraphSpec.Node(name, op, List.of(input), name, attrs));
        return name;
    }

    private static Map<String, double[]> pool() {
        return Map.of("kernel", new double[] {2, 2}, "stride", new double[] {2, 2}, "padding", new double[] {0, 0},
                "ceil", d(0));
    }

    private static double[] d(double v) {
        return new double[] {v};
    }
}
