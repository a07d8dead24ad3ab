package dev.aimc.onnx;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.data.DataSets;
import dev.aimc.data.Normalization;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.GraphSpec;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.util.InPlace;
import dev.aimc.util.OutputPaths;
import dev.aimc.util.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an {@link ImportedNetwork} into a {@link GraphNetwork} with the model's weights and writes it as an aimc
 * checkpoint, so that every command that takes {@code --checkpoint} runs on it.
 */
public final class OnnxCheckpoint {
    private OnnxCheckpoint() {}

    /**
     * Builds the graph network of {@code net} in {@code m} and fills in the model's weights, then runs two zero
     * examples through it to check that every shape agrees and the network keeps the batch axis.
     *
     * @param net the imported model
     * @param m the manager of the parameters and buffers
     * @param file the model file, for messages
     * @return the network with the model's weights
     * @throws DataFormatException naming {@code file} when an array is missing or of the wrong shape, or the graph
     *     does not run on a batch of two
     */
    public static GraphNetwork build(ImportedNetwork net, NDManager m, String file) {
        GraphNetwork g;
        try {
            g = new GraphNetwork(net.spec(), m);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file + ": " + e.getMessage());
        }
        Map<String, NDArray> targets = new java.util.LinkedHashMap<>(g.namedParameters());
        targets.putAll(g.namedBuffers());
        for (Map.Entry<String, NDArray> t : targets.entrySet()) {
            Tensor v = net.arrays().get(t.getKey());
            if (v == null) {
                throw new DataFormatException(file + ": no values for " + t.getKey());
            }
            long[] want = t.getValue().getShape().getShape();
            if (!Arrays.equals(want, v.shape()) && v.size() != Tensor.size(want)) {
                throw new DataFormatException(file + ": inconsistent shapes: " + t.getKey() + " has "
                        + Arrays.toString(v.shape()) + ", the layer needs " + Arrays.toString(want));
            }
            InPlace.assign(t.getValue(), v.values());
        }
        checkRuns(g, net.spec(), file);
        return g;
    }

    private static void checkRuns(GraphNetwork g, GraphSpec spec, String file) {
        try (NDManager b = NDManager.newBaseManager()) {
            NDArray x = b.zeros(new Shape(2).addAll(new Shape(spec.inputShape())));
            NDArray y = g.forward(x, false);
            if (!y.getShape().equals(new Shape(2, spec.classes()))) {
                throw new DataFormatException(file + ": inconsistent shapes: a batch of 2 gives an output of "
                        + y.getShape() + ", expected (2, " + spec.classes() + ")");
            }
        } catch (EngineException | IllegalArgumentException e) {
            throw new DataFormatException(file + ": inconsistent shapes: the graph does not run on a batch of 2 ("
                    + firstLine(e.getMessage()) + ")");
        }
    }

    /**
     * Imports {@code model} and writes it as a checkpoint into {@code out}, which must not hold one yet: everything is
     * read and checked first, so on any error nothing is written.
     *
     * @param model the ONNX file
     * @param out the checkpoint directory to create
     * @param dataset the data set the network classifies ({@link DataSets#NAMES})
     * @param pixelScale S in x = (p / S − mean) / std, &gt; 0
     * @param mean per-channel mean (one value, or one per channel)
     * @param std per-channel standard deviation, same length as {@code mean}
     * @param options import options
     * @return the metadata written
     * @throws ConfigException for a bad option or an {@code out} that already holds a checkpoint
     * @throws DataFormatException for a model that cannot be imported
     */
    public static CheckpointMeta write(Path model, Path out, String dataset, double pixelScale, float[] mean,
            float[] std, OnnxImporter.Options options) {
        return write(model, out, dataset, pixelScale, mean, std, options, null);
    }

    /** Measures an imported network's digital test accuracy before its checkpoint is written. */
    @FunctionalInterface
    public interface Evaluator {
        /**
         * The network's test accuracy.
         *
         * @param net the imported network with its weights
         * @param meta the checkpoint's metadata (data set, normalisation, graph), complete but for the accuracy
         * @return the fraction of test examples classified correctly, in [0, 1]
         */
        double accuracy(GraphNetwork net, CheckpointMeta meta);
    }

    /**
     * As {@link #write(Path, Path, String, double, float[], float[], OnnxImporter.Options)}, and when
     * {@code evaluator} is not null the digital test accuracy is measured before anything is written and recorded
     * ({@code testAccuracy}, {@code source.testAccuracy}); without it the checkpoint records that it was not measured.
     *
     * @param model the ONNX file
     * @param out the checkpoint directory to create
     * @param dataset the data set the network classifies
     * @param pixelScale S in x = (p / S − mean) / std
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @param options import options
     * @param evaluator measures the test accuracy, or null
     * @return the metadata written
     */
    public static CheckpointMeta write(Path model, Path out, String dataset, double pixelScale, float[] mean,
            float[] std, OnnxImporter.Options options, Evaluator evaluator) {
        if (!DataSets.NAMES.contains(dataset)) {
            throw new ConfigException("--dataset must be one of " + String.join(", ", DataSets.NAMES) + ", got "
                    + dataset);
        }
        if (!(pixelScale > 0) || !Double.isFinite(pixelScale)) {
            throw new ConfigException("--pixel-scale must be a finite number > 0, got " + pixelScale);
        }
        Normalization norm = new Normalization((float) (1.0 / pixelScale), mean, std);
        OutputPaths.folder("--out", out);
        if (Files.exists(out.resolve(Checkpoint.META))) {
            throw new ConfigException("--out " + out + " already holds a checkpoint; choose another --out");
        }
        ImportedNetwork net = OnnxImporter.read(model, options);
        long channels = net.spec().inputShape()[0];
        if (mean.length != 1 && mean.length != channels) {
            throw new ConfigException("--mean/--std give " + mean.length + " values, the input has " + channels
                    + " channels (give 1 or " + channels + ")");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork g = build(net, m, model.toString());
            CheckpointMeta meta = new CheckpointMeta();
            meta.architecture = GraphSpec.ARCHITECTURE;
            meta.dataset = dataset;
            meta.normalization = new CheckpointMeta.Norm();
            meta.normalization.scale = norm.scale();
            meta.normalization.mean = norm.mean();
            meta.normalization.std = norm.std();
            meta.graph = net.spec();
            meta.source = new CheckpointMeta.Source();
            meta.source.format = "onnx";
            meta.source.file = model.toString();
            meta.source.sha256 = net.sha256();
            meta.source.opset = net.opset();
            meta.source.irVersion = net.irVersion();
            meta.source.producer = net.producer();
            meta.source.preprocessing = preprocessing(pixelScale, mean, std);
            meta.aimcVersion = Version.get();
            if (evaluator != null) {
                meta.testAccuracy = evaluator.accuracy(g, meta);
                meta.source.testAccuracy = meta.testAccuracy;
            }
            Checkpoint.save(out, g, null, meta);
            return meta;
        }
    }

    /**
     * The preprocessing formula as text.
     *
     * @param pixelScale S
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @return e.g. "x = (p / 255 - [0.0]) / [1.0]"
     */
    static String preprocessing(double pixelScale, float[] mean, float[] std) {
        return String.format(Locale.ROOT, "x = (p / %s - mean) / std, mean %s, std %s", num(pixelScale),
                Arrays.toString(mean), Arrays.toString(std));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The names of the analog-capable layers (convolutions and fully connected) of a graph.
     *
     * @param spec the graph
     * @return node names of its conv and linear nodes; for a grouped convolution its groups' paths
     *     ({@code <node>.0} … {@code <node>.G-1}), each its own analog layer
     */
    public static Set<String> analogLayers(GraphSpec spec) {
        Set<String> s = new java.util.LinkedHashSet<>();
        for (GraphSpec.Node n : spec.nodes()) {
            int groups = n.op().equals("conv") && n.has("groups") ? n.i("groups") : 1;
            if (groups > 1) {
                for (int g = 0; g < groups; g++) {
                    s.add(n.name() + "." + g);
                }
            } else if (n.op().equals("conv") || n.op().equals("linear")) {
                s.add(n.name());
            }
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
