package dev.aimc.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.cli.Main;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * experiments/quick-mnist.yaml end to end with --quick: trains a conventional and a hardware-aware (fine-tuned,
 * PCM noise) LeNet-5 on the embedded MNIST subset, evaluates both with none/gdc/ratio, writes one report.
 */
class QuickExperimentTest {
    @TempDir Path dir;

    @Test
    void quickMnistRunsEndToEnd() throws Exception {
        Path out = dir.resolve("out");
        int code = Main.commandLine().execute("run", "../experiments/quick-mnist.yaml", "--quick", "--out",
                out.toString(), "--threads", "1");
        assertEquals(0, code);
        for (String f : new String[] {"results.json", "results.csv", "accuracy_vs_time.png", "report.html",
                "summary.json", "summary.md", "gains.csv", "conventional/results.json", "hwa/results.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        // Before: --quick trained on 600 images for 1 epoch, 11-16 % (chance 10 %), so the gains were noise.
        for (String net : new String[] {"conventional", "hwa"}) {
            double acc = Checkpoint.readMeta(out.resolve("checkpoints").resolve(net)).testAccuracy;
            assertTrue(acc > 0.75, net + " digital test accuracy " + acc + " is not well above chance");
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h2>Gains: hwa minus conventional (smoke output)</h2>"), "gains in the HTML");
        assertTrue(html.contains("Quick run: smoke output."));
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.contains("conventional/gdc") && csv.contains("hwa/ratio"), csv);
        assertEquals(1 + 3 * 2, Files.readString(out.resolve("gains.csv")).strip().split("\n").length);
        // evaluation.cost: each network's cost in its results.json, both in the combined report and its plot
        com.fasterxml.jackson.databind.JsonNode cost = dev.aimc.report.Json.PRETTY.readTree(
                out.resolve("hwa/results.json").toFile()).get("cost");
        assertEquals(5, cost.get("analogLayers").asInt()); // lenet5-mnist: 2 conv + 3 linear
        assertEquals(cost.get("energyPj").asDouble(), dev.aimc.report.Json.PRETTY.readTree(
                out.resolve("results.json").toFile()).get("costPerNetwork").get("hwa").get("energyPj").asDouble());
        assertTrue(Files.size(out.resolve("accuracy_vs_cost.png")) > 0);
        // the combined report's per-network digital accuracy is the one measured on the evaluated test images (its
        // line says "on N test samples"), not the checkpoint's figure on the whole test split
        com.fasterxml.jackson.databind.JsonNode combined = dev.aimc.report.Json.PRETTY.readTree(
                out.resolve("results.json").toFile());
        for (String n : new String[] {"conventional", "hwa"}) {
            assertEquals(dev.aimc.report.Json.PRETTY.readTree(out.resolve(n + "/results.json").toFile())
                    .get("digitalAccuracy").asDouble(), combined.get("configuration").get("digitalAccuracyPerNetwork")
                    .get(n).asDouble(), n);
        }
        assertTrue(html.contains("alt=\"accuracy vs energy\""));

        // the HWA checkpoint records its settings and its init, and loads back as a plain network
        Path hwa = out.resolve("checkpoints/hwa");
        CheckpointMeta meta = Checkpoint.readMeta(hwa);
        assertNotNull(meta.hwa);
        assertEquals("pcm", meta.hwa.get("noiseKind"));
        assertEquals(2.5, ((Number) meta.hwa.get("clipValue")).doubleValue());
        assertTrue(meta.initCheckpoint.endsWith("conventional"), meta.initCheckpoint);
        assertNull(Checkpoint.readMeta(out.resolve("checkpoints/conventional")).hwa);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(hwa, m);
            Map<String, ?> params = ck.model().namedParameters();
            assertTrue(params.containsKey("0.weight") && !params.keySet().stream().anyMatch(k -> k.contains("outScale")));
        }
    }
}
