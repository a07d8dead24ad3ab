package dev.aimc.onnx;

import dev.aimc.models.Models;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * aimc's own reference networks ({@link Models#NAMES}) written as graphs ({@link GraphSpec}), so that the ONNX
 * exporter treats them like imported networks. Each conv, linear and batch-norm node is named after its module's
 * dotted path with the dots replaced by underscores ({@code layer2.0.conv1} → {@code layer2_0_conv1}); the
 * ResNets' option-A shortcut becomes a 1×1 max pool of stride 2 (which keeps every second row and column, as
 * {@code x[:, :, ::2, ::2]}) and a zero pad of the channel axis. {@code cnn1d-har} has 1-D convolutions, which
 * graphs do not describe; it cannot be exported.
 */
public final class ReferenceGraphs {
    private ReferenceGraphs() {}

    /**
     * A network as a graph, with the module path of each parameterised node.
     *
     * @param spec the graph
     * @param modulePaths node name → dotted path of its module in the reference network
     */
    public record Described(GraphSpec spec, Map<String, String> modulePaths) {
        /**
         * Copies the map.
         *
         * @param spec the graph
         * @param modulePaths node name → module path
         */
        public Described {
            modulePaths = Map.copyOf(modulePaths);
        }
    }

    /**
     * The graph of reference network {@code architecture} as built in {@code model}.
     *
     * @param architecture a name from {@link Models#NAMES}
     * @param model the network (batch norms are read for their ε)
     * @return its graph and the module path of each conv, linear and batch-norm node
     * @throws ConfigException when the architecture has no graph form (cnn1d-har) or is unknown
     */
    public static Described of(String architecture, Module model) {
        Builder b = new Builder(Models.inputShape(architecture).getShape(), Models.classes(architecture), model);
        switch (architecture) {
            case "mlp-mnist", "mlp-har" -> {
                String h = b.flatten(b.input);
                h = b.relu(b.linear("1", h));
                h = b.relu(b.linear("3", h));
                b.linear("5", h);
            }
            case "lenet5", "lenet5-mnist" -> {
                String h = b.maxPool(b.relu(b.conv("0", b.input)), 2, 2);
                h = b.maxPool(b.relu(b.conv("3", h)), 2, 2);
                h = b.flatten(h);
                h = b.relu(b.linear("7", h));
                h = b.relu(b.linear("9", h));
                b.linear("11", h);
            }
            case "resnet20", "resnet32" -> resnet(b, architecture.equals("resnet20") ? 3 : 5);
            case "cnn1d-har" -> throw new ConfigException("architecture cnn1d-har cannot be exported to ONNX by aimc"
                    + " (its 1-D convolutions have no graph form)");
            default -> throw new ConfigException("unknown architecture " + architecture);
        }
        return b.done();
    }

    private static void resnet(Builder b, int n) {
        String h = b.relu(b.batchNorm("bn1", b.conv("conv1", b.input)));
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int s = 0; s < 3; s++) {
            for (int k = 0; k < n; k++) {
                String p = "layer" + (s + 1) + "." + k + ".";
                int out = widths[s];
                int stride = (s > 0 && k == 0) ? 2 : 1;
                String y = b.relu(b.batchNorm(p + "bn1", b.conv(p + "conv1", h)));
                y = b.batchNorm(p + "bn2", b.conv(p + "conv2", y));
                String sc = h;
                if (stride != 1) {
                    sc = b.maxPool(sc, 1, stride);
                }
                if (out != in) {
                    long before = (out - in) / 2;
                    long after = out - in - before;
                    // PyTorch order, last axis first: W, H, then C
                    sc = b.op("pad", List.of(sc), Map.of("pads", new double[] {0, 0, 0, 0, before, after},
                            "value", new double[] {0}));
                }
                h = b.relu(b.op("add", List.of(y, sc), Map.of()));
                in = out;
            }
        }
        h = b.flatten(b.op("globalAvgPool", List.of(h), Map.of()));
        b.linear("fc", h);
    }

    /** Appends nodes; each node's output value is named after the node. */
    private static final class Builder {
        final String input = "input";
        final long[] inputShape;
        final int classes;
        final Module model;
        final List<GraphSpec.Node> nodes = new ArrayList<>();
        final Map<String, String> paths = new LinkedHashMap<>();
        String last;

        Builder(long[] inputShape, int classes, Module model) {
            this.inputShape = inputShape;
            this.classes = classes;
            this.model = model;
        }

        String op(String op, List<String> inputs, Map<String, double[]> attrs) {
            return add(op + nodes.size(), op, inputs, attrs);
        }

        private String add(String name, String op, List<String> inputs, Map<String, double[]> attrs) {
            nodes.add(new GraphSpec.Node(name, op, inputs, name, attrs));
            last = name;
            return name;
        }

        String relu(String x) {
            return op("relu", List.of(x), Map.of());
        }

        String flatten(String x) {
            return op("flatten", List.of(x), Map.of("axis", new double[] {1}));
        }

        String maxPool(String x, int k, int s) {
            return op("maxPool", List.of(x), Map.of("kernel", new double[] {k, k}, "stride", new double[] {s, s},
                    "padding", new double[] {0, 0}, "ceil", new double[] {0}));
        }

        String conv(String path, String x) {
            dev.aimc.nn.Conv2d c = (dev.aimc.nn.Conv2d) model.module(path);
            return layer(path, "conv", x, Map.of("in", d(c.inChannels()), "out", d(c.outChannels()),
                    "kernel", d(c.kernel()), "stride", d(c.stride()), "padding", d(c.padding()),
                    "bias", d(c.ownParameters().containsKey("bias") ? 1 : 0)));
        }

        String linear(String path, String x) {
            dev.aimc.nn.Linear l = (dev.aimc.nn.Linear) model.module(path);
            long[] w = l.weight().getShape().getShape();
            return layer(path, "linear", x, Map.of("in", d(w[1]), "out", d(w[0]),
                    "bias", d(l.ownParameters().containsKey("bias") ? 1 : 0)));
        }

        String batchNorm(String path, String x) {
            BatchNorm bn = (BatchNorm) model.module(path);
            long c = bn.parameter("gamma").getShape().get(0);
            return layer(path, "batchnorm", x, Map.of("channels", d(c), "eps", d(bn.eps())));
        }

        private String layer(String path, String op, String x, Map<String, double[]> attrs) {
            String name = path.replace('.', '_');
            paths.put(name, path);
            return add(name, op, List.of(x), attrs);
        }

        private static double[] d(double v) {
            return new double[] {v};
        }

        Described done() {
            return new Described(new GraphSpec(input, inputShape, last, classes, nodes), paths);
        }
    }
}
