package dev.aimc.onnx;

import static dev.aimc.onnx.TinyOnnx.f;
import static dev.aimc.onnx.TinyOnnx.i;
import static dev.aimc.onnx.TinyOnnx.intsAttr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.onnx.proto.OnnxProto.AttributeProto;
import dev.aimc.onnx.proto.OnnxProto.TensorProto;
import dev.aimc.train.Checkpoint;
import dev.aimc.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph with branches, a residual add, concatenation and the other operators: it imports, keeps the batch
 * axis, survives a checkpoint round trip bit for bit, and folding its batch norm changes nothing but rounding.
 */
class GraphOperatorsTest {
    @TempDir
    Path tmp;

    static byte[] model() {
        TensorProto bias = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(5)
                .addFloatData(0.1f).addFloatData(-0.2f).addFloatData(0.3f).addFloatData(0f).addFloatData(0.05f)
                .build();
        AttributeProto value = AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .setT(bias).build();
        return new TinyOnnx(13, "x", 1, 2, 8, 8)
                .weight("w1", 4, 2, 3, 3)
                .node("c1", "Conv", List.of("x", "w1"), "h1", TinyOnnx.stringAttr("auto_pad", "SAME_LOWER"))
                .weight("g", 4).weight("be", 4).weight("mu", 4).positive("var", 4)
                .node("bn1", "BatchNormalization", List.of("h1", "g", "be", "mu", "var"), "b1", f("epsilon", 1e-3f))
                .node("lr", "LeakyRelu", List.of("b1"), "a1", f("alpha", 0.1f))
                .weight("w2", 4, 4, 3, 3).weight("bias2", 4)
                .node("c2", "Conv", List.of("a1", "w2", "bias2"), "a2", intsAttr("pads", 1, 1, 1, 1))
                .node("res", "Add", List.of("a1", "a2"), "r")
                .scalar("lo", 0f).scalar("hi", 6f)
                .node("relu6", "Clip", List.of("r", "lo", "hi"), "cl")
                .node("mp", "MaxPool", List.of("cl"), "p1", intsAttr("kernel_shape", 2, 2), intsAttr("strides", 2, 2))
                .node("ap", "AveragePool", List.of("cl"), "p2", intsAttr("kernel_shape", 3, 3),
                        intsAttr("strides", 2, 2), intsAttr("pads", 1, 1, 1, 1), i("count_include_pad", 0))
                .node("cat", "Concat", List.of("p1", "p2"), "cc", i("axis", 1))
                .int64("padsv", 0, 0, 1, 0, 0, 0, 0, 1)
                .node("pad", "Pad", List.of("cc", "padsv"), "pd")
                .node("sig", "Sigmoid", List.of("pd"), "s")
                .node("th", "Tanh", List.of("s"), "t")
                .node("drop", "Dropout", List.of("t"), "d")
                .node("id", "Identity", List.of("d"), "e")
                .node("gap", "GlobalAveragePool", List.of("e"), "gp")
                .int64("shape", 1, -1)
                .node("flat", "Reshape", List.of("gp", "shape"), "fl")
                .weight("wt", 5, 8)
                .node("tr", "Transpose", List.of("wt"), "wtt")
                .node("mm", "MatMul", List.of("fl", "wtt"), "z")
                .node("k", "Constant", List.of(), "kb", value)
                .node("addb", "Add", List.of("z", "kb"), "logits")
                .node("sm", "Softmax", List.of("logits"), "y", i("axis", -1))
                .bytes("y", 1, 5);
    }

    private static float[] run(ImportedNetwork net, NDManager m, NDArray x) {
        GraphNetwork g = OnnxCheckpoint.build(net, m, "tiny");
        return g.forward(x, false).toFloatArray();
    }

    @Test
    void branchesResidualsAndConcatenationRunBatchAware() throws Exception {
        byte[] bytes = model();
        ImportedNetwork kept = OnnxImporter.read(bytes, "tiny.onnx", OnnxImporter.Options.DEFAULTS);
        ImportedNetwork folded = OnnxImporter.read(bytes, "tiny.onnx", new OnnxImporter.Options(true));
        assertTrue(kept.spec().nodes().stream().anyMatch(n -> n.op().equals("batchnorm")));
        assertFalse(folded.spec().nodes().stream().anyMatch(n -> n.op().equals("batchnorm")));
        // the bias Add after MatMul became the linear layer's bias; MatMul and both convs are analog layers
        assertEquals(3, OnnxCheckpoint.analogLayers(kept.spec()).size());
        assertTrue(kept.arrays().containsKey("mm.bias"));
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(7);
            NDArray x = m.randomNormal(new Shape(3, 2, 8, 8));
            float[] y = run(kept, m, x);
            assertEquals(15, y.length);
            for (int b = 0; b < 3; b++) {
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    sum += y[5 * b + j];
                }
                assertEquals(1.0, sum, 1e-5, "softmax row " + b);
                float[] one = run(kept, m, x.get(b + ":" + (b + 1)));
                OnnxImportTest.assertClose(one, java.util.Arrays.copyOfRange(y, 5 * b, 5 * b + 5), 1e-6,
                        "image " + b + " alone vs in the batch");
            }
            OnnxImportTest.assertClose(y, run(folded, m, x), 1e-5, "batch norm folded vs kept");
            GraphNetwork g = OnnxCheckpoint.build(kept, m, "tiny");
            assertEquals(1, g.namedModules().values().stream().filter(BatchNorm.class::isInstance).count());
        }
    }

    @Test
    void checkpointRoundTripGivesIdenticalOutputs() throws Exception {
        Path f = tmp.resolve("tiny.onnx");
        Files.write(f, model());
        Path ck = tmp.resolve("ck");
        OnnxCheckpoint.write(f, ck, "mnist", 255, new float[] {0f}, new float[] {1f}, OnnxImporter.Options.DEFAULTS);
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(3);
            NDArray x = m.randomNormal(new Shape(2, 2, 8, 8));
            float[] direct = run(OnnxImporter.read(f, OnnxImporter.Options.DEFAULTS), m, x);
            float[] loaded = Checkpoint.load(ck, m).model().forward(x, false).toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(direct, loaded);
        }
    }
}
