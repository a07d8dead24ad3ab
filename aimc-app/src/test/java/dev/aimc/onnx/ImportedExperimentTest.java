package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.results.EvaluationResult;
import dev.aimc.runner.ExperimentFile;
import dev.aimc.runner.ExperimentRunner;
import dev.aimc.util.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment file names an imported network: {@code model: graph} with the {@code checkpoint} aimc import wrote
 * (before: "model must be one of mlp-mnist, ..."), evaluated on PCM like a reference network.
 */
class ImportedExperimentTest {
    @TempDir
    Path dir;

    private static final String FILE = """
            name: imported
            dataset: mnist-subset
            networks:
              - name: mnist8
                model: graph
                checkpoint: ck/mnist8
            evaluation:
              times: [1d]
              repeats: 1
              compensations: [gdc]
              testLimit: 200
            """;

    @Test
    void anImportedCheckpointIsEvaluated() throws Exception {
        OnnxCheckpoint.write(SharedModels.model(SharedModels.MNIST8), dir.resolve("ck/mnist8"), "mnist-subset", 255,
                new float[] {0f}, new float[] {1f}, OnnxImporter.Options.DEFAULTS);
        Path f = dir.resolve("exp.yaml");
        Files.writeString(f, FILE);
        ExperimentFile ef = ExperimentFile.load(f);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExperimentRunner.Outcome o = ExperimentRunner.run(ef, false, dir.resolve("out"), null, 1,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("network mnist8: reusing checkpoint " + dir.resolve("ck/mnist8")
                + " (epoch 0, test accuracy not measured)"), text);
        EvaluationResult r = o.results().get("mnist8");
        assertEquals(3, r.analogLayers().size());
        assertEquals(200, r.testSamples());
        double acc = r.summary("gdc", 86400).mean();
        assertTrue(acc > 0.9 && acc <= 1.0, "PCM 1 day with GDC: " + acc);
    }

    @Test
    void graphNeedsACheckpointAndNoTraining() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, FILE.replace("    checkpoint: ck/mnist8\n", "    train: {epochs: 1}\n"));
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentFile.load(f));
        assertTrue(e.getMessage().contains("model") && e.getMessage().contains("needs a checkpoint"), e.getMessage());
        Files.writeString(f, FILE.replace("model: graph", "model: graf"));
        e = assertThrows(ConfigException.class, () -> ExperimentFile.load(f));
        assertTrue(e.getMessage().contains("or graph"), e.getMessage());
    }
}
