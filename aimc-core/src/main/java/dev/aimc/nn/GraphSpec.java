package dev.aimc.nn;

import java.util.List;
import java.util.Map;

/**
 * The description of a {@link GraphNetwork}: a list of nodes in execution order, each reading named values and
 * writing one. It is what a checkpoint's {@code model.json} records for an imported network (field {@code graph}),
 * and all that is needed to rebuild the network before its parameters and buffers are loaded.
 *
 * <p>Values are named by strings; {@link #input()} is the network's input (batch first), {@link #output()} the value
 * returned. Shapes in this description exclude the batch axis.
 *
 * <table>
 * <caption>Node operations ({@link Node#op()}) and their attributes ({@link Node#attrs()})</caption>
 * <tr><th>op</th><th>inputs</th><th>attributes</th><th>child module / buffer</th></tr>
 * <tr><td>conv</td><td>x [B,C,H,W]</td><td>in, out, kernel, stride, padding (pixels, both sides), bias (0/1),
 *     groups (optional, default 1)</td>
 *     <td>{@link Conv2d} named {@link Node#name()}; with groups G &gt; 1 a {@link GroupedConv2d} whose children
 *     {@code 0} … {@code G-1} are the groups' convolutions</td></tr>
 * <tr><td>linear</td><td>x [B,in]</td><td>in, out, bias (0/1)</td><td>{@link Linear} named {@link Node#name()}</td></tr>
 * <tr><td>batchnorm</td><td>x [B,C,…]</td><td>channels, eps</td><td>{@link BatchNorm} named {@link Node#name()}</td></tr>
 * <tr><td>const</td><td>—</td><td>shape (the value's full shape, no batch axis added)</td>
 *     <td>buffer {@code const_<name>}</td></tr>
 * <tr><td>add</td><td>a, b (numpy broadcasting)</td><td>—</td><td></td></tr>
 * <tr><td>concat</td><td>values</td><td>axis (≥ 1)</td><td></td></tr>
 * <tr><td>relu, sigmoid, tanh</td><td>x</td><td>—</td><td></td></tr>
 * <tr><td>leakyRelu</td><td>x</td><td>alpha</td><td></td></tr>
 * <tr><td>clip</td><td>x</td><td>min, max</td><td></td></tr>
 * <tr><td>maxPool, avgPool</td><td>x [B,C,H,W]</td><td>kernel [kh,kw], stride [sh,sw], padding [ph,pw], ceil (0/1),
 *     countIncludePad (0/1, avgPool)</td><td></td></tr>
 * <tr><td>globalAvgPool</td><td>x [B,C,…]</td><td>— (output [B,C,1,…])</td><td></td></tr>
 * <tr><td>pad</td><td>x</td><td>pads (PyTorch order: last axis first, before/after pairs), value</td><td></td></tr>
 * <tr><td>flatten</td><td>x</td><td>axis (≥ 1): [B, d1…] → [B·d1·…·d(axis−1), rest]</td><td></td></tr>
 * <tr><td>reshape</td><td>x</td><td>shape (without batch; 0 copies the input's dimension, −1 is inferred)</td><td></td></tr>
 * <tr><td>softmax</td><td>x</td><td>axis (≥ 1); skipped in training when it produces the output, so the loss sees
 *     logits</td><td></td></tr>
 * </table>
 *
 * @param input name of the input value
 * @param inputShape shape of one input example, e.g. [1, 28, 28]
 * @param output name of the value returned
 * @param classes size of the output per example (the number of classes)
 * @param nodes the nodes in execution order
 */
public record GraphSpec(String input, long[] inputShape, String output, int classes, List<Node> nodes) {
    /** Architecture name a checkpoint of a graph network records ({@code model.json} "architecture"). */
    public static final String ARCHITECTURE = "graph";

    /**
     * Copies the node list.
     *
     * @param input name of the input value
     * @param inputShape shape of one input example
     * @param output name of the value returned
     * @param classes size of the output per example
     * @param nodes the nodes in execution order
     */
    public GraphSpec {
        inputShape = inputShape.clone();
        nodes = List.copyOf(nodes);
    }

    /**
     * The input shape of one example, without the batch axis.
     *
     * @return a copy of the shape
     */
    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * One operation of the graph.
     *
     * @param name the node's name, unique, without dots: a child module's name for conv, linear and batchnorm
     * @param op the operation (table in {@link GraphSpec})
     * @param inputs names of the values read
     * @param output name of the value written
     * @param attrs the operation's attributes, numbers (integers stored exactly)
     */
    public record Node(String name, String op, List<String> inputs, String output, Map<String, double[]> attrs) {
        /**
         * Copies the lists.
         *
         * @param name the node's name
         * @param op the operation
         * @param inputs names of the values read
         * @param output name of the value written
         * @param attrs attributes
         */
        public Node {
            inputs = List.copyOf(inputs);
            attrs = attrs == null ? Map.of() : Map.copyOf(attrs);
        }

        /**
         * An integer attribute.
         *
         * @param key the attribute
         * @return its first value as an int
         * @throws IllegalArgumentException when the node has no such attribute
         */
        public int i(String key) {
            return (int) d(key);
        }

        /**
         * A real attribute.
         *
         * @param key the attribute
         * @return its first value
         * @throws IllegalArgumentException when the node has no such attribute
         */
        public double d(String key) {
            return all(key)[0];
        }

        /**
         * An integer-list attribute.
         *
         * @param key the attribute
         * @return its values as longs
         */
        public long[] longs(String key) {
            double[] v = all(key);
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (long) v[i];
            }
            return out;
        }

        /**
         * Whether the node has attribute {@code key}.
         *
         * @param key the attribute
         * @return true when present
         */
        public boolean has(String key) {
            return attrs.containsKey(key);
        }

        private double[] all(String key) {
            double[] v = attrs.get(key);
            if (v == null || v.length == 0) {
                throw new IllegalArgumentException("graph node " + name + " (" + op + ") has no attribute " + key);
            }
            return v;
        }
    }
}
