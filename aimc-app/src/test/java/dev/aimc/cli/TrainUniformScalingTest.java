package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.nn.uniform.UniformTraining;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc train --uniform-scaling: one design for every layer recorded in the checkpoint, kept on resume; errors. */
class TrainUniformScalingTest {
    @TempDir Path dir;

    private static String[] train(Path out, int epochs, String... more) {
        String[] base = {"train", "--model", "mlp-mnist", "--epochs", Integer.toString(epochs), "--train-limit", "256",
            "--batch", "64", "--out", out.toString(), "--threads", "1", "--no-progress"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void recordsOneDesignForEveryLayerAndResumesWithIt() {
        Path out = dir.resolve("us");
        assertEquals(0, Main.commandLine().execute(train(out, 1, "--uniform-scaling", "--cell-bits", "2",
                "--uniform-adc-bits", "6", "--uniform-weight-range", "0.25")));
        CheckpointMeta meta = Checkpoint.readMeta(out);
        assertEquals("uniform", meta.uniformScaling.get("design"));
        Map<?, ?> layers = (Map<?, ?>) meta.uniformScaling.get("layers");
        assertEquals(java.util.Set.of("1", "3", "5"), layers.keySet());
        assertEquals(1, new java.util.HashSet<>(layers.values()).size(), "one design for all layers: " + layers);
        Map<?, ?> one = (Map<?, ?>) layers.get("3");
        assertEquals(0.25, ((Number) one.get("weightRange")).doubleValue(), 0);
        assertEquals(2, ((Number) one.get("cellBits")).intValue());
        assertEquals(6, ((Number) one.get("adcBits")).intValue());
        try (NDManager m = NDManager.newBaseManager()) {
            float max = Checkpoint.load(out, m).model().namedParameters().get("1.weight").abs().max().getFloat();
            assertTrue(max <= 0.25f, "latent weights clipped to ±W: " + max);
        }
        assertEquals(0, Main.commandLine().execute(train(out, 2, "--resume")));
        CheckpointMeta after = Checkpoint.readMeta(out);
        assertEquals(2, after.epoch);
        assertEquals(meta.uniformScaling.get("layers"), after.uniformScaling.get("layers"), "recorded designs kept");
        // resuming with other uniform-scaling options is an error naming them (they would be ignored)
        StringWriter rerr = new StringWriter();
        var rcl = Main.commandLine();
        rcl.setErr(new PrintWriter(rerr));
        assertEquals(2, rcl.execute(train(out, 3, "--resume", "--uniform-scaling", "--cell-bits", "4")));
        assertTrue(rerr.toString().contains("--uniform-scaling") && rerr.toString().contains("cellBits=4")
                && rerr.toString().contains("cellBits=2"), rerr.toString());
        // aimc accuracy evaluates the quantized network on its converters: the accuracy recorded by training
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.commandLine().execute("accuracy", "--checkpoint", out.toString(), "--threads", "1"));
        } finally {
            System.setOut(old);
        }
        String printed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "test accuracy %.2f%%",
                100 * after.testAccuracy)) && printed.contains("uniform design"), printed);
        // the per-layer design gives each layer its own ranges
        Path per = dir.resolve("per");
        assertEquals(0, Main.commandLine().execute(train(per, 1, "--uniform-scaling", "--converter-design",
                "per-layer")));
        Map<?, ?> pl = (Map<?, ?>) Checkpoint.readMeta(per).uniformScaling.get("layers");
        assertEquals(3, new java.util.HashSet<>(pl.values()).size());
        try (NDManager m = NDManager.newBaseManager()) {
            UniformTraining.Conversion c = UniformTraining.prepare(Checkpoint.load(per, m).model(), null,
                    Checkpoint.readMeta(per).uniformScaling, null);
            assertTrue(!UniformTraining.isUniform(c.net()));
        }
    }

    @Test
    void badOptionsExitTwoNamingTheOption() {
        String[][] cases = {
            {"--uniform-scaling", "--cell-bits", "9"}, {"--cell-bits"},
            {"--uniform-scaling", "--hwa"}, {"--hwa"},
            {"--uniform-scaling", "--weight-polarity", "both"}, {"--weight-polarity"},
            {"--uniform-scaling", "--converter-design", "per-layer", "--uniform-adc-range", "4"}, {"--uniform-adc-range"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            StringWriter err = new StringWriter();
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(train(dir.resolve("bad" + i), 1, cases[i])), err.toString());
            assertTrue(err.toString().contains(cases[i + 1][0]) && err.toString().strip().lines().count() == 1,
                    err.toString());
        }
    }
}
