package dev.aimc.nn.uniform;

import dev.aimc.cost.LayerShape;
import dev.aimc.models.LeNet;
import dev.aimc.nn.GraphSpec;
import dev.aimc.util.Check;
import java.util.Arrays;
import java.util.List;

/**
 * One candidate of the architecture search over LeNet-5 ({@link LeNet}) on images (García-Redondo et al., arXiv
 * 1910.13850, CIFAR-10 part; searching the CNN's widths is ours, the paper searched its MLP): the widths of both
 * convolutions and of both hidden fully connected layers, and the sign mode of each of the five weight layers
 * ({@link SearchDesign}). The layers keep the zoo's paths 0, 3, 7, 9, 11, so the signs of a candidate are those that
 * {@code aimc train --model lenet5 --tile-signs PATH=S} takes.
 *
 * @param inChannels image channels, ≥ 1
 * @param imageSize image height = width, pixels
 * @param pad padding of the first convolution, pixels (0 for 32 × 32 images, 2 for 28 × 28 as lenet5-mnist)
 * @param widths c1, c2 (convolution channels), f1, f2 (hidden fully connected widths), each ≥ 1
 * @param classes outputs, ≥ 2
 * @param signs one sign per layer (5): '+', '-' or '0' (bipolar)
 *
 * @serial exclude
 */
public record LeNetDesign(int inChannels, int imageSize, int pad, int[] widths, int classes, String signs)
        implements SearchDesign {
    /** LeNet-5's own widths c1, c2, f1, f2: the baseline of the search. */
    public static final List<Integer> LENET5 = List.of(6, 16, 120, 84);

    /**
     * Validates and copies.
     *
     * @param inChannels image channels
     * @param imageSize image side, pixels
     * @param pad first padding, pixels
     * @param widths c1, c2, f1, f2
     * @param classes outputs
     * @param signs one of '+', '-', '0' per layer
     */
    public LeNetDesign {
        Check.range("inChannels", inChannels, 1, 1 << 16);
        Check.range("pad", pad, 0, 1 << 10);
        Check.range("classes", classes, 2, 1 << 24);
        LeNet.sizes(imageSize, pad);
        Check.that(widths != null && widths.length == 4, "LeNet widths", "must give c1, c2, f1, f2",
                Arrays.toString(widths));
        widths = widths.clone();
        for (int w : widths) {
            Check.range("LeNet width", w, 1, 1 << 16);
        }
        SearchDesign.checkSigns(signs, 5);
    }

    /**
     * The widths c1, c2, f1, f2.
     *
     * @return a copy
     */
    @Override
    public int[] widths() {
        return widths.clone();
    }

    /**
     * The searched widths: c1, c2, f1, f2.
     *
     * @return a copy of {@link #widths()}
     */
    @Override
    public int[] searchedWidths() {
        return widths();
    }

    /**
     * The network ({@link LeNet#graph}).
     *
     * @return the graph, weight layers 0, 3, 7, 9, 11
     */
    @Override
    public GraphSpec graph() {
        return LeNet.graph(inChannels, imageSize, pad, widths, classes);
    }

    /**
     * The layers as the cost model sees them: conv1 [C·25, c1] once per output pixel, conv2 [c1·25, c2] likewise,
     * then the fully connected layers (c2·s² − f1 − f2 − classes) once per inference.
     *
     * @return five shapes, named by their paths
     */
    @Override
    public List<LayerShape> layerShapes() {
        int[] s = LeNet.sizes(imageSize, pad);
        List<String> n = LeNet.LAYERS;
        return List.of(LayerShape.conv(n.get(0), inChannels, widths[0], LeNet.KERNEL, (long) s[0] * s[0]),
                LayerShape.conv(n.get(1), widths[0], widths[1], LeNet.KERNEL, (long) s[1] * s[1]),
                LayerShape.linear(n.get(2), widths[1] * s[2] * s[2], widths[2]),
                LayerShape.linear(n.get(3), widths[2], widths[3]),
                LayerShape.linear(n.get(4), widths[3], classes));
    }

    /**
     * The candidate's name, e.g. "lenet5 6-16-120-84 00000".
     *
     * @return "lenet5", the widths joined by '-', the signs
     */
    @Override
    public String label() {
        return "lenet5 " + widths[0] + "-" + widths[1] + "-" + widths[2] + "-" + widths[3] + " " + signs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeNetDesign d && d.inChannels == inChannels && d.imageSize == imageSize && d.pad == pad
                && d.classes == classes && Arrays.equals(d.widths, widths) && d.signs.equals(signs);
    }

    @Override
    public int hashCode() {
        return label().hashCode();
    }

    @Override
    public String toString() {
        return "LeNetDesign[" + inChannels + "x" + imageSize + "x" + imageSize + " " + label() + "]";
    }
}
