package dev.aimc.onnx;

import static dev.aimc.onnx.TinyOnnx.i;
import static dev.aimc.onnx.TinyOnnx.intsAttr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.PcmModel;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.onnx.proto.OnnxProto.ModelProto;
import dev.aimc.onnx.proto.OnnxProto.NodeProto;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Rng;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grouped and depthwise convolutions (ONNX Conv with group &gt; 1): computed as PyTorch's grouped convolution does,
 * one analog layer per group, and written back by the exporter as one Conv with its group attribute.
 */
class GroupedConvTest {
    /** Depthwise 3×3 (4 groups of 1 channel, with bias), then a grouped 3×3 of 2 groups (2 → 3 channels each). */
    private static TinyOnnx model() {
        return new TinyOnnx(13, "x", 1, 4, 6, 6)
                .weight("wd", 4, 1, 3, 3).weight("bd", 4)
                .node("dw", "Conv", List.of("x", "wd", "bd"), "h", i("group", 4), intsAttr("pads", 1, 1, 1, 1))
                .weight("wg", 6, 2, 3, 3)
                .node("gc", "Conv", List.of("h", "wg"), "c", i("group", 2))
                .node("flat", "Flatten", List.of("c"), "y");
    }

    private static NDArray arr(NDManager m, TinyOnnxValues v, String name) {
        return m.create(v.get(name).values(), new Shape(v.get(name).shape()));
    }

    /** The model's initializers, read back through the importer's tensor reader. */
    private record TinyOnnxValues(ModelProto model) {
        Tensor get(String name) {
            return model.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name))
                    .map(t -> OnnxImporter.readTensor(t.toByteArray(), name)).findFirst().orElseThrow();
        }
    }

    @Test
    void groupedConvolutionsMatchPyTorchsAndBecomeOneAnalogLayerPerGroup() throws Exception {
        byte[] bytes = model().bytes("y", 1, 96);
        ImportedNetwork net = OnnxImporter.read(bytes, "grouped.onnx", OnnxImporter.Options.DEFAULTS);
        assertEquals(List.of("dw.0", "dw.1", "dw.2", "dw.3", "gc.0", "gc.1"),
                List.copyOf(OnnxCheckpoint.analogLayers(net.spec())));
        TinyOnnxValues v = new TinyOnnxValues(ModelProto.parseFrom(bytes));
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork g = OnnxCheckpoint.build(net, m, "grouped.onnx");
            Rng.seed(5);
            NDArray x = m.randomNormal(new Shape(3, 4, 6, 6));
            NDArray h = ai.djl.nn.convolutional.Conv2d.conv2d(x, arr(m, v, "wd"), arr(m, v, "bd"),
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 4).singletonOrThrow();
            NDArray c = ai.djl.nn.convolutional.Conv2d.conv2d(h, arr(m, v, "wg"), null, new Shape(1, 1),
                    new Shape(0, 0), new Shape(1, 1), 2).singletonOrThrow();
            float[] want = c.reshape(3, -1).toFloatArray();
            OnnxImportTest.assertClose(want, g.forward(x, false).toFloatArray(), 1e-6, "grouped");

            // each group on its own tiles: 6 analog layers, group gc.1 holds only its 2·9 × 3 weights
            GraphNetwork twin = OnnxCheckpoint.build(net, m, "grouped.onnx");
            try (AnalogNetwork a = AnalogConverter.convert(twin, Set.of(), TileConfig.builder().build(),
                    PcmModel.defaults())) {
                assertEquals(Set.of("dw.0", "dw.1", "dw.2", "dw.3", "gc.0", "gc.1"), a.analogLayers().keySet());
                a.program(1);
                a.driftTo(1);
                float[] y = a.forward(x).toFloatArray();
                assertEquals(want.length, y.length);
            }
        }
    }

    @Test
    void theExporterWritesOneConvWithItsGroup() throws Exception {
        ImportedNetwork net = OnnxImporter.read(model().bytes("y", 1, 96), "grouped.onnx",
                OnnxImporter.Options.DEFAULTS);
        byte[] out = OnnxExporter.encode(net, java.util.Map.of());
        ModelProto mp = ModelProto.parseFrom(out);
        NodeProto dw = mp.getGraph().getNode(0);
        assertEquals("Conv", dw.getOpType());
        assertTrue(dw.getAttributeList().stream().anyMatch(a -> a.getName().equals("group") && a.getI() == 4));
        ImportedNetwork back = OnnxImporter.read(out, "back.onnx", OnnxImporter.Options.DEFAULTS);
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(6);
            NDArray x = m.randomNormal(new Shape(2, 4, 6, 6));
            float[] a = OnnxCheckpoint.build(net, m, "a").forward(x, false).toFloatArray();
            float[] b = OnnxCheckpoint.build(back, m, "b").forward(x, false).toFloatArray();
            assertTrue(java.util.Arrays.equals(a, b), "bit-identical after export and import");
        }
    }
}
