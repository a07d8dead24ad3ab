package dev.aimc.nn.uniform;

import dev.aimc.cost.LayerShape;
import dev.aimc.nn.GraphSpec;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One candidate of the architecture search over fully connected networks (García-Redondo et al., arXiv 1910.13850,
 * section on the search of unipolar matrices): the hidden widths of an MLP {@code inputs − hidden… − classes} with
 * ReLU between the layers, and the sign mode of every layer: + (all weights ≥ 0, one cell per weight), − (all ≤ 0,
 * one cell per weight, the sign applied digitally) or bipolar (a differential pair) ({@link SearchDesign}). On
 * 512 × 512 tiles every layer with at most 512 inputs and outputs is one tile, so there a per-layer sign is a
 * per-tile sign.
 *
 * <p>The network is a {@link GraphSpec} of {@code linear} and {@code relu} nodes, the layers named {@code fc1},
 * {@code fc2}, … so that a checkpoint of it (architecture {@value GraphSpec#ARCHITECTURE}) loads and evaluates as any
 * imported network does.
 *
 * @param inputs input features, ≥ 1
 * @param hidden hidden widths, each ≥ 1 (may be empty: one layer)
 * @param classes outputs, ≥ 2
 * @param signs one sign per layer (hidden.length + 1 of them): '+', '-' or '0' (bipolar)
 *
 * @serial exclude
 */
public record MlpDesign(int inputs, int[] hidden, int classes, String signs) implements SearchDesign {

    /**
     * Validates and copies.
     *
     * @param inputs input features, ≥ 1
     * @param hidden hidden widths, each ≥ 1
     * @param classes outputs, ≥ 2
     * @param signs one of '+', '-', '0' per layer
     */
    public MlpDesign {
        Check.range("inputs", inputs, 1, 1 << 24);
        Check.range("classes", classes, 2, 1 << 24);
        hidden = hidden.clone();
        for (int h : hidden) {
            Check.range("hidden width", h, 1, 1 << 24);
        }
        SearchDesign.checkSigns(signs, hidden.length + 1);
    }

    /**
     * The hidden widths.
     *
     * @return a copy
     */
    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * The searched widths: the hidden widths.
     *
     * @return a copy of {@link #hidden()}
     */
    @Override
    public int[] searchedWidths() {
        return hidden();
    }

    /**
     * The dotted path of layer {@code l} in the network.
     *
     * @param l the layer, from 0
     * @return "fc1", "fc2", …
     */
    public static String layerName(int l) {
        return "fc" + (l + 1);
    }

    /**
     * Inputs of every layer followed by the outputs of the last: inputs, hidden…, classes.
     *
     * @return the widths
     */
    public int[] widths() {
        int[] w = new int[hidden.length + 2];
        w[0] = inputs;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = classes;
        return w;
    }

    /**
     * The layers as the cost model sees them.
     *
     * @return one fully connected shape per layer, named as in the network
     */
    @Override
    public List<LayerShape> layerShapes() {
        int[] w = widths();
        List<LayerShape> out = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            out.add(LayerShape.linear(layerName(l), w[l], w[l + 1]));
        }
        return out;
    }

    /**
     * The network as a graph: fc1, relu, fc2, relu, …, fc_L, every layer with a bias.
     *
     * @return the graph (input "x" of shape [inputs], output the last layer's)
     */
    @Override
    public GraphSpec graph() {
        int[] w = widths();
        List<GraphSpec.Node> nodes = new ArrayList<>();
        String value = "x";
        for (int l = 0; l < layers(); l++) {
            String name = layerName(l);
            Map<String, double[]> attrs = Map.of("in", new double[] {w[l]}, "out", new double[] {w[l + 1]},
                    "bias", new double[] {1});
            nodes.add(new GraphSpec.Node(name, "linear", List.of(value), name, attrs));
            value = name;
            if (l < layers() - 1) {
                nodes.add(new GraphSpec.Node("relu" + (l + 1), "relu", List.of(value), "relu" + (l + 1), null));
                value = "relu" + (l + 1);
            }
        }
        return new GraphSpec("x", new long[] {inputs}, value, classes, nodes);
    }

    /**
     * The candidate's name, e.g. "265-128-64-6 +0-".
     *
     * @return widths joined by '-', a space, the signs
     */
    @Override
    public String label() {
        StringBuilder b = new StringBuilder();
        for (int x : widths()) {
            b.append(b.length() == 0 ? "" : "-").append(x);
        }
        return b + " " + signs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpDesign d && d.inputs == inputs && d.classes == classes
                && Arrays.equals(d.hidden, hidden) && d.signs.equals(signs);
    }

    @Override
    public int hashCode() {
        return label().hashCode();
    }

    @Override
    public String toString() {
        return "MlpDesign[" + label() + "]";
    }
}
