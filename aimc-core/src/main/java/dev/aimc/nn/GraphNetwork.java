package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network that is a directed acyclic graph of operations, not only a sequence: residual additions, concatenation,
 * branches ({@link GraphSpec} lists the operations). Convolutions, fully connected layers and batch norms are child
 * modules named after their nodes ({@link Conv2d}, {@link Linear}, {@link BatchNorm}), so {@link AnalogConverter},
 * hardware-aware training and AdaBS find and replace them by path like in every other network; constant tensors are
 * buffers {@code const_<node>} and are saved with the parameters.
 *
 * <p>Intermediate values are closed as soon as their last reader has run; every array the forward pass creates is
 * attached to the input's manager.
 */
public final class GraphNetwork extends Module {
    /** Prefix of the buffer holding a constant node's value. */
    public static final String CONST_PREFIX = "const_";

    private final GraphSpec spec;
    private final Map<String, String> constBuffers = new HashMap<>();
    /** For each node, the values whose last reader it is (closed after it ran). */
    private final List<List<String>> releaseAfter = new ArrayList<>();

    /**
     * Builds the modules and constant buffers of {@code spec} in {@code m}, initialised as a fresh layer would be
     * (load the trained values afterwards, e.g. with {@code Checkpoint.load}).
     *
     * @param spec the graph
     * @param m the manager of the parameters and buffers
     * @throws IllegalArgumentException when a node reads a value not yet written, or an operation is unknown
     */
    public GraphNetwork(GraphSpec spec, NDManager m) {
        this.spec = spec;
        Set<String> known = new HashSet<>();
        known.add(spec.input());
        Map<String, Integer> lastRead = new HashMap<>();
        List<GraphSpec.Node> nodes = spec.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            GraphSpec.Node n = nodes.get(i);
            for (String in : n.inputs()) {
                if (!known.contains(in)) {
                    throw new IllegalArgumentException("graph node " + n.name() + " (" + n.op() + ") reads " + in
                            + ", which no earlier node writes");
                }
                lastRead.put(in, i);
            }
            known.add(n.output());
            build(n, m);
        }
        if (!known.contains(spec.output())) {
            throw new IllegalArgumentException("graph output " + spec.output() + " is written by no node");
        }
        for (int i = 0; i < nodes.size(); i++) {
            releaseAfter.add(new ArrayList<>());
        }
        lastRead.forEach((value, i) -> {
            if (!value.equals(spec.input()) && !value.equals(spec.output()) && !constBuffers.containsKey(value)) {
                releaseAfter.get(i).add(value);
            }
        });
    }

    private void build(GraphSpec.Node n, NDManager m) {
        switch (n.op()) {
            case "conv" -> {
                int groups = n.has("groups") ? n.i("groups") : 1;
                addChild(n.name(), groups == 1 ? new Conv2d(m, n.i("in"), n.i("out"), n.i("kernel"), n.i("stride"),
                        n.i("padding"), n.i("bias") != 0) : new GroupedConv2d(m, n.i("in"), n.i("out"), groups,
                        n.i("kernel"), n.i("stride"), n.i("padding"), n.i("bias") != 0));
            }
            case "linear" -> addChild(n.name(), new Linear(m, n.i("in"), n.i("out"), n.i("bias") != 0));
            case "batchnorm" -> addChild(n.name(), new BatchNorm(m, n.i("channels"), (float) n.d("eps")));
            case "const" -> {
                String buffer = CONST_PREFIX + n.name();
                addBuffer(buffer, m.zeros(new Shape(n.longs("shape"))));
                constBuffers.put(n.output(), buffer);
            }
            case "add", "concat", "relu", "sigmoid", "tanh", "leakyRelu", "clip", "maxPool", "avgPool",
                    "globalAvgPool", "pad", "flatten", "reshape", "softmax" -> { }
            default -> throw new IllegalArgumentException("graph node " + n.name() + ": unknown operation " + n.op());
        }
    }

    /**
     * The graph this network runs.
     *
     * @return its description
     */
    public GraphSpec spec() {
        return spec;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(spec.input(), x);
        NDManager bm = x.getManager();
        List<GraphSpec.Node> nodes = spec.nodes();
        try {
            for (int i = 0; i < nodes.size(); i++) {
                GraphSpec.Node n = nodes.get(i);
                if (n.op().equals("const")) {
                    values.put(n.output(), buffer(constBuffers.get(n.output())));
                    continue;
                }
                NDArray out = run(n, values, training);
                if (out.getManager() != bm) {
                    out.attach(bm);
                }
                values.put(n.output(), out);
                for (String v : releaseAfter.get(i)) {
                    NDArray a = values.remove(v);
                    if (a != null && a != x) {
                        a.close();
                    }
                }
            }
            return values.remove(spec.output());
        } finally {
            for (Map.Entry<String, NDArray> e : values.entrySet()) {
                if (e.getValue() != x && !constBuffers.containsKey(e.getKey())) {
                    e.getValue().close();
                }
            }
        }
    }

    private NDArray run(GraphSpec.Node n, Map<String, NDArray> values, boolean training) {
        NDArray a = values.get(n.inputs().get(0));
        switch (n.op()) {
            case "conv", "linear", "batchnorm":
                return children().get(n.name()).forward(a, training);
            case "add": {
                NDArray b = values.get(n.inputs().get(1));
                // the result lives in the first operand's manager: put the activation first
                return constBuffers.containsKey(n.inputs().get(0)) ? b.add(a) : a.add(b);
            }
            case "concat": {
                NDList parts = new NDList();
                for (String in : n.inputs()) {
                    parts.add(values.get(in));
                }
                return NDArrays.concat(parts, n.i("axis"));
            }
            case "relu":
                return Activation.relu(a);
            case "sigmoid":
                return Activation.sigmoid(a);
            case "tanh":
                return Activation.tanh(a);
            case "leakyRelu":
                return Activation.leakyRelu(a, (float) n.d("alpha"));
            case "clip":
                return a.clip(n.d("min"), n.d("max"));
            case "maxPool":
                return Pool.maxPool2d(a, new Shape(n.longs("kernel")), new Shape(n.longs("stride")),
                        new Shape(n.longs("padding")), n.i("ceil") != 0);
            case "avgPool":
                return Pool.avgPool2d(a, new Shape(n.longs("kernel")), new Shape(n.longs("stride")),
                        new Shape(n.longs("padding")), n.i("ceil") != 0, n.i("countIncludePad") != 0);
            case "globalAvgPool":
                return globalAvgPool(a);
            case "pad":
                return a.pad(new Shape(n.longs("pads")), n.d("value"));
            case "flatten": {
                int axis = n.i("axis");
                long lead = 1;
                for (int d = 0; d < axis; d++) {
                    lead *= a.getShape().get(d);
                }
                return a.reshape(lead, -1);
            }
            case "reshape": {
                long[] target = n.longs("shape");
                long[] shape = new long[target.length + 1];
                shape[0] = a.getShape().get(0);
                for (int d = 0; d < target.length; d++) {
                    shape[d + 1] = target[d] == 0 ? a.getShape().get(d + 1) : target[d];
                }
                return a.reshape(new Shape(shape));
            }
            case "softmax":
                if (training && n.output().equals(spec.output())) {
                    return a.duplicate(); // the loss takes logits
                }
                return a.softmax(n.i("axis"));
            default:
                throw new IllegalStateException("graph node " + n.name() + ": operation " + n.op());
        }
    }

    private static NDArray globalAvgPool(NDArray a) {
        Shape s = a.getShape();
        long[] keep = new long[s.dimension()];
        keep[0] = s.get(0);
        keep[1] = s.get(1);
        for (int d = 2; d < keep.length; d++) {
            keep[d] = 1;
        }
        // PyTorch's engine in DJL reduces one axis at a time: flatten the spatial axes first
        try (NDArray flat = a.reshape(s.get(0), s.get(1), -1); NDArray mean = flat.mean(new int[] {2})) {
            return mean.reshape(new Shape(keep));
        }
    }
}
