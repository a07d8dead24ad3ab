package dev.aimc.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 2 (and the checkpoint paths of item 13): {@code aimc run} reuses a network's checkpoint only when
 * it was trained with the file's settings for all its epochs, resumes an unfinished one, and stops otherwise;
 * checkpoint paths are relative to the YAML file.
 */
class ExperimentReuseTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static final String FILE = """
            name: reuse
            dataset: mnist-subset
            networks:
              - name: a
                model: mlp-mnist
                checkpoint: ck/a
                evaluate: false
                train: {epochs: 2, batch: 64, lr: 0.05, seed: 1, trainLimit: 256}
            """;

    @TempDir Path dir;

    private ExperimentFile write(String yaml) throws Exception {
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, yaml);
        return ExperimentFile.load(f);
    }

    private String run(ExperimentFile f) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExperimentRunner.run(f, false, dir.resolve("out"), null, 1, new PrintStream(log, true, StandardCharsets.UTF_8));
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anInterruptedCheckpointIsResumedNotReusedAsFinal() throws Exception {
        ExperimentFile f = write(FILE);
        Path ck = dir.resolve("ck/a"); // relative to the YAML file, not to the working directory
        assertEquals(ck, f.resolve(f.networks().get(0).checkpoint()));
        TrainConfig tc = ExperimentRunner.trainConfig(f, f.networks().get(0), false);
        tc.threads = 1;
        tc.stopAfter = 1; // interrupted after epoch 1 of 2
        TrainRun.run(tc, ck, false, null, QUIET);
        assertEquals(1, Checkpoint.readMeta(ck).epoch);

        // before: "reusing checkpoint ... (epoch 1 ...)" and the half-trained network evaluated as final
        String log = run(f);
        assertTrue(log.contains("resuming unfinished checkpoint " + ck + " (1 of 2 epochs)"), log);
        assertEquals(2, Checkpoint.readMeta(ck).epoch);

        // bit-identical to an uninterrupted run
        TrainConfig straight = ExperimentRunner.trainConfig(f, f.networks().get(0), false);
        straight.threads = 1;
        TrainRun.run(straight, dir.resolve("straight"), false, null, QUIET);
        assertArrayEquals(Files.readAllBytes(dir.resolve("straight").resolve(Checkpoint.PARAMS)),
                Files.readAllBytes(ck.resolve(Checkpoint.PARAMS)));

        // finished with the same settings: reused as is
        byte[] params = Files.readAllBytes(ck.resolve(Checkpoint.PARAMS));
        log = run(f);
        assertTrue(log.contains("reusing checkpoint " + ck + " (2 of 2 epochs, same settings"), log);
        assertArrayEquals(params, Files.readAllBytes(ck.resolve(Checkpoint.PARAMS)));
    }

    @Test
    void anEditedFileDoesNotSilentlyReuseAStaleCheckpoint() throws Exception {
        run(write(FILE));
        Path ck = dir.resolve("ck/a");
        byte[] params = Files.readAllBytes(ck.resolve(Checkpoint.PARAMS));
        // before: reused with lr 0.05 although the file now says 0.01
        ExperimentFile edited = write(FILE.replace("lr: 0.05", "lr: 0.01"));
        ConfigException e = assertThrows(ConfigException.class, () -> run(edited));
        assertTrue(e.getMessage().contains("networks.a.checkpoint " + ck + " was not trained with this file's "
                + "settings (train.lr 0.01, the checkpoint has 0.05)"), e.getMessage());
        ExperimentFile shorter = write(FILE.replace("epochs: 2", "epochs: 1"));
        e = assertThrows(ConfigException.class, () -> run(shorter));
        assertTrue(e.getMessage().contains("train.epochs 1, the checkpoint has 2"), e.getMessage());
        ExperimentFile other = write(FILE.replace("model: mlp-mnist", "model: lenet5-mnist"));
        e = assertThrows(ConfigException.class, () -> run(other));
        assertTrue(e.getMessage().contains("it holds mlp-mnist, model is lenet5-mnist"), e.getMessage());
        assertArrayEquals(params, Files.readAllBytes(ck.resolve(Checkpoint.PARAMS)));
    }
}
