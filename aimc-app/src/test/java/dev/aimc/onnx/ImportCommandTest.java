package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.nn.GraphSpec;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aimc import} of mnist-8 onto the embedded MNIST subset, then every command on the checkpoint: accuracy,
 * evaluate (PCM over time), train --init with hardware-aware training, program, and the RRAM variation commands
 * (variation with compensation, quant-search, place-compensation).
 */
class ImportCommandTest {
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
    void everyCommandRunsOnAnImportedCheckpoint() throws Exception {
        Path model = SharedModels.model(SharedModels.MNIST8);
        Path ck = tmp.resolve("mnist8");
        CliRun imp = CliRun.of("import", model.toString(), "--out", ck.toString(), "--dataset", "mnist-subset");
        assertEquals(0, imp.code(), imp.toString());
        CheckpointMeta meta = Checkpoint.readMeta(ck);
        assertEquals(GraphSpec.ARCHITECTURE, meta.architecture);
        assertEquals("2f06e72de813a8635c9bc0397ac447a601bdbfa7df4bebc278723b958831c9bf", meta.source.sha256);
        assertEquals(8, meta.source.opset);
        assertEquals(1f / 255f, meta.normalization.scale);
        assertEquals(3, OnnxCheckpoint.analogLayers(meta.graph).size());

        // 1,964 of the subset's 2,000 test images (aimc accuracy, same number each run)
        String acc = stdout(() -> assertEquals(0, CliRun.of("accuracy", "--checkpoint", ck.toString(), "--threads",
                "2").code()));
        assertTrue(acc.contains("test accuracy 98.20% on 2,000 samples"), acc);

        Path eval = tmp.resolve("eval");
        CliRun ev = CliRun.of("evaluate", "--checkpoint", ck.toString(), "--times", "1,86400", "--repeats", "1",
                "--out", eval.toString(), "--threads", "2", "--no-progress", "--cost");
        assertEquals(0, ev.code(), ev.toString());
        // --cost of a graph network (it was costed as a zoo network, which failed after the evaluation)
        com.fasterxml.jackson.databind.JsonNode cost = dev.aimc.report.Json.PRETTY.readTree(
                eval.resolve("results.json").toFile()).get("configuration").get(dev.aimc.report.DesignCost.KEY);
        assertTrue(cost != null && cost.get("tiles").asInt() == 3 && cost.get("energyPj").asDouble() > 0,
                String.valueOf(cost));

        Path tuned = tmp.resolve("hwa");
        CliRun tr = CliRun.of("train", "--model", "graph", "--init", ck.toString(), "--dataset", "mnist-subset",
                "--epochs", "1", "--train-limit", "256", "--lr", "0.001", "--hwa", "--noise-kind", "pcm", "--out",
                tuned.toString(), "--threads", "2", "--no-progress");
        assertEquals(0, tr.code(), tr.toString());
        CheckpointMeta tm = Checkpoint.readMeta(tuned);
        assertEquals(meta.graph.nodes().size(), tm.graph.nodes().size());
        assertEquals(meta.source.sha256, tm.source.sha256);

        String layer = meta.graph.nodes().get(0).name();
        CliRun pr = CliRun.of("program", "--method", "verify", "--weights", ck + ":" + layer, "--out",
                tmp.resolve("prog").toString());
        assertEquals(0, pr.code(), pr.toString());

        // the RRAM variation commands size compensation and cost from the checkpoint's graph (they asked the model zoo
        // for the input shape of "graph" and failed)
        String last = String.join(",", OnnxCheckpoint.analogLayers(meta.graph)).replaceAll(".*,", "");
        CliRun va = CliRun.of("variation", "--checkpoint", ck.toString(), "--sigma", "0.3", "--chips", "2",
                "--test-limit", "100", "--compensate", last, "--comp-train-limit", "128", "--threads", "2", "--json",
                tmp.resolve("v.json").toString());
        assertEquals(0, va.code(), va.toString());
        assertTrue(va.out().contains("compensation after [" + last + "] trained at σ=0.3"), va.out());
        CliRun qs = CliRun.of("quant-search", "--checkpoint", ck.toString(), "--sigma", "0.3", "--chips", "2",
                "--val-limit", "100", "--max-evaluations", "2", "--test-limit", "50", "--threads", "2", "--json",
                tmp.resolve("q.json").toString());
        assertEquals(0, qs.code(), qs.toString());
        CliRun pc = CliRun.of("place-compensation", "--checkpoint", ck.toString(), "--sigma", "0.3", "--chips", "2",
                "--val-limit", "100", "--episodes", "2", "--comp-train-limit", "128", "--test-limit", "0", "--threads",
                "2", "--json", tmp.resolve("p.json").toString());
        assertEquals(0, pc.code(), pc.toString());
        assertTrue(pc.out().contains("candidate layers [" + String.join(", ", OnnxCheckpoint.analogLayers(meta.graph))
                + "]"), pc.out());
    }

    @Test
    void graphModelNeedsACheckpointWithAGraph() {
        CliRun r = CliRun.of("train", "--model", "graph", "--dataset", "mnist-subset", "--out",
                tmp.resolve("x").toString());
        assertTrue(r.badInput("--model graph", "--init"), r.toString());
    }
}
