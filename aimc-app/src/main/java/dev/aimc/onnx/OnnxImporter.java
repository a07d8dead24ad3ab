package dev.aimc.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.GraphSpec;
import dev.aimc.onnx.proto.OnnxProto.AttributeProto;
import dev.aimc.onnx.proto.OnnxProto.GraphProto;
import dev.aimc.onnx.proto.OnnxProto.ModelProto;
import dev.aimc.onnx.proto.OnnxProto.NodeProto;
import dev.aimc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.aimc.onnx.proto.OnnxProto.TensorProto;
import dev.aimc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.aimc.onnx.proto.OnnxProto.ValueInfoProto;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model ({@code ModelProto}, opsets 7 to 17) into aimc's graph form ({@link ImportedNetwork}): Conv
 * becomes a {@link dev.aimc.nn.Conv2d}, Gemm and MatMul (+ Add) a {@link dev.aimc.nn.Linear}, both analog layers once
 * the network is converted; BatchNormalization stays a {@link dev.aimc.nn.BatchNorm} (or is folded into the
 * convolution before it, on request); the other operators are digital graph nodes ({@link GraphSpec}).
 *
 * <p>Constant subgraphs (Constant, Reshape or Transpose of an initializer, Identity) are evaluated here. A bias added
 * to a convolution or matrix product by a separate Add becomes the layer's bias. A Reshape or Flatten whose target
 * hard-codes a batch of 1 (or −1) keeps the batch axis instead.
 *
 * <p>Anything else stops the import with a {@link DataFormatException} of one line naming the file, the node, its
 * operator type and what is not supported; a file that is not ONNX, is truncated or has inconsistent shapes likewise.
 */
public final class OnnxImporter {
    /** Lowest default-domain opset read. */
    public static final int MIN_OPSET = 7;
    /** Highest default-domain opset read. */
    public static final int MAX_OPSET = 17;
    /** ONNX operator types the importer translates. */
    public static final List<String> OPERATORS = List.of("Conv", "Gemm", "MatMul", "Add", "BatchNormalization",
            "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "Pad",
            "Flatten", "Reshape", "Transpose", "Concat", "Dropout", "Identity", "Softmax", "Constant");

    private static final Map<String, Set<String>> ATTRIBUTES = Map.ofEntries(
            Map.entry("Conv", Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")),
            Map.entry("Gemm", Set.of("alpha", "beta", "transA", "transB", "broadcast")),
            Map.entry("MatMul", Set.of()),
            Map.entry("Add", Set.of("broadcast", "axis")),
            Map.entry("BatchNormalization", Set.of("epsilon", "momentum", "spatial", "training_mode")),
            Map.entry("Relu", Set.of()), Map.entry("Sigmoid", Set.of()), Map.entry("Tanh", Set.of()),
            Map.entry("LeakyRelu", Set.of("alpha")),
            Map.entry("Clip", Set.of("min", "max")),
            Map.entry("MaxPool", Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads",
                    "storage_order", "strides")),
            Map.entry("AveragePool", Set.of("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads",
                    "strides")),
            Map.entry("GlobalAveragePool", Set.of()),
            Map.entry("Pad", Set.of("mode", "pads", "value")),
            Map.entry("Flatten", Set.of("axis")),
            Map.entry("Reshape", Set.of("allowzero")),
            Map.entry("Transpose", Set.of("perm")),
            Map.entry("Concat", Set.of("axis")),
            Map.entry("Dropout", Set.of("ratio", "seed", "is_test")),
            Map.entry("Identity", Set.of()),
            Map.entry("Softmax", Set.of("axis")),
            Map.entry("Constant", Set.of("value", "value_float", "value_floats", "value_int", "value_ints")));

    /** Import options. */
    public record Options(boolean foldBatchNorm) {
        /** Batch norms kept (AdaBS can recalibrate them). */
        public static final Options DEFAULTS = new Options(false);
    }

    private final String file;
    private final Options options;
    private int opset;
    /** Constant values by ONNX name. */
    private final Map<String, Tensor> consts = new HashMap<>();
    /** Shapes (batch axis included, batch 1) of activations by ONNX name. */
    private final Map<String, long[]> shapes = new HashMap<>();
    /** Identity/Dropout outputs: name → the value they pass through. */
    private final Map<String, String> alias = new HashMap<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Tensor> arrays = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> emittedConsts = new HashSet<>();

    /** A graph node under construction. */
    private static final class Op {
        String name;
        String op;
        List<String> inputs;
        String output;
        Map<String, double[]> attrs = new LinkedHashMap<>();

        Op(String name, String op, List<String> inputs, String output) {
            this.name = name;
            this.op = op;
            this.inputs = new ArrayList<>(inputs);
            this.output = output;
        }

        GraphSpec.Node toNode() {
            return new GraphSpec.Node(name, op, inputs, output, attrs);
        }
    }

    private OnnxImporter(String file, Options options) {
        this.file = file;
        this.options = options;
    }

    /**
     * Reads and translates {@code file}.
     *
     * @param file an ONNX model
     * @param options import options
     * @return the graph, its arrays and the model's provenance
     * @throws ConfigException when the file cannot be read
     * @throws DataFormatException naming the file (and node) when it is not an ONNX model, is truncated, has
     *     inconsistent shapes, or uses an operator or attribute aimc does not import
     */
    public static ImportedNetwork read(Path file, Options options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("MODEL " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("MODEL " + file + ": cannot read (" + e.getMessage() + ")");
        }
        return read(bytes, file.toString(), options);
    }

    /**
     * Translates the model in {@code bytes}.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param name the file name used in messages
     * @param options import options
     * @return the graph, its arrays and the model's provenance
     * @throws DataFormatException naming {@code name} (and the node) for anything that cannot be imported
     */
    public static ImportedNetwork read(byte[] bytes, String name, Options options) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(name + ": not an ONNX model or truncated (" + firstLine(e.getMessage())
                    + ")");
        }
        if (!model.hasGraph() || model.getIrVersion() <= 0 || model.getGraph().getNodeCount() == 0) {
            throw new DataFormatException(name + ": not an ONNX model (no IR version or no graph nodes)");
        }
        OnnxImporter im = new OnnxImporter(name, options);
        GraphSpec spec = im.translate(model);
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).strip();
        return new ImportedNetwork(spec, im.arrays, im.opset, model.getIrVersion(), producer, sha256(bytes));
    }

    private GraphSpec translate(ModelProto model) {
        opset = -1;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
            }
        }
        if (opset < 0) {
            throw bad("imports no default-domain opset (only " + model.getOpsetImportList().stream()
                    .map(OperatorSetIdProto::getDomain).toList() + ")");
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw bad("opset " + opset + " is not supported (aimc imports opsets " + MIN_OPSET + " to " + MAX_OPSET
                    + ")");
        }
        GraphProto g = model.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            consts.put(t.getName(), tensor(t, "initializer " + t.getName()));
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!consts.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw bad("has " + inputs.size() + " graph inputs besides its initializers "
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "; aimc imports networks of one input");
        }
        if (g.getOutputCount() != 1) {
            throw bad("has " + g.getOutputCount() + " graph outputs; aimc imports networks of one output");
        }
        ValueInfoProto in = inputs.get(0);
        long[] inShape = declaredShape(in, "input");
        if (inShape.length < 2) {
            throw bad("input " + in.getName() + " has shape " + Arrays.toString(inShape)
                    + "; expected [batch, ...]");
        }
        inShape[0] = 1;
        shapes.put(in.getName(), inShape);
        currentReaders.addAll(readers(g).keySet());
        currentReaders.add(g.getOutput(0).getName());
        for (int i = 0; i < g.getNodeCount(); i++) {
            translate(g.getNode(i), i);
        }
        String out = resolve(g.getOutput(0).getName());
        if (consts.containsKey(out)) {
            throw bad("output " + out + " is a constant");
        }
        long[] outShape = shapes.get(out);
        if (outShape == null) {
            throw bad("output " + g.getOutput(0).getName() + " is written by no node");
        }
        if (outShape.length != 2) {
            throw bad("output " + out + " has shape " + Arrays.toString(outShape)
                    + "; expected [batch, classes]");
        }
        if (g.getOutput(0).getType().getTensorType().hasShape()) {
            long[] declared = declaredShape(g.getOutput(0), "output");
            declared[0] = 1;
            if (!Arrays.equals(declared, outShape)) {
                throw bad("inconsistent shapes: output " + out + " is declared " + Arrays.toString(declared)
                        + " but computes to " + Arrays.toString(outShape));
            }
        }
        foldBiasAdds(out);
        if (options.foldBatchNorm()) {
            foldBatchNorms(out);
        }
        dropUnusedConsts(out);
        splitGroups();
        List<GraphSpec.Node> nodes = new ArrayList<>();
        for (Op o : ops) {
            nodes.add(o.toNode());
        }
        long[] sample = Arrays.copyOfRange(inShape, 1, inShape.length);
        GraphSpec spec = new GraphSpec(in.getName(), sample, out, (int) outShape[1], nodes);
        return spec;
    }

    private Map<String, Integer> readers(GraphProto g) {
        Map<String, Integer> r = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String s : n.getInputList()) {
                r.merge(s, 1, Integer::sum);
            }
        }
        return r;
    }

    private long[] declaredShape(ValueInfoProto v, String what) {
        if (!v.getType().hasTensorType()) {
            throw bad(what + " " + v.getName() + " is not a tensor");
        }
        int elem = v.getType().getTensorType().getElemType();
        if (elem != TensorProto.DataType.FLOAT_VALUE) {
            throw bad(what + " " + v.getName() + " has element type " + dataTypeName(elem)
                    + "; aimc imports float32 networks");
        }
        TensorShapeProto s = v.getType().getTensorType().getShape();
        long[] shape = new long[s.getDimCount()];
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = s.getDim(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                shape[i] = d.getDimValue();
            } else if (i == 0) {
                shape[i] = 1; // a symbolic batch
            } else {
                throw bad(what + " " + v.getName() + " has no fixed size on axis " + i);
            }
        }
        return shape;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // nodes

    private void translate(NodeProto n, int index) {
        String op = n.getOpType();
        String where = "node " + nodeLabel(n, index) + " (" + op + ")";
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw bad(where + ": operator domain " + n.getDomain() + " is not supported");
        }
        Set<String> known = ATTRIBUTES.get(op);
        if (known == null) {
            throw bad(where + ": operator not supported (aimc imports " + String.join(", ", OPERATORS) + ")");
        }
        Map<String, AttributeProto> attrs = new HashMap<>();
        for (AttributeProto a : n.getAttributeList()) {
            if (!known.contains(a.getName())) {
                throw bad(where + ": attribute " + a.getName() + " is not supported");
            }
            attrs.put(a.getName(), a);
        }
        Node node = new Node(n, index, where, attrs);
        for (int i = 0; i < n.getInputCount(); i++) {
            String s = n.getInput(i);
            if (!s.isEmpty() && !consts.containsKey(resolve(s)) && !shapes.containsKey(resolve(s))) {
                throw bad(where + ": input " + s + " is written by no earlier node (graph not in order, or truncated)");
            }
        }
        switch (op) {
            case "Constant" -> constant(node);
            case "Identity" -> passThrough(node);
            case "Dropout" -> dropout(node);
            case "Reshape" -> reshape(node);
            case "Transpose" -> transpose(node);
            case "Conv" -> conv(node);
            case "Gemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            case "Add" -> add(node);
            case "BatchNormalization" -> batchNorm(node);
            case "Relu" -> unary(node, "relu");
            case "Sigmoid" -> unary(node, "sigmoid");
            case "Tanh" -> unary(node, "tanh");
            case "LeakyRelu" -> unary(node, "leakyRelu").attrs.put("alpha", new double[] {node.f("alpha", 0.01)});
            case "Clip" -> clip(node);
            case "MaxPool", "AveragePool" -> pool(node);
            case "GlobalAveragePool" -> globalAvgPool(node);
            case "Pad" -> pad(node);
            case "Flatten" -> flatten(node);
            case "Concat" -> concat(node);
            case "Softmax" -> softmax(node);
            default -> throw new AssertionError(op);
        }
    }

    /** One ONNX node with its attributes and the message prefix naming it. */
    private final class Node {
        final NodeProto proto;
        final int index;
        final String where;
        final Map<String, AttributeProto> attrs;

        Node(NodeProto proto, int index, String where, Map<String, AttributeProto> attrs) {
            this.proto = proto;
            this.index = index;
            this.where = where;
            this.attrs = attrs;
        }

        String in(int i) {
            return i < proto.getInputCount() && !proto.getInput(i).isEmpty() ? resolve(proto.getInput(i)) : null;
        }

        String out() {
            return proto.getOutput(0);
        }

        long[] shape(int i) {
            String s = in(i);
            long[] sh = shapes.get(s);
            if (sh == null) {
                throw bad(where + ": input " + s + " must be an activation, not a constant");
            }
            return sh;
        }

        Tensor constant(int i, String role) {
            String s = in(i);
            Tensor t = s == null ? null : consts.get(s);
            if (t == null) {
                throw bad(where + ": " + role + " (input " + i + (s == null ? "" : ", " + s)
                        + ") must be an initializer or a constant");
            }
            return t;
        }

        long i(String key, long dflt) {
            AttributeProto a = attrs.get(key);
            return a == null ? dflt : a.getI();
        }

        double f(String key, double dflt) {
            AttributeProto a = attrs.get(key);
            return a == null ? dflt : a.getF();
        }

        long[] ints(String key, long[] dflt) {
            AttributeProto a = attrs.get(key);
            if (a == null) {
                return dflt;
            }
            return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        String s(String key, String dflt) {
            AttributeProto a = attrs.get(key);
            return a == null ? dflt : a.getS().toStringUtf8();
        }

        void onlyFirstOutputUsed() {
            for (int k = 1; k < proto.getOutputCount(); k++) {
                if (!proto.getOutput(k).isEmpty() && usedLater(proto.getOutput(k))) {
                    throw bad(where + ": output " + k + " (" + proto.getOutput(k) + ") is read, aimc computes only"
                            + " output 0");
                }
            }
        }

        DataFormatException unsupported(String what) {
            return bad(where + ": " + what);
        }
    }

    private boolean usedLater(String value) {
        return currentReaders.contains(value);
    }

    private final Set<String> currentReaders = new HashSet<>();

    private void constant(Node n) {
        AttributeProto a;
        Tensor t;
        if ((a = n.attrs.get("value")) != null) {
            t = tensor(a.getT(), n.where + " value");
        } else if ((a = n.attrs.get("value_float")) != null) {
            t = Tensor.of(new long[0], new float[] {a.getF()});
        } else if ((a = n.attrs.get("value_floats")) != null) {
            float[] v = new float[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.getFloats(i);
            }
            t = Tensor.of(new long[] {v.length}, v);
        } else if ((a = n.attrs.get("value_int")) != null) {
            t = Tensor.ofInts(new long[0], new long[] {a.getI()});
        } else if ((a = n.attrs.get("value_ints")) != null) {
            long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            t = Tensor.ofInts(new long[] {v.length}, v);
        } else {
            throw n.unsupported("no value attribute");
        }
        consts.put(n.out(), t);
    }

    private void passThrough(Node n) {
        alias.put(n.out(), n.in(0));
    }

    private void dropout(Node n) {
        if (opset >= 12 && n.in(2) != null) {
            Tensor mode = n.constant(2, "training_mode");
            if (mode.values().length > 0 && mode.values()[0] != 0) {
                throw n.unsupported("training_mode true is not supported (inference only)");
            }
        }
        n.onlyFirstOutputUsed();
        passThrough(n);
    }

    private void reshape(Node n) {
        Tensor target = n.constant(1, "target shape");
        if (target.ints() == null) {
            throw n.unsupported("target shape must be int64");
        }
        long[] t = target.ints().clone();
        boolean allowZero = n.i("allowzero", 0) != 0;
        String x = n.in(0);
        Tensor c = consts.get(x);
        long[] inShape = c != null ? c.shape() : n.shape(0);
        if (c == null) {
            if (t.length == 0 || !(t[0] == 1 || t[0] == -1 || (t[0] == 0 && !allowZero))) {
                throw n.unsupported("target shape " + Arrays.toString(t)
                        + " does not keep the batch axis first (it must start with 1, -1 or 0)");
            }
            t[0] = 1; // the batch: 1 here, the batch size at run time
        }
        long[] resolved = resolveShape(n, inShape, t, allowZero);
        if (c != null) {
            consts.put(n.out(), c.reshape(resolved));
            return;
        }
        Op o = emit(n, "reshape", List.of(x));
        long[] keep = Arrays.copyOfRange(target.ints(), 1, t.length);
        o.attrs.put("shape", toDoubles(keep));
        shapes.put(n.out(), resolved);
    }

    private long[] resolveShape(Node n, long[] in, long[] t, boolean allowZero) {
        long[] out = t.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    throw n.unsupported("target shape " + Arrays.toString(t) + " copies axis " + i + " of input "
                            + Arrays.toString(in));
                }
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw n.unsupported("target shape " + Arrays.toString(t) + " has two -1");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw n.unsupported("target shape " + Arrays.toString(t) + " has a negative size");
            } else {
                known *= out[i];
            }
        }
        long total = Tensor.size(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw inconsistent(n, "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(t));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw inconsistent(n, "cannot reshape " + Arrays.toString(in) + " (" + total + " values) to "
                    + Arrays.toString(t));
        }
        return out;
    }

    private void transpose(Node n) {
        Tensor c = consts.get(n.in(0));
        if (c == null) {
            throw n.unsupported("Transpose of an activation is not supported (only of a weight, an initializer)");
        }
        int r = c.shape().length;
        long[] p = n.ints("perm", null);
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = p == null ? r - 1 - i : (int) p[i];
        }
        if (p != null && p.length != r) {
            throw inconsistent(n, "perm " + Arrays.toString(p) + " for a tensor of rank " + r);
        }
        consts.put(n.out(), c.transpose(perm));
    }

    private void conv(Node n) {
        long[] x = n.shape(0);
        Tensor w = n.constant(1, "weight");
        Tensor b = n.in(2) == null ? null : n.constant(2, "bias");
        long[] ws = w.shape();
        if (x.length != 4 || ws.length != 4) {
            throw n.unsupported("only 2-D convolutions are supported (input " + Arrays.toString(x) + ", weight "
                    + Arrays.toString(ws) + ")");
        }
        long group = n.i("group", 1);
        if (group < 1 || x[1] % group != 0 || ws[0] % group != 0) {
            throw inconsistent(n, "group " + group + " for " + x[1] + " input and " + ws[0] + " output channels");
        }
        long[] kernel = n.ints("kernel_shape", new long[] {ws[2], ws[3]});
        if (kernel.length != 2 || kernel[0] != ws[2] || kernel[1] != ws[3]) {
            throw inconsistent(n, "kernel_shape " + Arrays.toString(kernel) + " but weight " + Arrays.toString(ws));
        }
        if (ws[1] * group != x[1]) {
            throw inconsistent(n, "weight " + Arrays.toString(ws) + " for an input of " + x[1] + " channels"
                    + (group > 1 ? " in " + group + " groups" : ""));
        }
        long[] dil = n.ints("dilations", new long[] {1, 1});
        long[] strides = n.ints("strides", new long[] {1, 1});
        if (strides.length != 2 || strides[0] != strides[1]) {
            throw n.unsupported("attribute strides " + Arrays.toString(strides)
                    + " is not supported (equal strides on both axes only)");
        }
        if (dil.length != 2 || dil[0] < 1 || dil[1] < 1) {
            throw n.unsupported("attribute dilations " + Arrays.toString(dil) + " is not supported");
        }
        if (dil[0] != 1 || dil[1] != 1) {
            w = dilate(w, dil);
            ws = w.shape();
        }
        if (ws[2] != ws[3]) {
            throw n.unsupported("kernel " + ws[2] + "x" + ws[3]
                    + " is not supported (aimc's analog convolution has square kernels)");
        }
        if (b != null && b.size() != ws[0]) {
            throw inconsistent(n, "bias of " + b.size() + " values for " + ws[0] + " filters");
        }
        long k = ws[2];
        long s = strides[0];
        long[] pads = pads(n, x, new long[] {k, k}, new long[] {s, s});
        String input = n.in(0);
        long pad = Math.min(Math.min(pads[0], pads[1]), Math.min(pads[2], pads[3]));
        long[] padded = x;
        if (pads[0] != pad || pads[1] != pad || pads[2] != pad || pads[3] != pad) {
            input = explicitPad(n, input, x, pads, pad, 0.0);
            padded = new long[] {x[0], x[1], x[2] + pads[0] + pads[2] - 2 * pad, x[3] + pads[1] + pads[3] - 2 * pad};
        }
        long oh = (padded[2] + 2 * pad - k) / s + 1;
        long ow = (padded[3] + 2 * pad - k) / s + 1;
        if (oh < 1 || ow < 1) {
            throw inconsistent(n, "kernel " + k + " larger than the padded input " + Arrays.toString(padded));
        }
        Op o = emit(n, "conv", List.of(input));
        o.attrs.put("in", new double[] {x[1]});
        o.attrs.put("out", new double[] {ws[0]});
        if (group > 1) {
            o.attrs.put("groups", new double[] {group}); // arrays split per group in splitGroups()
        }
        o.attrs.put("kernel", new double[] {k});
        o.attrs.put("stride", new double[] {s});
        o.attrs.put("padding", new double[] {pad});
        o.attrs.put("bias", new double[] {b == null ? 0 : 1});
        arrays.put(o.name + ".weight", w);
        if (b != null) {
            arrays.put(o.name + ".bias", b.reshape(new long[] {ws[0]}));
        }
        shapes.put(n.out(), new long[] {x[0], ws[0], oh, ow});
    }

    private static Tensor dilate(Tensor w, long[] dil) {
        long[] s = w.shape();
        long kh = dil[0] * (s[2] - 1) + 1;
        long kw = dil[1] * (s[3] - 1) + 1;
        float[] v = new float[(int) (s[0] * s[1] * kh * kw)];
        float[] src = w.values();
        for (int oc = 0; oc < s[0] * s[1]; oc++) {
            for (int i = 0; i < s[2]; i++) {
                for (int j = 0; j < s[3]; j++) {
                    v[(int) (oc * kh * kw + i * dil[0] * kw + j * dil[1])] = src[(int) ((oc * s[2] + i) * s[3] + j)];
                }
            }
        }
        return Tensor.of(new long[] {s[0], s[1], kh, kw}, v);
    }

    /**
     * Pads [top, left, bottom, right] of a convolution or pooling window from {@code pads} or {@code auto_pad}.
     */
    private long[] pads(Node n, long[] x, long[] k, long[] s) {
        String auto = n.s("auto_pad", "NOTSET");
        long[] p = n.ints("pads", new long[] {0, 0, 0, 0});
        switch (auto) {
            case "NOTSET":
                if (p.length != 4) {
                    throw n.unsupported("attribute pads " + Arrays.toString(p) + " is not 2-D");
                }
                for (long v : p) {
                    if (v < 0) {
                        throw n.unsupported("negative pads " + Arrays.toString(p));
                    }
                }
                return new long[] {p[0], p[1], p[2], p[3]};
            case "VALID":
                return new long[] {0, 0, 0, 0};
            case "SAME_UPPER", "SAME_LOWER": {
                long[] out = new long[4];
                for (int a = 0; a < 2; a++) {
                    long in = x[2 + a];
                    long o = (in + s[a] - 1) / s[a];
                    long total = Math.max((o - 1) * s[a] + k[a] - in, 0);
                    long small = total / 2;
                    boolean upper = auto.equals("SAME_UPPER");
                    out[a] = upper ? small : total - small;
                    out[a + 2] = upper ? total - small : small;
                }
                return out;
            }
            default:
                throw n.unsupported("attribute auto_pad " + auto + " is not supported");
        }
    }

    /** Emits a pad node taking {@code pads} [top, left, bottom, right] down to {@code keep} on every side. */
    private String explicitPad(Node n, String input, long[] x, long[] pads, long keep, double value) {
        String value0 = n.out() + "__padded";
        Op p = new Op(uniqueName(nodeBaseName(n) + "_pad"), "pad", List.of(input), value0);
        // PyTorch order: last axis first: left, right, top, bottom
        p.attrs.put("pads", new double[] {pads[1] - keep, pads[3] - keep, pads[0] - keep, pads[2] - keep});
        p.attrs.put("value", new double[] {value});
        ops.add(p);
        shapes.put(value0, new long[] {x[0], x[1], x[2] + pads[0] + pads[2] - 2 * keep,
            x[3] + pads[1] + pads[3] - 2 * keep});
        return value0;
    }

    private void gemm(Node n) {
        long[] a = n.shape(0);
        if (n.i("transA", 0) != 0) {
            throw n.unsupported("attribute transA 1 is not supported (the activation must not be transposed)");
        }
        Tensor bt = n.constant(1, "weight B");
        Tensor c = n.in(2) == null ? null : n.constant(2, "bias C");
        if (a.length != 2 || bt.shape().length != 2) {
            throw inconsistent(n, "A " + Arrays.toString(a) + " and B " + Arrays.toString(bt.shape())
                    + " must both be 2-D");
        }
        boolean transB = n.i("transB", 0) != 0;
        Tensor w = transB ? bt : bt.transpose(new int[] {1, 0}); // [N, K]
        double alpha = n.f("alpha", 1.0);
        double beta = n.f("beta", 1.0);
        linear(n, a, w, alpha, c, beta);
    }

    private void matMul(Node n) {
        long[] a = n.shape(0);
        Tensor b = n.constant(1, "weight (second operand)");
        if (a.length != 2 || b.shape().length != 2) {
            throw n.unsupported("only [batch, K] x [K, N] products are supported, got " + Arrays.toString(a) + " x "
                    + Arrays.toString(b.shape()));
        }
        linear(n, a, b.transpose(new int[] {1, 0}), 1.0, null, 1.0);
    }

    private void linear(Node n, long[] a, Tensor w, double alpha, Tensor c, double beta) {
        long out = w.shape()[0];
        long in = w.shape()[1];
        if (a[1] != in) {
            throw inconsistent(n, "input " + Arrays.toString(a) + " for a weight of " + in + " inputs");
        }
        float[] wv = w.values().clone();
        if (alpha != 1.0) {
            for (int i = 0; i < wv.length; i++) {
                wv[i] = (float) (wv[i] * alpha);
            }
        }
        float[] bias = null;
        if (c != null && beta != 0.0) {
            if (c.size() != out && c.size() != 1) {
                throw inconsistent(n, "bias C " + Arrays.toString(c.shape()) + " for " + out + " outputs");
            }
            bias = new float[(int) out];
            for (int i = 0; i < out; i++) {
                bias[i] = (float) (beta * c.values()[c.size() == 1 ? 0 : i]);
            }
        }
        Op o = emit(n, "linear", List.of(n.in(0)));
        o.attrs.put("in", new double[] {in});
        o.attrs.put("out", new double[] {out});
        o.attrs.put("bias", new double[] {bias == null ? 0 : 1});
        arrays.put(o.name + ".weight", Tensor.of(new long[] {out, in}, wv));
        if (bias != null) {
            arrays.put(o.name + ".bias", Tensor.of(new long[] {out}, bias));
        }
        shapes.put(n.out(), new long[] {a[0], out});
    }

    private void add(Node n) {
        if (n.attrs.containsKey("axis") || (n.attrs.containsKey("broadcast") && n.i("broadcast", 0) != 0)) {
            throw n.unsupported("legacy broadcast/axis attributes are not supported (opset 7 and later broadcast)");
        }
        String a = n.in(0);
        String b = n.in(1);
        boolean ca = consts.containsKey(a);
        boolean cb = consts.containsKey(b);
        if (ca && cb) {
            throw n.unsupported("adds two constants (constant folding of Add is not supported)");
        }
        long[] sa = ca ? consts.get(a).shape() : shapes.get(a);
        long[] sb = cb ? consts.get(b).shape() : shapes.get(b);
        long[] out = broadcast(n, sa, sb);
        long[] act = ca ? sb : cb ? sa : null;
        if (act != null && out.length == act.length && out[0] != act[0]) {
            throw inconsistent(n, "a constant " + Arrays.toString(ca ? sa : sb) + " would change the batch axis");
        }
        if (act != null && out.length > act.length) {
            throw inconsistent(n, "a constant " + Arrays.toString(ca ? sa : sb) + " of higher rank than the"
                    + " activation " + Arrays.toString(act));
        }
        if (ca) {
            emitConst(a);
        }
        if (cb) {
            emitConst(b);
        }
        emit(n, "add", List.of(a, b));
        shapes.put(n.out(), out);
    }

    private long[] broadcast(Node n, long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw inconsistent(n, "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    private void batchNorm(Node n) {
        long[] x = n.shape(0);
        if (n.i("spatial", 1) != 1) {
            throw n.unsupported("attribute spatial 0 is not supported");
        }
        if (n.i("training_mode", 0) != 0) {
            throw n.unsupported("attribute training_mode 1 is not supported (inference graphs only)");
        }
        n.onlyFirstOutputUsed();
        long c = x.length >= 2 ? x[1] : -1;
        String[] roles = {"scale", "bias", "mean", "var"};
        String[] names = {"gamma", "beta", "runningMean", "runningVar"};
        Tensor[] t = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            t[i] = n.constant(i + 1, roles[i]);
            if (t[i].size() != c) {
                throw inconsistent(n, roles[i] + " of " + t[i].size() + " values for " + c + " channels");
            }
        }
        Op o = emit(n, "batchnorm", List.of(n.in(0)));
        o.attrs.put("channels", new double[] {c});
        o.attrs.put("eps", new double[] {(float) n.f("epsilon", 1e-5)});
        for (int i = 0; i < 4; i++) {
            arrays.put(o.name + "." + names[i], t[i].reshape(new long[] {c}));
        }
        shapes.put(n.out(), x.clone());
    }

    private Op unary(Node n, String op) {
        long[] x = n.shape(0);
        Op o = emit(n, op, List.of(n.in(0)));
        shapes.put(n.out(), x.clone());
        return o;
    }

    private void clip(Node n) {
        double lo = -Float.MAX_VALUE;
        double hi = Float.MAX_VALUE;
        if (opset < 11) {
            lo = n.f("min", lo);
            hi = n.f("max", hi);
        } else {
            if (n.in(1) != null) {
                lo = n.constant(1, "min").values()[0];
            }
            if (n.in(2) != null) {
                hi = n.constant(2, "max").values()[0];
            }
        }
        Op o = unary(n, "clip");
        o.attrs.put("min", new double[] {lo});
        o.attrs.put("max", new double[] {hi});
    }

    private void pool(Node n) {
        long[] x = n.shape(0);
        boolean max = n.proto.getOpType().equals("MaxPool");
        if (x.length != 4) {
            throw n.unsupported("only 2-D pooling is supported (input " + Arrays.toString(x) + ")");
        }
        long[] k = n.ints("kernel_shape", null);
        if (k == null || k.length != 2) {
            throw n.unsupported("attribute kernel_shape must be 2-D, got " + Arrays.toString(k));
        }
        long[] s = n.ints("strides", new long[] {1, 1});
        long[] dil = n.ints("dilations", new long[] {1, 1});
        if (dil.length != 2 || dil[0] != 1 || dil[1] != 1) {
            throw n.unsupported("attribute dilations " + Arrays.toString(dil) + " is not supported");
        }
        if (max) {
            n.onlyFirstOutputUsed();
        }
        boolean ceil = n.i("ceil_mode", 0) != 0;
        boolean countPad = n.i("count_include_pad", 0) != 0;
        long[] pads = pads(n, x, k, s);
        String input = n.in(0);
        long[] padded = x;
        long ph = pads[0];
        long pw = pads[1];
        if (pads[0] != pads[2] || pads[1] != pads[3] || 2 * ph > k[0] || 2 * pw > k[1]) {
            if (!max && !countPad) {
                throw n.unsupported("asymmetric pads " + Arrays.toString(pads)
                        + " with count_include_pad 0 are not supported");
            }
            input = explicitPad(n, input, x, pads, 0, max ? -Float.MAX_VALUE : 0.0);
            padded = new long[] {x[0], x[1], x[2] + pads[0] + pads[2], x[3] + pads[1] + pads[3]};
            ph = 0;
            pw = 0;
        }
        long[] o = new long[4];
        o[0] = x[0];
        o[1] = x[1];
        long[] pp = {ph, pw};
        for (int a = 0; a < 2; a++) {
            long span = padded[2 + a] + 2 * pp[a] - k[a];
            if (span < 0) {
                throw inconsistent(n, "window " + Arrays.toString(k) + " larger than the input "
                        + Arrays.toString(padded));
            }
            long q = ceil ? (span + s[a] - 1) / s[a] + 1 : span / s[a] + 1;
            if (ceil && (q - 1) * s[a] >= padded[2 + a] + pp[a]) {
                q--; // PyTorch: the last window must start inside the input or the left padding
            }
            o[2 + a] = q;
        }
        Op op = emit(n, max ? "maxPool" : "avgPool", List.of(input));
        op.attrs.put("kernel", toDoubles(k));
        op.attrs.put("stride", toDoubles(s));
        op.attrs.put("padding", new double[] {ph, pw});
        op.attrs.put("ceil", new double[] {ceil ? 1 : 0});
        if (!max) {
            op.attrs.put("countIncludePad", new double[] {countPad ? 1 : 0});
        }
        shapes.put(n.out(), o);
    }

    private void globalAvgPool(Node n) {
        long[] x = n.shape(0);
        if (x.length < 3) {
            throw inconsistent(n, "input " + Arrays.toString(x) + " has no spatial axis");
        }
        emit(n, "globalAvgPool", List.of(n.in(0)));
        long[] o = x.clone();
        for (int d = 2; d < o.length; d++) {
            o[d] = 1;
        }
        shapes.put(n.out(), o);
    }

    private void pad(Node n) {
        long[] x = n.shape(0);
        String mode = n.s("mode", "constant");
        if (!mode.equals("constant")) {
            throw n.unsupported("mode " + mode + " is not supported (constant only)");
        }
        long[] p;
        double value;
        if (opset < 11) {
            p = n.ints("pads", null);
            value = n.f("value", 0.0);
        } else {
            Tensor t = n.constant(1, "pads");
            p = t.ints();
            value = n.in(2) == null ? 0.0 : n.constant(2, "constant_value").values()[0];
            if (n.in(3) != null) {
                throw n.unsupported("input axes is not supported");
            }
        }
        if (p == null || p.length != 2 * x.length) {
            throw inconsistent(n, "pads " + Arrays.toString(p) + " for an input of rank " + x.length);
        }
        int r = x.length;
        for (int d = 0; d < r; d++) {
            if ((d == 0 && (p[d] != 0 || p[d + r] != 0)) || p[d] < 0 || p[d + r] < 0) {
                throw n.unsupported("pads " + Arrays.toString(p)
                        + " are not supported (non-negative, not on the batch axis)");
            }
        }
        // down to the channel axis only where it is padded (ResNet option-A shortcuts), else the spatial axes
        int first = r > 1 && (p[1] != 0 || p[1 + r] != 0) ? 1 : Math.min(2, r);
        double[] torch = new double[2 * (r - first)];
        long[] o = x.clone();
        for (int d = r - 1, j = 0; d >= first; d--, j += 2) {
            torch[j] = p[d];
            torch[j + 1] = p[d + r];
            o[d] += p[d] + p[d + r];
        }
        Op op = emit(n, "pad", List.of(n.in(0)));
        op.attrs.put("pads", torch);
        op.attrs.put("value", new double[] {value});
        shapes.put(n.out(), o);
    }

    private void flatten(Node n) {
        long[] x = n.shape(0);
        long axis = n.i("axis", 1);
        if (axis < 0) {
            axis += x.length;
        }
        if (axis < 0 || axis > x.length) {
            throw inconsistent(n, "axis " + n.i("axis", 1) + " for an input of rank " + x.length);
        }
        if (axis == 0) {
            axis = 1; // [1, N] for the declared batch of 1: keep the batch instead
        }
        long lead = 1;
        for (int d = 0; d < axis; d++) {
            lead *= x[d];
        }
        Op o = emit(n, "flatten", List.of(n.in(0)));
        o.attrs.put("axis", new double[] {axis});
        shapes.put(n.out(), new long[] {lead, Tensor.size(x) / lead});
    }

    private void concat(Node n) {
        List<String> ins = new ArrayList<>();
        long[] first = null;
        long axis = n.i("axis", Long.MIN_VALUE);
        if (axis == Long.MIN_VALUE) {
            throw n.unsupported("attribute axis is missing");
        }
        long sum = 0;
        for (int i = 0; i < n.proto.getInputCount(); i++) {
            long[] s = n.shape(i);
            if (first == null) {
                first = s;
                if (axis < 0) {
                    axis += s.length;
                }
                if (axis <= 0 || axis >= s.length) {
                    throw n.unsupported("axis " + n.i("axis", 0) + " is not supported (not the batch axis)");
                }
            }
            if (s.length != first.length) {
                throw inconsistent(n, "inputs of ranks " + first.length + " and " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                if (d != axis && s[d] != first[d]) {
                    throw inconsistent(n, "inputs " + Arrays.toString(first) + " and " + Arrays.toString(s)
                            + " differ off axis " + axis);
                }
            }
            sum += s[(int) axis];
            ins.add(n.in(i));
        }
        Op o = emit(n, "concat", ins);
        o.attrs.put("axis", new double[] {axis});
        long[] out = first.clone();
        out[(int) axis] = sum;
        shapes.put(n.out(), out);
    }

    private void softmax(Node n) {
        long[] x = n.shape(0);
        long axis = n.i("axis", opset < 13 ? 1 : -1);
        if (axis < 0) {
            axis += x.length;
        }
        if (axis < 1 || axis >= x.length) {
            throw n.unsupported("axis " + n.i("axis", 0) + " is not supported");
        }
        if (opset < 13 && axis != x.length - 1) {
            throw n.unsupported("axis " + axis + " before opset 13 (softmax over flattened trailing axes) is not"
                    + " supported");
        }
        Op o = unary(n, "softmax");
        o.attrs.put("axis", new double[] {axis});
    }

    // ---------------------------------------------------------------------------------------------------------------
    // emitting and folding

    private Op emit(Node n, String op, List<String> inputs) {
        Op o = new Op(uniqueName(nodeBaseName(n)), op, inputs, n.out());
        ops.add(o);
        return o;
    }

    private void emitConst(String value) {
        if (!emittedConsts.add(value)) {
            return;
        }
        Tensor t = consts.get(value);
        Op o = new Op(uniqueName("c_" + sanitize(value)), "const", List.of(), value);
        o.attrs.put("shape", toDoubles(t.shape()));
        ops.add(o);
        arrays.put(GraphNetwork.CONST_PREFIX + o.name, t);
    }

    private Map<String, Integer> opReaders(String graphOutput) {
        Map<String, Integer> r = new HashMap<>();
        for (Op o : ops) {
            for (String s : o.inputs) {
                r.merge(s, 1, Integer::sum);
            }
        }
        r.merge(graphOutput, 1, Integer::sum);
        return r;
    }

    /** Conv or linear whose only reader is an Add of a per-output-channel constant: the constant becomes its bias. */
    private void foldBiasAdds(String graphOutput) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Integer> readers = opReaders(graphOutput);
            Map<String, Op> producer = new HashMap<>();
            for (Op o : ops) {
                producer.put(o.output, o);
            }
            for (Op add : ops) {
                if (!add.op.equals("add")) {
                    continue;
                }
                for (int side = 0; side < 2; side++) {
                    String layerOut = add.inputs.get(side);
                    String c = add.inputs.get(1 - side);
                    Op layer = producer.get(layerOut);
                    Op cop = producer.get(c);
                    if (layer == null || cop == null || !cop.op.equals("const") || readers.get(layerOut) != 1
                            || !(layer.op.equals("conv") || layer.op.equals("linear"))) {
                        continue;
                    }
                    Tensor t = consts.get(c);
                    int outs = (int) layer.attrs.get("out")[0];
                    if (!perChannel(t.shape(), outs, layer.op.equals("conv") ? 4 : 2)) {
                        continue;
                    }
                    Tensor old = arrays.get(layer.name + ".bias");
                    float[] b = old == null ? new float[outs] : old.values().clone();
                    for (int i = 0; i < outs; i++) {
                        b[i] += t.values()[t.values().length == 1 ? 0 : i];
                    }
                    arrays.put(layer.name + ".bias", Tensor.of(new long[] {outs}, b));
                    layer.attrs.put("bias", new double[] {1});
                    layer.output = add.output;
                    ops.remove(add);
                    changed = true;
                    break;
                }
                if (changed) {
                    break;
                }
            }
        }
    }

    /** The weight and bias of each grouped convolution, split into its groups' ({@code <node>.<g>.weight}). */
    private void splitGroups() {
        for (Op o : ops) {
            if (!o.op.equals("conv") || !o.attrs.containsKey("groups")) {
                continue;
            }
            int groups = (int) o.attrs.get("groups")[0];
            for (String p : new String[] {"weight", "bias"}) {
                Tensor t = arrays.remove(o.name + "." + p);
                if (t == null) {
                    continue;
                }
                long[] shape = t.shape().clone();
                shape[0] /= groups;
                int per = (int) Tensor.size(shape);
                for (int g = 0; g < groups; g++) {
                    arrays.put(o.name + "." + g + "." + p,
                            Tensor.of(shape, Arrays.copyOfRange(t.values(), g * per, (g + 1) * per)));
                }
            }
        }
    }

    /** Whether a constant of {@code shape} adds one value per channel (axis 1) of a rank-{@code rank} activation. */
    private static boolean perChannel(long[] shape, int channels, int rank) {
        if (Tensor.size(shape) != channels || shape.length > rank) {
            return false;
        }
        // right-aligned broadcasting: the channel axis is axis 1 of the activation
        int channelAxis = shape.length - (rank - 1);
        for (int d = 0; d < shape.length; d++) {
            if (d != channelAxis && shape[d] != 1) {
                return false;
            }
        }
        return channelAxis >= 0 || channels == 1;
    }

    /** Batch norm right after a convolution that nothing else reads: scaled into the convolution's weight and bias. */
    private void foldBatchNorms(String graphOutput) {
        Map<String, Integer> readers = opReaders(graphOutput);
        Map<String, Op> producer = new HashMap<>();
        for (Op o : ops) {
            producer.put(o.output, o);
        }
        for (Op bn : new ArrayList<>(ops)) {
            if (!bn.op.equals("batchnorm")) {
                continue;
            }
            Op conv = producer.get(bn.inputs.get(0));
            if (conv == null || !conv.op.equals("conv") || readers.get(conv.output) != 1) {
                continue;
            }
            int c = (int) bn.attrs.get("channels")[0];
            double eps = bn.attrs.get("eps")[0];
            float[] gamma = arrays.remove(bn.name + ".gamma").values();
            float[] beta = arrays.remove(bn.name + ".beta").values();
            float[] mean = arrays.remove(bn.name + ".runningMean").values();
            float[] var = arrays.remove(bn.name + ".runningVar").values();
            Tensor w = arrays.get(conv.name + ".weight");
            Tensor ob = arrays.get(conv.name + ".bias");
            float[] wv = w.values().clone();
            float[] b = new float[c];
            int per = wv.length / c;
            for (int o = 0; o < c; o++) {
                double scale = gamma[o] / Math.sqrt(var[o] + eps);
                for (int j = 0; j < per; j++) {
                    wv[o * per + j] = (float) (wv[o * per + j] * scale);
                }
                double b0 = ob == null ? 0 : ob.values()[o];
                b[o] = (float) ((b0 - mean[o]) * scale + beta[o]);
            }
            arrays.put(conv.name + ".weight", Tensor.of(w.shape(), wv));
            arrays.put(conv.name + ".bias", Tensor.of(new long[] {c}, b));
            conv.attrs.put("bias", new double[] {1});
            conv.output = bn.output;
            ops.remove(bn);
        }
    }

    private void dropUnusedConsts(String graphOutput) {
        Map<String, Integer> readers = opReaders(graphOutput);
        ops.removeIf(o -> {
            if (o.op.equals("const") && !readers.containsKey(o.output)) {
                arrays.remove(GraphNetwork.CONST_PREFIX + o.name);
                return true;
            }
            return false;
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private String resolve(String name) {
        String s = name;
        while (alias.containsKey(s)) {
            s = alias.get(s);
        }
        return s;
    }

    private String nodeBaseName(Node n) {
        String s = n.proto.getName().isEmpty() ? n.proto.getOpType().toLowerCase(java.util.Locale.ROOT) + n.index
                : sanitize(n.proto.getName());
        return s;
    }

    private static String nodeLabel(NodeProto n, int index) {
        return n.getName().isEmpty() ? "#" + index : "'" + n.getName() + "'";
    }

    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            b.append(Character.isLetterOrDigit(ch) || ch == '_' || ch == '-' ? ch : '_');
        }
        String out = b.toString().replaceAll("^_+", "");
        return out.isEmpty() ? "n" : out;
    }

    private String uniqueName(String base) {
        String s = base;
        for (int i = 2; !usedNames.add(s); i++) {
            s = base + "_" + i;
        }
        return s;
    }

    private static double[] toDoubles(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private DataFormatException bad(String what) {
        return new DataFormatException(file + ": " + what);
    }

    private DataFormatException inconsistent(Node n, String what) {
        return bad(n.where + ": inconsistent shapes: " + what);
    }

    /** A TensorProto's values: float (float_data or raw_data), double, int32 or int64. */
    private Tensor tensor(TensorProto t, String what) {
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        for (long d : dims) {
            if (d < 0) {
                throw bad(what + ": negative dimension in " + Arrays.toString(dims));
            }
        }
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw bad(what + ": external data is not supported (save the model with its weights inside)");
        }
        long n = Tensor.size(dims);
        if (n > Integer.MAX_VALUE - 8) {
            throw bad(what + ": too large " + Arrays.toString(dims));
        }
        int type = t.getDataType();
        ByteString raw = t.getRawData();
        boolean hasRaw = t.hasRawData();
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE: {
                float[] v;
                if (hasRaw) {
                    count(what, dims, raw.size(), 4L * n, "bytes of raw_data");
                    v = new float[(int) n];
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                } else {
                    count(what, dims, t.getFloatDataCount(), n, "float_data values");
                    v = new float[(int) n];
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                return Tensor.of(dims, v);
            }
            case TensorProto.DataType.DOUBLE_VALUE: {
                float[] v = new float[(int) n];
                if (hasRaw) {
                    count(what, dims, raw.size(), 8L * n, "bytes of raw_data");
                    ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) bb.getDouble();
                    }
                } else {
                    count(what, dims, t.getDoubleDataCount(), n, "double_data values");
                    for (int i = 0; i < n; i++) {
                        v[i] = (float) t.getDoubleData(i);
                    }
                }
                return Tensor.of(dims, v);
            }
            case TensorProto.DataType.INT64_VALUE: {
                long[] v = new long[(int) n];
                if (hasRaw) {
                    count(what, dims, raw.size(), 8L * n, "bytes of raw_data");
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                } else {
                    count(what, dims, t.getInt64DataCount(), n, "int64_data values");
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                }
                return Tensor.ofInts(dims, v);
            }
            case TensorProto.DataType.INT32_VALUE: {
                long[] v = new long[(int) n];
                if (hasRaw) {
                    count(what, dims, raw.size(), 4L * n, "bytes of raw_data");
                    ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        v[i] = bb.getInt();
                    }
                } else {
                    count(what, dims, t.getInt32DataCount(), n, "int32_data values");
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getInt32Data(i);
                    }
                }
                return Tensor.ofInts(dims, v);
            }
            default:
                throw bad(what + ": element type " + dataTypeName(type)
                        + " is not supported (float, double, int32, int64)");
        }
    }

    private void count(String what, long[] dims, long have, long want, String unit) {
        if (have != want) {
            throw bad(what + ": inconsistent shapes: " + have + " " + unit + " for dims " + Arrays.toString(dims)
                    + " (" + want + " expected; truncated?)");
        }
    }

    private static String dataTypeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "#" + type : t.name();
    }

    /**
     * Reads a serialized {@code TensorProto} (an ONNX test-vector file such as {@code input_0.pb}).
     *
     * @param bytes the file's bytes
     * @param name the file name used in messages
     * @return the tensor
     * @throws DataFormatException when the bytes are not a float/int tensor
     */
    public static Tensor readTensor(byte[] bytes, String name) {
        TensorProto t;
        try {
            t = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(name + ": not an ONNX tensor (" + firstLine(e.getMessage()) + ")");
        }
        return new OnnxImporter(name, Options.DEFAULTS).tensor(t, "tensor");
    }

    /**
     * SHA-256 of {@code bytes}.
     *
     * @param bytes any bytes
     * @return the digest in lower-case hex
     */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
