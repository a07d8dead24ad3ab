package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.train.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aimc evaluate on a --uniform-scaling checkpoint programs its recorded design (weights on their cells, each layer's
 * fixed weight scale W, DAC range A, ADC full scale R and resolutions): with an ideal device it gives the accuracy
 * that training recorded (and aimc accuracy prints); tile options the design fixes, and aimc program, are refused.
 */
class EvaluateUniformDesignTest {
    @TempDir Path dir;

    private static int run(StringWriter err, String... args) {
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void idealTilesReproduceTheTrainedAccuracyAndConflictingOptionsAreRefused() throws Exception {
        Path ck = dir.resolve("us");
        assertEquals(0, Main.commandLine().execute("train", "--model", "mlp-mnist", "--epochs", "2", "--train-limit",
                "1024", "--batch", "64", "--out", ck.toString(), "--threads", "1", "--no-progress",
                "--uniform-scaling", "--cell-bits", "2", "--uniform-adc-bits", "6", "--converter-design", "per-layer"));
        double trained = Checkpoint.readMeta(ck).testAccuracy;
        assertTrue(trained > 0.3, "a network that learned something: " + trained);
        Path ev = dir.resolve("ev");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "evaluate", "--checkpoint", ck.toString(), "--device", "ideal", "--times", "1",
                "--repeats", "1", "--compensation", "none", "--out", ev.toString(), "--threads", "1",
                "--no-progress"), err.toString());
        JsonNode r = new ObjectMapper().readTree(Files.readString(ev.resolve("results.json")));
        // the same ADC codes as training's forward: the same correct predictions, sample for sample in count
        assertEquals(trained, r.get("summary").get(0).get("mean").asDouble(), 1e-9);
        JsonNode tiles = r.get("configuration").get("layerTiles");
        assertEquals(3, tiles.size());
        JsonNode t3 = tiles.get("3");
        assertEquals("FIXED", t3.get("weightScaling").asText());
        assertEquals("NONE", t3.get("inputScaling").asText());
        assertEquals(6, t3.get("outputBits").asInt());
        var rec = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) Checkpoint.readMeta(ck).uniformScaling.get("layers"))
                .get("3");
        assertEquals(((Number) rec.get("weightRange")).doubleValue(), t3.get("weightScale").asDouble(), 1e-12);
        assertEquals(((Number) rec.get("outputRange")).doubleValue(), t3.get("outputRange").asDouble(), 1e-12);
        assertEquals(((Number) rec.get("inputRange")).doubleValue(), t3.get("inputRange").asDouble(), 1e-12);
        // a tile option the design fixes is an error, not silently overridden or ignored
        for (String[] o : new String[][] {{"--adc-bits", "4"}, {"--preset", "aihwkit"}, {"--mapping", "differential"},
            {"--input-scaling", "abs-max"}}) {
            StringWriter e = new StringWriter();
            assertEquals(2, run(e, "evaluate", "--checkpoint", ck.toString(), "--device", "ideal", "--times", "1",
                    "--repeats", "1", "--out", dir.resolve("bad").toString(), "--threads", "1", "--no-progress",
                    o[0], o[1]));
            assertTrue(e.toString().startsWith("aimc: " + o[0]) && e.toString().strip().lines().count() == 1,
                    e.toString());
        }
        // per-tile signs (+ and − tiles in layer 1, − on layer 3) on a bipolar design: one device per weight on those tiles, and
        // evaluate's tiles use the per-tile-sign mapping and reproduce the trained accuracy
        Path signed = dir.resolve("signed");
        assertEquals(0, Main.commandLine().execute("train", "--model", "mlp-mnist", "--epochs", "2", "--train-limit",
                "1024", "--batch", "64", "--out", signed.toString(), "--threads", "1", "--no-progress",
                "--uniform-scaling", "--cell-bits", "2", "--tile-signs", "1=+/-", "--tile-signs", "3=-"));
        assertEquals(java.util.Map.of("1", "+/-", "3", "-"), Checkpoint.readMeta(signed).uniformScaling.get("tileSigns"));
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            var net = Checkpoint.load(signed, m).model();
            dev.aimc.nn.uniform.UniformTraining.deploy(net, Checkpoint.readMeta(signed).uniformScaling);
            // layer 1 [256, 784]: row-tile 0 (inputs 0 … 511) positive, row-tile 1 (inputs 512 … 783) negative
            var w1 = ((dev.aimc.nn.Linear) net.module("1")).weight();
            assertTrue(w1.get(":, 0:512").min().getFloat() >= 0f && w1.get(":, 512:").max().getFloat() <= 0f);
            assertTrue(((dev.aimc.nn.Linear) net.module("3")).weight().max().getFloat() <= 0f);
        }
        Path evs = dir.resolve("evs");
        assertEquals(0, run(new StringWriter(), "evaluate", "--checkpoint", signed.toString(), "--device", "ideal",
                "--times", "1", "--repeats", "1", "--compensation", "none", "--out", evs.toString(), "--threads", "1",
                "--no-progress"));
        JsonNode rs = new ObjectMapper().readTree(Files.readString(evs.resolve("results.json")));
        assertEquals(Checkpoint.readMeta(signed).testAccuracy, rs.get("summary").get(0).get("mean").asDouble(), 1e-9);
        assertEquals("PER_TILE_SIGN", rs.get("configuration").get("layerTiles").get("1").get("mapping").asText());
        assertEquals("DIFFERENTIAL", rs.get("configuration").get("layerTiles").get("5").get("mapping").asText());
        StringWriter se = new StringWriter();
        assertEquals(2, run(se, "train", "--model", "mlp-mnist", "--epochs", "1", "--out", dir.resolve("bs").toString(),
                "--uniform-scaling", "--tile-signs", "1=+x", "--no-progress"));
        assertTrue(se.toString().contains("--tile-signs") && se.toString().strip().lines().count() == 1, se.toString());
        // aimc program cannot honour the design: refused, one line
        StringWriter pe = new StringWriter();
        assertEquals(2, run(pe, "program", "--weights", ck + ":1", "--method", "oneshot", "--out",
                dir.resolve("prog").toString()));
        assertTrue(pe.toString().contains("--uniform-scaling") && pe.toString().strip().lines().count() == 1,
                pe.toString());
    }
}
