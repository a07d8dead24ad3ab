package dev.aimc.cli;

import dev.aimc.train.Checkpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 12: {@code --resume} keeps the checkpoint's settings and says so; options given with other values
 * are refused instead of silently ignored; with no checkpoint yet it says that it starts at epoch 1.
 */
class ResumeOptionsTest {
    private static String[] train(Path out, String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--out", out.toString(),
                "--train-limit", "256", "--batch", "64", "--no-progress", "--threads", "1"));
        a.addAll(java.util.List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void resumeRefusesConflictingOptionsAndNamesTheOnesItTakesFromTheCheckpoint(@TempDir Path tmp) {
        Path out = tmp.resolve("ck");
        CliRun r = CliRun.of(train(out, "--model", "mlp-mnist", "--epochs", "1", "--optimizer", "adam", "--lr",
                "0.002"));
        assertEquals(0, r.code(), r.toString());

        // before: --model and --lr silently ignored, exit 0
        r = CliRun.of(train(out, "--model", "lenet5-mnist", "--epochs", "2", "--resume"));
        assertTrue(r.badInput("--resume", "--model lenet5-mnist (recorded: mlp-mnist)"), r.toString());
        r = CliRun.of(train(out, "--model", "mlp-mnist", "--epochs", "2", "--resume", "--lr", "0.01"));
        assertTrue(r.badInput("--lr 0.01 (recorded: 0.002)"), r.toString());
        assertEquals(1, Checkpoint.readMeta(out).epoch);

        // the recorded values themselves are fine; defaults that differ are taken from the checkpoint, with a note
        r = CliRun.of(train(out, "--model", "mlp-mnist", "--epochs", "2", "--resume", "--lr", "0.002"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("aimc: note: --resume takes from the checkpoint: --optimizer adam (default here:"
                + " sgd)"), r.err());
        assertEquals(2, Checkpoint.readMeta(out).epoch);
        assertEquals("adam", Checkpoint.readMeta(out).training.optimizer);
    }

    @Test
    void resumeWithoutACheckpointSaysItStartsAtEpochOne(@TempDir Path tmp) {
        Path out = tmp.resolve("new");
        // before: trained from scratch without a word
        CliRun r = CliRun.of(train(out, "--model", "mlp-mnist", "--epochs", "1", "--resume"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("aimc: note: --resume: " + out + " holds no checkpoint yet; training starts at "
                + "epoch 1"), r.err());
        assertTrue(Files.exists(out.resolve(Checkpoint.META)));
    }
}
