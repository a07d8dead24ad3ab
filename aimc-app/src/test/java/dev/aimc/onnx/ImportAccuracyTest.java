package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.CliRun;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimc import --evaluate} records the digital test accuracy; without it the checkpoint says the accuracy was
 * not measured, and {@code train --init} says so instead of printing "test accuracy 0.00%".
 */
class ImportAccuracyTest {
    @TempDir
    Path tmp;

    private static String stdout(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return b.toString();
    }

    @Test
    void evaluateRecordsTheTestAccuracy() {
        Path ck = tmp.resolve("measured");
        String out = stdout(() -> assertEquals(0, CliRun.of("import", SharedModels.model(SharedModels.MNIST8)
                .toString(), "--out", ck.toString(), "--dataset", "mnist-subset", "--evaluate").code()));
        CheckpointMeta meta = Checkpoint.readMeta(ck);
        // 1,964 of the embedded subset's 2,000 test images, as aimc accuracy measures on the same checkpoint
        assertEquals(0.982, meta.testAccuracy, 1e-12);
        assertEquals(0.982, meta.source.testAccuracy, 1e-12);
        assertTrue(meta.testAccuracyMeasured());
        assertTrue(out.contains("test accuracy 98.20%"), out);
    }

    @Test
    void withoutEvaluateTheAccuracyIsNotMeasuredNotZero() throws Exception {
        Path ck = tmp.resolve("plain");
        String out = stdout(() -> assertEquals(0, CliRun.of("import", SharedModels.model(SharedModels.MNIST8)
                .toString(), "--out", ck.toString(), "--dataset", "mnist-subset").code()));
        assertTrue(out.contains("test accuracy not measured"), out);
        CheckpointMeta meta = Checkpoint.readMeta(ck);
        assertNull(meta.source.testAccuracy);
        assertFalse(meta.testAccuracyMeasured());

        Path tuned = tmp.resolve("tuned");
        String log = stdout(() -> assertEquals(0, CliRun.of("train", "--model", "graph", "--init", ck.toString(),
                "--dataset", "mnist-subset", "--epochs", "1", "--train-limit", "64", "--lr", "0.001", "--out",
                tuned.toString(), "--threads", "2", "--no-progress").code()));
        assertTrue(log.contains("(epoch 0, test accuracy not measured)"), log); // before: "test accuracy 0.00%"
        assertFalse(log.contains("accuracy 0.00%"), log);
        CheckpointMeta tm = Checkpoint.readMeta(tuned);
        assertNull(tm.initTestAccuracy);
        assertTrue(tm.testAccuracyMeasured());
        assertTrue(Files.exists(tuned.resolve(Checkpoint.PARAMS)));
    }

    @Test
    void evaluateWithoutDataWritesNothing() {
        Path ck = tmp.resolve("nodata");
        CliRun r = CliRun.of("import", SharedModels.model(SharedModels.MNIST8).toString(), "--out", ck.toString(),
                "--dataset", "mnist", "--evaluate", "--data-dir", tmp.resolve("no-data").toString());
        assertEquals(2, r.code(), r.toString());
        assertFalse(Files.exists(ck.resolve(Checkpoint.META)), r.toString());
    }
}
