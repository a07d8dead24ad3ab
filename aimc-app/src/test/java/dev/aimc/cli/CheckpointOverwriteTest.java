package dev.aimc.cli;

import dev.aimc.train.Checkpoint;
import dev.aimc.train.DemoRunner;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 1: {@code aimc train --out DIR} never replaces a checkpoint unasked. */
class CheckpointOverwriteTest {
    private static final String[] SMALL = {"--epochs", "1", "--train-limit", "256", "--batch", "64", "--no-progress",
        "--threads", "1"};

    private static String[] train(Path out, String model, String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--model", model, "--out",
                out.toString()));
        a.addAll(java.util.List.of(SMALL));
        a.addAll(java.util.List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trainOverAnotherCheckpointIsRefusedUnlessOverwriteIsGiven(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("ck");
        assertEquals(0, CliRun.of(train(out, "mlp-mnist")).code());
        byte[] params = Files.readAllBytes(out.resolve(Checkpoint.PARAMS));

        // before: exit 0 and the mlp-mnist checkpoint silently replaced by lenet5-mnist
        CliRun r = CliRun.of(train(out, "lenet5-mnist"));
        assertTrue(r.badInput("already holds a checkpoint", "mlp-mnist", "--resume", "--overwrite"), r.toString());
        assertEquals("mlp-mnist", Checkpoint.readMeta(out).architecture);
        assertArrayEquals(params, Files.readAllBytes(out.resolve(Checkpoint.PARAMS)));

        // the same model again is refused too: a finished run is a result
        assertTrue(CliRun.of(train(out, "mlp-mnist")).badInput("already holds a checkpoint"));

        r = CliRun.of(train(out, "lenet5-mnist", "--overwrite"));
        assertEquals(0, r.code(), r.toString());
        assertEquals("lenet5-mnist", Checkpoint.readMeta(out).architecture);

        assertTrue(CliRun.of(train(out, "lenet5-mnist", "--overwrite", "--resume")).badInput("--overwrite",
                "--resume"));
    }

    @Test
    void demoReplacesOnlyItsOwnCheckpoint(@TempDir Path tmp) {
        Path out = tmp.resolve("ck");
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        TrainConfig other = DemoRunner.config("mlp-mnist", 1, 5);
        other.trainLimit = 256;
        other.progress = false;
        TrainRun.run(other, out, false, null, quiet);
        dev.aimc.util.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.aimc.util.ConfigException.class,
                () -> DemoRunner.trainDigital(out, "mlp-mnist", 1, 5, false, quiet));
        assertTrue(e.getMessage().contains("trained with other than this demo's settings")
                && e.getMessage().contains("--overwrite"),
                e.getMessage());
        assertEquals(256, Checkpoint.readMeta(out).training.trainLimit);
    }
}
