package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.GraphNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Imports the shared public ONNX models and reproduces their reference outputs. */
class OnnxImportTest {

    static void assertClose(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double tol = rel * Math.max(1.0, Math.abs(want[i]));
            assertTrue(Math.abs(want[i] - got[i]) <= tol,
                    what + "[" + i + "]: want " + want[i] + ", got " + got[i] + " (tolerance " + tol + ")");
        }
    }

    @Test
    void mnist8ReproducesTheModelZooTestVector() throws Exception {
        Path model = SharedModels.model(SharedModels.MNIST8);
        Path vec = model.getParent().resolve("test_data_set_0");
        Tensor in = OnnxImporter.readTensor(Files.readAllBytes(vec.resolve("input_0.pb")), "input_0.pb");
        Tensor out = OnnxImporter.readTensor(Files.readAllBytes(vec.resolve("output_0.pb")), "output_0.pb");
        ImportedNetwork net = OnnxImporter.read(model, OnnxImporter.Options.DEFAULTS);
        assertEquals(8, net.opset());
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork g = OnnxCheckpoint.build(net, m, model.toString());
            NDArray x = m.create(in.values(), new Shape(in.shape()));
            float[] y = g.forward(x, false).toFloatArray();
            assertClose(out.values(), y, 1e-4, "mnist-8 output_0");
        }
    }
}
