package dev.aimc.onnx;

import static dev.aimc.onnx.TinyOnnx.i;
import static dev.aimc.onnx.TinyOnnx.intsAttr;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What cannot be imported stops {@code aimc import} with one line naming the file, the node, its operator type and
 * what is missing, exit status 2, and nothing written.
 */
class ImportErrorsTest {
    @TempDir
    Path tmp;

    /** conv 3x3 (1→2 channels) → relu → flatten → gemm 2·4·4 → 3. */
    private static TinyOnnx convNet() {
        return new TinyOnnx(13, "x", 1, 1, 6, 6).weight("w", 2, 1, 3, 3).weight("b", 2)
                .node("conv1", "Conv", List.of("x", "w", "b"), "c", intsAttr("kernel_shape", 3, 3))
                .node("act", "Relu", List.of("c"), "r")
                .node("flat", "Flatten", List.of("r"), "f")
                .weight("wf", 3, 32).weight("bf", 3)
                .node("fc", "Gemm", List.of("f", "wf", "bf"), "y", i("transB", 1));
    }

    private CliRun importBytes(byte[] model) throws Exception {
        Path f = tmp.resolve("model.onnx");
        Files.write(f, model);
        return CliRun.of("import", f.toString(), "--out", tmp.resolve("ck").toString(), "--dataset", "mnist");
    }

    private void assertRefused(CliRun r, String... parts) {
        assertTrue(r.badInput(parts), r.toString() + " should contain " + Arrays.toString(parts));
        assertFalse(Files.exists(tmp.resolve("ck")), "nothing written");
    }

    @Test
    void aWellFormedNetworkImports() throws Exception {
        CliRun r = importBytes(convNet().bytes("y", 1, 3));
        // the tiny net has 1x6x6 inputs, not MNIST's, which import does not check: the checkpoint is written
        assertTrue(r.code() == 0, r.toString());
        assertTrue(Files.exists(tmp.resolve("ck").resolve("model.json")));
    }

    @Test
    void unsupportedOperatorNamesTheNodeAndType() throws Exception {
        byte[] m = convNet().node("shape_of", "Shape", List.of("y"), "s").bytes("y", 1, 3);
        assertRefused(importBytes(m), "model.onnx", "'shape_of'", "(Shape)", "operator not supported");
    }

    @Test
    void unsupportedAttributeNamesTheAttribute() throws Exception {
        byte[] m = new TinyOnnx(13, "x", 1, 2, 6, 6).weight("w", 2, 1, 3, 3)
                .node("grouped", "Conv", List.of("x", "w"), "c", i("group", 3))
                .node("flat", "Flatten", List.of("c"), "y").bytes("y", 1, 32);
        assertRefused(importBytes(m), "'grouped'", "(Conv)", "group 3 for 2 input and 2 output channels");
        byte[] unknown = new TinyOnnx(13, "x", 1, 4).node("act", "Relu", List.of("x"), "y", i("frobnicate", 1))
                .bytes("y", 1, 4);
        assertRefused(importBytes(unknown), "'act'", "(Relu)", "attribute frobnicate is not supported");
    }

    @Test
    void inconsistentShapesAreRefused() throws Exception {
        byte[] m = new TinyOnnx(13, "x", 1, 1, 6, 6).weight("w", 2, 1, 3, 3)
                .node("conv1", "Conv", List.of("x", "w"), "c")
                .node("flat", "Flatten", List.of("c"), "f")
                .weight("wf", 3, 31)
                .node("fc", "Gemm", List.of("f", "wf"), "y", i("transB", 1)).bytes("y", 1, 3);
        assertRefused(importBytes(m), "'fc'", "(Gemm)", "inconsistent shapes");
        byte[] wrongOut = convNet().bytes("y", 1, 4);
        assertRefused(importBytes(wrongOut), "inconsistent shapes", "output y");
    }

    @Test
    void notOnnxAndTruncatedFilesAreRefused() throws Exception {
        assertRefused(importBytes("this is not a model\n".getBytes()), "model.onnx", "not an ONNX model");
        byte[] good = convNet().bytes("y", 1, 3);
        assertRefused(importBytes(Arrays.copyOf(good, good.length / 2)), "model.onnx");
        assertRefused(importBytes(new byte[0]), "not an ONNX model");
    }

    @Test
    void anOpsetOutsideSevenToSeventeenIsRefused() throws Exception {
        byte[] m = new TinyOnnx(18, "x", 1, 4).node("act", "Relu", List.of("x"), "y").bytes("y", 1, 4);
        assertRefused(importBytes(m), "opset 18");
    }

    @Test
    void anExistingCheckpointIsNotReplaced() throws Exception {
        Path f = tmp.resolve("model.onnx");
        Files.write(f, convNet().bytes("y", 1, 3));
        Path ck = tmp.resolve("ck");
        String[] args = {"import", f.toString(), "--out", ck.toString(), "--dataset", "mnist"};
        assertTrue(CliRun.of(args).code() == 0);
        byte[] before = Files.readAllBytes(ck.resolve("model.params"));
        CliRun again = CliRun.of(args);
        assertTrue(again.badInput("--out", "already holds a checkpoint"), again.toString());
        assertTrue(Arrays.equals(before, Files.readAllBytes(ck.resolve("model.params"))));
    }
}
