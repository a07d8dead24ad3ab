package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.cli.CliRun;
import dev.aimc.models.Models;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.Module;
import dev.aimc.onnx.proto.OnnxProto.ModelProto;
import dev.aimc.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.aimc.onnx.proto.OnnxProto.TensorProto;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimc export --onnx}: a checkpoint written as ONNX and imported back gives the same outputs, for aimc's own
 * LeNet-5 and ResNet-20 and for an imported graph (mnist-8); the file is valid ONNX as our reader sees it, with opset
 * 13, IR version 7, float weights in raw_data and the preprocessing in its metadata; outputs are never overwritten
 * unasked.
 */
class OnnxExportTest {
    @TempDir
    Path tmp;

    /** A reference network with seeded random weights (and batch-norm statistics) saved as a checkpoint. */
    private Path builtIn(String arch, String dataset) {
        Path ck = tmp.resolve(arch);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create(arch, m, 7);
            Rng.seed(11);
            net.namedBuffers().forEach((k, a) -> {
                try (NDArray r = m.randomUniform(0.5f, 1.5f, a.getShape())) {
                    InPlace.assign(a, r); // running means and variances away from 0 and 1
                }
            });
            net.namedParameters().forEach((k, a) -> {
                if (k.endsWith("gamma") || k.endsWith("beta")) {
                    try (NDArray r = m.randomUniform(-0.5f, 1.5f, a.getShape())) {
                        InPlace.assign(a, r);
                    }
                }
            });
            CheckpointMeta meta = new CheckpointMeta();
            meta.architecture = arch;
            meta.dataset = dataset;
            meta.normalization = new CheckpointMeta.Norm();
            meta.normalization.scale = 1f / 255f;
            meta.normalization.mean = new float[] {0.5f};
            meta.normalization.std = new float[] {0.25f};
            Checkpoint.save(ck, net, null, meta);
        }
        return ck;
    }

    /** Exports {@code ck}, imports the file, and compares both networks' outputs on a seeded random batch. */
    private void roundTrip(Path ck, double rel) throws Exception {
        Path onnx = tmp.resolve(ck.getFileName() + ".onnx");
        CliRun r = CliRun.of("export", "--checkpoint", ck.toString(), "--onnx", onnx.toString());
        assertEquals(0, r.code(), r.toString());
        ImportedNetwork back = OnnxImporter.read(onnx, OnnxImporter.Options.DEFAULTS);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = Checkpoint.load(ck, m);
            GraphNetwork g = OnnxCheckpoint.build(back, m, onnx.toString());
            Rng.seed(3);
            NDArray x = m.randomNormal(new Shape(4).addAll(new Shape(back.spec().inputShape())));
            float[] want = c.model().forward(x, false).toFloatArray();
            float[] got = g.forward(x, false).toFloatArray();
            assertEquals(4 * back.spec().classes(), got.length);
            double scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < want.length; i++) {
                assertTrue(Math.abs(want[i] - got[i]) <= rel * scale, ck.getFileName() + " output " + i + ": "
                        + want[i] + " vs " + got[i]);
            }
        }
    }

    @Test
    void lenet5ComesBackToTheSameOutputs() throws Exception {
        Path ck = builtIn("lenet5-mnist", "mnist-subset");
        roundTrip(ck, 1e-6);
        ModelProto mp = ModelProto.parseFrom(Files.readAllBytes(tmp.resolve("lenet5-mnist.onnx")));
        assertEquals(7, mp.getIrVersion());
        assertEquals(13, mp.getOpsetImport(0).getVersion());
        assertEquals("", mp.getOpsetImport(0).getDomain());
        assertEquals("aimc", mp.getProducerName());
        assertEquals(5, mp.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")
                || n.getOpType().equals("Gemm")).count());
        for (TensorProto t : mp.getGraph().getInitializerList()) {
            assertTrue(t.getFloatDataCount() == 0 && !t.getRawData().isEmpty(), t.getName() + " in raw_data");
        }
        assertEquals("N", mp.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        Map<String, String> props = new java.util.HashMap<>();
        for (StringStringEntryProto p : mp.getMetadataPropsList()) {
            props.put(p.getKey(), p.getValue());
        }
        assertEquals("lenet5-mnist", props.get("aimc.architecture"));
        assertTrue(props.get("aimc.preprocessing").contains("mean [0.5], std [0.25]"), props.toString());
    }

    @Test
    void resnet20KeepsItsBatchNormsAndShortcuts() throws Exception {
        Path ck = builtIn("resnet20", "cifar10");
        roundTrip(ck, 1e-6);
        ModelProto mp = ModelProto.parseFrom(Files.readAllBytes(tmp.resolve("resnet20.onnx")));
        assertEquals(19, mp.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("BatchNormalization")).count());
        assertEquals(2, mp.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Pad")).count());
    }

    @Test
    void anImportedGraphComesBackToTheSameOutputs() throws Exception {
        Path model = SharedModels.model(SharedModels.MNIST8);
        Path ck = tmp.resolve("mnist8");
        OnnxCheckpoint.write(model, ck, "mnist-subset", 255, new float[] {0f}, new float[] {1f},
                OnnxImporter.Options.DEFAULTS);
        roundTrip(ck, 0);
        // and the exported file reproduces the model zoo's test vector, like the original
        Path vec = model.getParent().resolve("test_data_set_0");
        Tensor in = OnnxImporter.readTensor(Files.readAllBytes(vec.resolve("input_0.pb")), "input_0.pb");
        Tensor out = OnnxImporter.readTensor(Files.readAllBytes(vec.resolve("output_0.pb")), "output_0.pb");
        ImportedNetwork back = OnnxImporter.read(tmp.resolve("mnist8.onnx"), OnnxImporter.Options.DEFAULTS);
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork g = OnnxCheckpoint.build(back, m, "mnist8.onnx");
            NDArray x = m.create(in.values(), new Shape(in.shape()));
            OnnxImportTest.assertClose(out.values(), g.forward(x, false).toFloatArray(), 1e-4, "test vector");
        }
    }

    @Test
    void everyGraphOperationComesBack() throws Exception {
        // branches, residual add, concat, pad, clip, both pools, sigmoid, tanh, reshape, constant add, softmax
        ImportedNetwork net = OnnxImporter.read(GraphOperatorsTest.model(), "ops.onnx", OnnxImporter.Options.DEFAULTS);
        ImportedNetwork back = OnnxImporter.read(OnnxExporter.encode(net, Map.of()), "back.onnx",
                OnnxImporter.Options.DEFAULTS);
        assertEquals(net.spec().nodes().stream().map(n -> n.op()).toList(),
                back.spec().nodes().stream().map(n -> n.op()).toList());
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(4);
            NDArray x = m.randomNormal(new Shape(3, 2, 8, 8));
            float[] a = OnnxCheckpoint.build(net, m, "a").forward(x, false).toFloatArray();
            float[] b = OnnxCheckpoint.build(back, m, "b").forward(x, false).toFloatArray();
            assertTrue(java.util.Arrays.equals(a, b), "bit-identical");
        }
    }

    @Test
    void anExistingFileIsReplacedOnlyWithOverwrite() throws Exception {
        Path ck = builtIn("mlp-mnist", "mnist-subset");
        Path onnx = tmp.resolve("mlp.onnx");
        Files.writeString(onnx, "keep me");
        CliRun r = CliRun.of("export", "--checkpoint", ck.toString(), "--onnx", onnx.toString());
        assertTrue(r.badInput("--onnx", "exists", "--overwrite"), r.toString());
        assertEquals("keep me", Files.readString(onnx));
        CliRun o = CliRun.of("export", "--checkpoint", ck.toString(), "--onnx", onnx.toString(), "--overwrite");
        assertEquals(0, o.code(), o.toString());
        assertEquals(3, OnnxCheckpoint.analogLayers(OnnxImporter.read(onnx, OnnxImporter.Options.DEFAULTS).spec())
                .size());
    }

    @Test
    void badInputsStopWithOneLine() {
        Path ck = builtIn("cnn1d-har", "har");
        CliRun r = CliRun.of("export", "--checkpoint", ck.toString(), "--onnx", tmp.resolve("c.onnx").toString());
        assertTrue(r.badInput("cnn1d-har", "cannot be exported"), r.toString());
        assertTrue(!Files.exists(tmp.resolve("c.onnx")));
        CliRun missing = CliRun.of("export", "--checkpoint", tmp.resolve("none").toString(), "--onnx",
                tmp.resolve("d.onnx").toString());
        assertTrue(missing.badInput("none"), missing.toString());
        CliRun dir = CliRun.of("export", "--checkpoint", ck.toString(), "--onnx", tmp.toString());
        assertTrue(dir.badInput("--onnx", "folder"), dir.toString());
    }
}
