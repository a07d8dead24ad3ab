package dev.aimc.onnx;

import com.google.protobuf.ByteString;
import dev.aimc.models.Models;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.Module;
import dev.aimc.onnx.proto.OnnxProto.AttributeProto;
import dev.aimc.onnx.proto.OnnxProto.GraphProto;
import dev.aimc.onnx.proto.OnnxProto.ModelProto;
import dev.aimc.onnx.proto.OnnxProto.NodeProto;
import dev.aimc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.aimc.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.aimc.onnx.proto.OnnxProto.TensorProto;
import dev.aimc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.aimc.onnx.proto.OnnxProto.TypeProto;
import dev.aimc.onnx.proto.OnnxProto.ValueInfoProto;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Version;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.OutputPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a checkpoint's network as an ONNX model (opset {@value #OPSET}, IR version {@value #IR_VERSION}), the way
 * back from aimc to PyTorch and other frameworks: for example a network fine-tuned with hardware-aware training.
 * Every {@link GraphSpec} operation maps to one ONNX operator (conv → Conv, linear → Gemm with transB = 1, batchnorm →
 * BatchNormalization kept as such, const → an initializer, pad → Pad, …); weights are float32 initializers in
 * {@code raw_data} (little-endian). The input keeps a symbolic batch axis {@code N}. The preprocessing the
 * network expects is recorded in the model's metadata ({@code aimc.preprocessing}), as are the data set and the
 * architecture. {@link OnnxImporter} reads the file back to the same graph and outputs.
 */
public final class OnnxExporter {
    /** Default-domain opset written. */
    public static final int OPSET = 13;
    /** IR version written (the one of ONNX 1.8, which introduced opset 13). */
    public static final int IR_VERSION = 7;

    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();

    private OnnxExporter() {}

    /**
     * The network of a loaded checkpoint as a graph with its arrays by graph path ({@code <node>.weight},
     * {@code const_<node>}): a graph checkpoint as it is, a reference network through {@link ReferenceGraphs}.
     *
     * @param ck the checkpoint
     * @return the graph and every array it reads
     * @throws ConfigException when the architecture cannot be exported
     */
    public static ImportedNetwork describe(Checkpoint ck) {
        Module model = ck.model();
        CheckpointMeta meta = ck.meta();
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        GraphSpec spec;
        if (meta.graph != null) {
            spec = meta.graph;
            model.namedParameters().forEach((k, a) -> arrays.put(k, tensor(a)));
            model.namedBuffers().forEach((k, a) -> arrays.put(k, tensor(a)));
        } else {
            ReferenceGraphs.Described d = ReferenceGraphs.of(meta.architecture, model);
            spec = d.spec();
            Map<String, NDArray> all = new LinkedHashMap<>(model.namedParameters());
            all.putAll(model.namedBuffers());
            Set<String> used = new HashSet<>();
            d.modulePaths().forEach((node, path) -> all.forEach((k, a) -> {
                if (k.startsWith(path + ".") && k.indexOf('.', path.length() + 1) < 0) {
                    arrays.put(node + k.substring(path.length()), tensor(a));
                    used.add(k);
                }
            }));
            if (used.size() != all.size()) {
                Set<String> left = new HashSet<>(all.keySet());
                left.removeAll(used);
                throw new IllegalStateException(meta.architecture + ": arrays not in its graph: " + left);
            }
        }
        return new ImportedNetwork(spec, arrays, OPSET, IR_VERSION, "aimc " + Version.get(), "");
    }

    private static Tensor tensor(NDArray a) {
        return Tensor.of(a.getShape().getShape(), a.toFloatArray());
    }

    /**
     * The ONNX model of {@code net}.
     *
     * @param net the graph and its arrays by graph path
     * @param metadata key-value pairs recorded in the model's {@code metadata_props}
     * @return the serialized {@code ModelProto}
     */
    public static byte[] encode(ImportedNetwork net, Map<String, String> metadata) {
        OnnxExporter e = new OnnxExporter();
        GraphSpec spec = net.spec();
        e.g.setName("aimc");
        long[] in = spec.inputShape();
        e.g.addInput(value(spec.input(), in, true));
        e.ranks.put(spec.input(), in.length + 1);
        for (GraphSpec.Node n : spec.nodes()) {
            e.node(n, net.arrays());
        }
        e.g.addOutput(value(spec.output(), new long[] {spec.classes()}, true));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("aimc")
                .setProducerVersion(Version.get()).setGraph(e.g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build().toByteArray();
    }

    /**
     * The metadata recorded for a checkpoint: architecture, data set, preprocessing and, for an imported network,
     * the file it came from.
     *
     * @param meta the checkpoint's metadata
     * @return key-value pairs
     */
    public static Map<String, String> metadata(CheckpointMeta meta) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aimc.architecture", meta.architecture);
        m.put("aimc.dataset", String.valueOf(meta.dataset));
        if (meta.normalization != null) {
            m.put("aimc.preprocessing", "x = (p * " + meta.normalization.scale + " - mean) / std, mean "
                    + Arrays.toString(meta.normalization.mean) + ", std " + Arrays.toString(meta.normalization.std));
        }
        if (meta.source != null) {
            m.put("aimc.source", meta.source.file + " (sha256 " + meta.source.sha256 + ")");
        }
        if (meta.hwa != null) {
            m.put("aimc.hwa", meta.hwa.toString());
        }
        return m;
    }

    private static ValueInfoProto value(String name, long[] sample, boolean batch) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        if (batch) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        }
        for (long d : sample) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    private void node(GraphSpec.Node n, Map<String, Tensor> arrays) {
        String x = n.inputs().isEmpty() ? null : n.inputs().get(0);
        int rank = x == null ? 0 : ranks.get(x);
        NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).addOutput(n.output());
        switch (n.op()) {
            case "conv" -> {
                long k = n.i("kernel");
                long s = n.i("stride");
                long p = n.i("padding");
                int groups = n.has("groups") ? n.i("groups") : 1;
                b.setOpType("Conv").addInput(x).addInput(init(n.name(), "weight", groups, arrays))
                        .addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", s, s))
                        .addAttribute(ints("pads", p, p, p, p));
                if (groups > 1) {
                    b.addAttribute(integer("group", groups));
                }
                if (n.i("bias") != 0) {
                    b.addInput(init(n.name(), "bias", groups, arrays));
                }
            }
            case "linear" -> {
                b.setOpType("Gemm").addInput(x).addInput(init(n.name() + ".weight", arrays))
                        .addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto
                                .AttributeType.INT).setI(1));
                if (n.i("bias") != 0) {
                    b.addInput(init(n.name() + ".bias", arrays));
                }
                rank = 2;
            }
            case "batchnorm" -> {
                b.setOpType("BatchNormalization").addInput(x);
                for (String p : new String[] {"gamma", "beta", "runningMean", "runningVar"}) {
                    b.addInput(init(n.name() + "." + p, arrays));
                }
                b.addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType
                        .FLOAT).setF((float) n.d("eps")));
            }
            case "const" -> {
                Tensor t = arrays.get(GraphNetwork.CONST_PREFIX + n.name());
                addInitializer(n.output(), t.shape(), t.values());
                ranks.put(n.output(), t.shape().length);
                return;
            }
            case "add" -> {
                b.setOpType("Add").addInput(x).addInput(n.inputs().get(1));
                rank = Math.max(rank, ranks.get(n.inputs().get(1)));
            }
            case "concat" -> {
                b.setOpType("Concat").addAllInput(n.inputs()).addAttribute(integer("axis", n.i("axis")));
                for (String v : n.inputs()) {
                    rank = Math.max(rank, ranks.get(v));
                }
            }
            case "relu" -> b.setOpType("Relu").addInput(x);
            case "sigmoid" -> b.setOpType("Sigmoid").addInput(x);
            case "tanh" -> b.setOpType("Tanh").addInput(x);
            case "leakyRelu" -> b.setOpType("LeakyRelu").addInput(x).addAttribute(AttributeProto.newBuilder()
                    .setName("alpha").setType(AttributeProto.AttributeType.FLOAT).setF((float) n.d("alpha")));
            case "clip" -> b.setOpType("Clip").addInput(x)
                    .addInput(scalar(n.name() + ".min", (float) n.d("min")))
                    .addInput(scalar(n.name() + ".max", (float) n.d("max")));
            case "maxPool", "avgPool" -> {
                long[] k = n.longs("kernel");
                long[] s = n.longs("stride");
                long[] p = n.longs("padding");
                b.setOpType(n.op().equals("maxPool") ? "MaxPool" : "AveragePool").addInput(x)
                        .addAttribute(ints("kernel_shape", k)).addAttribute(ints("strides", s))
                        .addAttribute(ints("pads", p[0], p[1], p[0], p[1]))
                        .addAttribute(integer("ceil_mode", n.i("ceil")));
                if (n.op().equals("avgPool")) {
                    b.addAttribute(integer("count_include_pad", n.i("countIncludePad")));
                }
            }
            case "globalAvgPool" -> b.setOpType("GlobalAveragePool").addInput(x);
            case "pad" -> {
                long[] torch = n.longs("pads");
                long[] pads = new long[2 * rank];
                for (int j = 0; j < torch.length / 2; j++) {
                    int axis = rank - 1 - j;
                    pads[axis] = torch[2 * j];
                    pads[axis + rank] = torch[2 * j + 1];
                }
                b.setOpType("Pad").addInput(x).addInput(int64(n.name() + ".pads", pads))
                        .addInput(scalar(n.name() + ".value", (float) n.d("value")));
            }
            case "flatten" -> {
                b.setOpType("Flatten").addInput(x).addAttribute(integer("axis", n.i("axis")));
                rank = 2;
            }
            case "reshape" -> {
                long[] t = n.longs("shape");
                long[] target = new long[t.length + 1]; // 0: copy the batch
                System.arraycopy(t, 0, target, 1, t.length);
                b.setOpType("Reshape").addInput(x).addInput(int64(n.name() + ".shape", target));
                rank = target.length;
            }
            case "softmax" -> b.setOpType("Softmax").addInput(x).addAttribute(integer("axis", n.i("axis")));
            default -> throw new IllegalStateException("graph node " + n.name() + ": operation " + n.op()
                    + " has no ONNX form");
        }
        ranks.put(n.output(), rank);
        g.addNode(b);
    }

    private String init(String name, Map<String, Tensor> arrays) {
        Tensor t = arrays.get(name);
        if (t == null) {
            throw new IllegalStateException("no array " + name);
        }
        addInitializer(name, t.shape(), t.values());
        return name;
    }

    /** The array {@code <node>.<param>}, or of a grouped convolution its groups' arrays stacked along axis 0. */
    private String init(String node, String param, int groups, Map<String, Tensor> arrays) {
        if (groups == 1) {
            return init(node + "." + param, arrays);
        }
        long[] shape = null;
        float[] all = null;
        for (int g = 0; g < groups; g++) {
            Tensor t = arrays.get(node + "." + g + "." + param);
            if (t == null) {
                throw new IllegalStateException("no array " + node + "." + g + "." + param);
            }
            if (shape == null) {
                shape = t.shape().clone();
                shape[0] *= groups;
                all = new float[t.values().length * groups];
            }
            System.arraycopy(t.values(), 0, all, g * t.values().length, t.values().length);
        }
        String name = node + "." + param;
        addInitializer(name, shape, all);
        return name;
    }

    private String scalar(String name, float v) {
        addInitializer(name, new long[0], new float[] {v});
        return name;
    }

    private void addInitializer(String name, long[] shape, float[] v) {
        if (!initializers.add(name)) {
            throw new IllegalStateException("two initializers named " + name);
        }
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        g.addInitializer(t);
    }

    private String int64(String name, long[] v) {
        if (!initializers.add(name)) {
            throw new IllegalStateException("two initializers named " + name);
        }
        ByteBuffer buf = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(v);
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(v.length).setRawData(ByteString.copyFrom(buf.array())));
        return name;
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    /**
     * Writes checkpoint {@code checkpoint} as ONNX file {@code out}: the output path is checked first, the model is
     * read back by {@link OnnxImporter} before it is written (so a file that aimc cannot import is never written), and
     * the file is written atomically.
     *
     * @param checkpoint the checkpoint directory
     * @param out the ONNX file to write
     * @param overwrite whether an existing {@code out} may be replaced
     * @return the model written, as the importer reads it
     * @throws ConfigException naming --onnx when {@code out} exists and {@code overwrite} is false or cannot be
     *     written, or naming the checkpoint when its architecture cannot be exported
     */
    public static ImportedNetwork export(Path checkpoint, Path out, boolean overwrite) {
        OutputPaths.file("--onnx", out, overwrite);
        CheckpointMeta meta = Checkpoint.readMeta(checkpoint);
        if (!exportable().contains(meta.architecture)) {
            throw new ConfigException("--checkpoint " + checkpoint + ": architecture " + meta.architecture
                    + " cannot be exported to ONNX (exportable: " + String.join(", ", exportable()) + ")");
        }
        byte[] bytes;
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(checkpoint, m);
            bytes = encode(describe(ck), metadata(ck.meta()));
        }
        ImportedNetwork back = OnnxImporter.read(bytes, out.toString(), OnnxImporter.Options.DEFAULTS);
        try {
            AtomicFiles.write(out, o -> o.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": cannot write (" + e.getMessage() + ")", e);
        }
        return back;
    }

    /**
     * Names the architectures whose checkpoints can be exported.
     *
     * @return every reference network but cnn1d-har, and graph
     */
    public static List<String> exportable() {
        List<String> l = new java.util.ArrayList<>(Models.NAMES);
        l.remove("cnn1d-har");
        l.add(GraphSpec.ARCHITECTURE);
        return l;
    }
}
