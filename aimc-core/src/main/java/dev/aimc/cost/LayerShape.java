package dev.aimc.cost;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.LayerOutputs;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one layer as the crossbars see it: a weight matrix of {@code inFeatures} rows (inputs) and
 * {@code outFeatures} columns (outputs), multiplied with {@code mvmsPerInference} input vectors per inference (1 for a
 * fully connected layer, the output pixels H'·W' for a convolution, one unrolled patch each).
 *
 * @param name the layer's dotted path
 * @param inFeatures matrix inputs (in channels · k² for a convolution), ≥ 1
 * @param outFeatures matrix outputs (output channels), ≥ 1
 * @param mvmsPerInference matrix-vector multiplies per inference, ≥ 1
 * @param inChannels input channels of a convolution (whole channels go to one row-tile), or inFeatures
 * @param kernel kernel size k of a convolution in pixels, 1 for a fully connected layer
 */
public record LayerShape(String name, int inFeatures, int outFeatures, long mvmsPerInference, int inChannels,
        int kernel) {

    /**
     * Validates the counts.
     *
     * @param name the layer's dotted path
     * @param inFeatures matrix inputs (in channels · k² for a convolution), ≥ 1
     * @param outFeatures matrix outputs (output channels), ≥ 1
     * @param mvmsPerInference matrix-vector multiplies per inference, ≥ 1
     * @param inChannels input channels of a convolution (whole channels go to one row-tile), or inFeatures
     * @param kernel kernel size k of a convolution in pixels, 1 for a fully connected layer
     */
    public LayerShape {
        Check.range("inFeatures", inFeatures, 1, Integer.MAX_VALUE);
        Check.range("outFeatures", outFeatures, 1, Integer.MAX_VALUE);
        Check.that(mvmsPerInference >= 1, "mvmsPerInference", "must be >= 1", mvmsPerInference);
        Check.range("kernel", kernel, 1, 1 << 10);
        Check.that((long) inChannels * kernel * kernel == inFeatures, "inChannels",
                "times kernel² must equal inFeatures " + inFeatures, inChannels);
    }

    /**
     * A fully connected layer: one multiply per inference.
     *
     * @param name the layer's path
     * @param in inputs
     * @param out outputs
     * @return the shape
     */
    public static LayerShape linear(String name, int in, int out) {
        return new LayerShape(name, in, out, 1, in, 1);
    }

    /**
     * A 2-D convolution: one multiply per output pixel.
     *
     * @param name the layer's path
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernel kernel size k, pixels
     * @param outputPixels H'·W'
     * @return the shape, inFeatures = inChannels·k²
     */
    public static LayerShape conv(String name, int inChannels, int outChannels, int kernel, long outputPixels) {
        return new LayerShape(name, inChannels * kernel * kernel, outChannels, outputPixels, inChannels, kernel);
    }

    /**
     * True for a convolution (kernel &gt; 1 or more than one multiply per inference).
     *
     * @return whether the rows are tiled by whole input channels
     */
    public boolean isConv() {
        return kernel > 1 || mvmsPerInference > 1;
    }

    /**
     * The Linear and Conv2d layers of a digital network, in network order, with the number of multiplies per
     * inference found by one forward pass of a zero example through the network (batch 1, no gradient): the output
     * pixels of each convolution are read off its output. The network is restored before returning.
     *
     * @param net the digital network (Linear and Conv2d layers in place)
     * @param inputShape one example's shape without the batch axis, e.g. [3, 32, 32]
     * @return the shapes by dotted path, in network order
     */
    public static List<LayerShape> of(Module net, Shape inputShape) {
        Map<String, Module> layers = new LinkedHashMap<>();
        net.namedModules().forEach((p, m) -> {
            if (m instanceof Linear || m instanceof Conv2d) {
                layers.put(p, m);
            }
        });
        long[] dims = new long[inputShape.dimension() + 1];
        dims[0] = 1;
        System.arraycopy(inputShape.getShape(), 0, dims, 1, inputShape.dimension());
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            LayerOutputs.capture(net, layers.keySet(), m.zeros(new Shape(dims)))
                    .forEach((p, y) -> shapes.put(p, y == null ? null : y.getShape()));
        }
        List<LayerShape> out = new ArrayList<>();
        layers.forEach((p, layer) -> {
            Shape y = shapes.get(p); // null: the layer was not reached (one multiply assumed)
            if (layer instanceof Conv2d c) {
                long pixels = y == null ? 1 : y.get(2) * y.get(3);
                out.add(conv(p, c.inChannels(), c.outChannels(), c.kernel(), pixels));
            } else {
                Linear l = (Linear) layer;
                long vectors = y == null ? 1 : y.size() / y.get(y.dimension() - 1);
                out.add(new LayerShape(p, l.inFeatures(), l.outFeatures(), Math.max(1, vectors), l.inFeatures(), 1));
            }
        });
        return out;
    }
}
