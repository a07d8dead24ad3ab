package dev.aimc.cli;

import dev.aimc.util.ConfigException;
import dev.aimc.util.OutputPaths;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.models.Models;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.train.DemoRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: output paths are checked before the work, with a message that says what is wrong (a file where a
 * folder is wanted, a file above it, a folder where a file is wanted); missing folders are fine (created later).
 */
class OutputPathsTest {
    @TempDir Path tmp;

    private String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void foldersAndFiles() throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        assertEquals("--out " + file + " is a file, not a folder", error(() -> OutputPaths.folder("--out", file)));
        Path below = file.resolve("a/b");
        assertEquals("--out " + below + ": cannot create the folder, " + file + " is a file, not a folder",
                error(() -> OutputPaths.folder("--out", below)));
        assertEquals("--json " + tmp + " is a folder, not a file", error(() -> OutputPaths.file("--json", tmp)));
        assertEquals("--json " + file.resolve("r.json") + ": cannot create the file, " + file
                + " is a file, not a folder", error(() -> OutputPaths.file("--json", file.resolve("r.json"))));
        // missing parents are created later by the writers; nothing is created here
        Path deep = tmp.resolve("x/y/z");
        assertEquals(deep, OutputPaths.folder("--out", deep));
        assertEquals(deep.resolve("r.json"), OutputPaths.file("--json", deep.resolve("r.json")));
        assertEquals(file, OutputPaths.file("--json", file));
        assertEquals(tmp, OutputPaths.folder("--out", tmp));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    /** Every command that writes stops at once, exit status 2, one line naming the option and the problem. */
    @Test
    void everyCommandChecksItsOutputBeforeTheWork() throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        Path ck = tmp.resolve("ck");
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointMeta meta = new CheckpointMeta();
            meta.architecture = "mlp-mnist";
            meta.dataset = "mnist-subset";
            meta.training = DemoRunner.config("mlp-mnist", 1, 0);
            Checkpoint.save(ck, Models.create("mlp-mnist", m, 1), null, meta);
        }
        String f = file.toString();
        String below = file.resolve("sub").toString();
        String[][] commands = {
            {"train", "--model", "mlp-mnist", "--epochs", "1", "--no-progress", "--out", f},
            {"train", "--model", "mlp-mnist", "--epochs", "1", "--no-progress", "--out", below},
            {"evaluate", "--checkpoint", ck.toString(), "--repeats", "1", "--no-progress", "--out", f},
            {"evaluate", "--checkpoint", ck.toString(), "--repeats", "1", "--no-progress", "--out", below},
            {"program", "--method", "oneshot", "--out", f},
            {"demo", "--epochs", "1", "--no-progress", "--out", f},
            {"mvm-error", "--rows", "8", "--cols", "8", "--json", tmp.toString()},
            {"mvm-error", "--rows", "8", "--cols", "8", "--json", file.resolve("r.json").toString()},
            {"bench", "--quick", "--workloads", "W5", "--json", tmp.toString()},
            {"run", "../experiments/quick-mnist.yaml", "--quick", "--out", f},
        };
        for (String[] c : commands) {
            CliRun r = CliRun.of(c);
            String what = c[c.length - 1].equals(tmp.toString()) ? "is a folder, not a file"
                    : c[c.length - 1].equals(f) ? "is a file, not a folder" : "cannot create the";
            // before: evaluate ran to 100 % and printed a bare path; mvm-error --json named its temporary file
            assertTrue(r.badInput(c[c.length - 2] + " " + c[c.length - 1], what), String.join(" ", c) + ": " + r);
            assertTrue(r.out().isEmpty(), String.join(" ", c) + " worked before failing: " + r.out());
        }
        assertEquals("x", Files.readString(file));
    }
}
