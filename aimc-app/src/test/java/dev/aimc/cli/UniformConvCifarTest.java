package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aimc train --uniform-scaling on a convolutional network (LeNet-5, CIFAR-10, a few hundred training images): the
 * checkpoint records a design for both convolutions and the three fully connected layers, with their tile signs, and
 * aimc evaluate on an ideal device maps every layer onto its design's tiles (per-tile-sign tiles where signed) and
 * gives the accuracy training recorded; --cost costs it. Needs AIMC_DATA (CIFAR-10).
 */
class UniformConvCifarTest {
    @TempDir Path dir;

    @Test
    void lenet5TrainsOnItsUniformDesignAndEvaluatesOnItsTiles() throws Exception {
        assumeTrue(System.getenv("AIMC_DATA") != null, "AIMC_DATA not set: CIFAR-10 needed");
        Path ck = dir.resolve("us");
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute("train", "--model", "lenet5", "--dataset", "cifar10", "--epochs", "1",
                "--train-limit", "384", "--batch", "64", "--out", ck.toString(), "--threads", "1", "--no-progress",
                "--uniform-scaling", "--cell-bits", "2", "--tile-signs", "3=+", "--tile-signs", "11=-"),
                err.toString());
        CheckpointMeta meta = Checkpoint.readMeta(ck);
        Map<?, ?> layers = (Map<?, ?>) meta.uniformScaling.get("layers");
        assertEquals(Set.of("0", "3", "7", "9", "11"), layers.keySet());
        assertEquals(1, new java.util.HashSet<>(layers.values()).size(), "one design for all layers");
        assertEquals(Map.of("3", "+", "11", "-"), meta.uniformScaling.get("tileSigns"));
        Path ev = dir.resolve("ev");
        StringWriter e2 = new StringWriter();
        var cl2 = Main.commandLine();
        cl2.setErr(new PrintWriter(e2));
        assertEquals(0, cl2.execute("evaluate", "--checkpoint", ck.toString(), "--device", "ideal", "--times", "1",
                "--repeats", "1", "--compensation", "none", "--cost", "--out", ev.toString(), "--threads", "1",
                "--no-progress"), e2.toString());
        JsonNode r = new ObjectMapper().readTree(Files.readString(ev.resolve("results.json")));
        assertEquals(meta.testAccuracy, r.get("summary").get(0).get("mean").asDouble(), 1e-9);
        JsonNode tiles = r.get("configuration").get("layerTiles");
        assertEquals("DIFFERENTIAL", tiles.get("0").get("mapping").asText());
        assertEquals("PER_TILE_SIGN", tiles.get("3").get("mapping").asText());
        assertEquals("FIXED", tiles.get("3").get("weightScaling").asText());
        assertEquals(5, r.get("cost").get("analogLayers").asInt());
        assertTrue(r.get("cost").get("energyPj").asDouble() > 0);
    }
}
