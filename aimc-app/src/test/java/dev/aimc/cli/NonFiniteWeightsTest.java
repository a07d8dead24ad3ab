package dev.aimc.cli;

import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.train.DemoRunner;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.util.InPlace;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 3: NaN or infinite weights are refused where checkpoints are read, and a run whose loss or weights
 * become non-finite stops with one line, exit status 2, keeping the last good checkpoint.
 */
class NonFiniteWeightsTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** An mlp-mnist checkpoint whose {@code 1.weight} holds {@code bad} at index 7. */
    static Path poisoned(Path dir, float bad) {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("mlp-mnist", m, 1);
            NDArray w = net.namedParameters().get("1.weight");
            float[] v = w.toFloatArray();
            v[7] = bad;
            InPlace.assign(w, v);
            CheckpointMeta meta = new CheckpointMeta();
            meta.architecture = "mlp-mnist";
            meta.dataset = "mnist-subset";
            meta.training = DemoRunner.config("mlp-mnist", 1, 0);
            meta.epoch = 1;
            meta.testAccuracy = 0.1;
            Checkpoint.save(dir, net, null, meta);
        }
        return dir;
    }

    @Test
    void nanOrInfiniteWeightsAreRefusedOnLoad(@TempDir Path tmp) {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Path ck = poisoned(tmp.resolve("ck" + bad), bad);
            try (NDManager m = NDManager.newBaseManager()) {
                DataFormatException e = assertThrows(DataFormatException.class, () -> Checkpoint.load(ck, m));
                assertTrue(e.getMessage().contains("model.params: array 1.weight holds 1 NaN or infinite value "
                        + "(first at index 7: " + bad + ")"), e.getMessage());
            }
        }
    }

    @Test
    void everyCommandRefusesANanCheckpoint(@TempDir Path tmp) {
        Path ck = poisoned(tmp.resolve("ck"), Float.NaN);
        Path report = tmp.resolve("report");
        // before: eval 10 %, evaluate a normal report, program a NaN MVM error, train --init saved NaNs; all exit 0
        String[][] commands = {
            {"eval", "--checkpoint", ck.toString()},
            {"evaluate", "--checkpoint", ck.toString(), "--out", report.toString(), "--repeats", "1", "--times", "1",
                "--test-limit", "50", "--no-progress", "--threads", "1"},
            {"program", "--weights", ck.toString(), "--method", "oneshot", "--out", tmp.resolve("prog").toString()},
            {"train", "--model", "mlp-mnist", "--init", ck.toString(), "--out", tmp.resolve("tuned").toString(),
                "--epochs", "1", "--train-limit", "128", "--no-progress", "--threads", "1"},
        };
        for (String[] c : commands) {
            CliRun r = CliRun.of(c);
            assertTrue(r.badInput("model.params", "1.weight", "NaN"), c[0] + ": " + r);
        }
        assertFalse(Files.exists(report.resolve("report.html")));
        assertFalse(Files.exists(tmp.resolve("tuned").resolve(Checkpoint.META)));
    }

    @Test
    void aDivergingRunStopsWithoutWritingACheckpoint(@TempDir Path tmp) {
        Path out = tmp.resolve("ck");
        // before: exit 0 and a checkpoint full of NaNs
        CliRun r = CliRun.of("train", "--model", "mlp-mnist", "--lr", "1e6", "--epochs", "2", "--train-limit", "512",
                "--batch", "64", "--out", out.toString(), "--no-progress", "--threads", "1");
        assertTrue(r.badInput("training diverged in epoch 1/2", "lower --lr", "no checkpoint written"), r.toString());
        assertFalse(Files.exists(out.resolve(Checkpoint.META)));
    }

    @Test
    void aRunDivergingLaterKeepsItsLastGoodEpoch(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("ck");
        TrainConfig c = DemoRunner.config("mlp-mnist", 2, 3);
        c.optimizer = "sgd";
        c.lr = 0.05;
        c.trainLimit = 512;
        c.threads = 1;
        c.progress = false;
        c.stopAfter = 1;
        TrainRun.run(c, out, false, null, QUIET);
        byte[] good = Files.readAllBytes(out.resolve(Checkpoint.PARAMS));
        String json = Files.readString(out.resolve(Checkpoint.META));
        assertTrue(json.contains("\"lr\": 0.05"), json);
        Files.writeString(out.resolve(Checkpoint.META), json.replace("\"lr\": 0.05", "\"lr\": 1.0E6"));
        c.stopAfter = 0;
        ConfigException e = assertThrows(ConfigException.class, () -> TrainRun.run(c, out, true, null, QUIET));
        assertTrue(e.getMessage().startsWith("training diverged in epoch 2/2") && e.getMessage().endsWith(out
                + " keeps epoch 1 (test accuracy " + String.format(java.util.Locale.ROOT, "%.2f%%)",
                        100 * Checkpoint.readMeta(out).testAccuracy)), e.getMessage());
        assertEquals(1, Checkpoint.readMeta(out).epoch);
        assertArrayEquals(good, Files.readAllBytes(out.resolve(Checkpoint.PARAMS)));
    }
}
