package dev.aimc.onnx;

import dev.aimc.onnx.proto.OnnxProto.AttributeProto;
import dev.aimc.onnx.proto.OnnxProto.GraphProto;
import dev.aimc.onnx.proto.OnnxProto.ModelProto;
import dev.aimc.onnx.proto.OnnxProto.NodeProto;
import dev.aimc.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.aimc.onnx.proto.OnnxProto.TensorProto;
import dev.aimc.onnx.proto.OnnxProto.TensorShapeProto;
import dev.aimc.onnx.proto.OnnxProto.TypeProto;
import dev.aimc.onnx.proto.OnnxProto.ValueInfoProto;
import java.util.List;

/** Small ONNX models written with the generated protobuf classes, for tests of the importer. */
final class TinyOnnx {
    private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
    private final int opset;

    TinyOnnx(int opset, String input, long... shape) {
        this.opset = opset;
        g.addInput(value(input, shape));
    }

    static ValueInfoProto value(String name, long... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /** A float initializer with values 0.01·(i+1)·(−1)^i, stored in float_data. */
    TinyOnnx weight(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) {
            t.addFloatData((float) (0.01 * (i + 1) * (i % 2 == 0 ? 1 : -1)));
        }
        g.addInitializer(t);
        return this;
    }

    /** A float initializer with positive values 0.5 + 0.1·i (variances). */
    TinyOnnx positive(String name, long n) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(n);
        for (int i = 0; i < n; i++) {
            t.addFloatData(0.5f + 0.1f * i);
        }
        g.addInitializer(t);
        return this;
    }

    /** A scalar float initializer, in raw_data. */
    TinyOnnx scalar(String name, float v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(v);
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.array())));
        return this;
    }

    static AttributeProto stringAttr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(v)).build();
    }

    TinyOnnx int64(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        g.addInitializer(t);
        return this;
    }

    TinyOnnx node(String name, String op, List<String> in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addOutput(out);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return this;
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    byte[] bytes(String output, long... shape) {
        g.addOutput(value(output, shape));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("aimc-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build()
                .toByteArray();
    }
}
