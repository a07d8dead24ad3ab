package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerDesign;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.models.Models;
import dev.aimc.report.CostComponentsFile;
import dev.aimc.report.Json;
import dev.aimc.report.ReportWriter;
import dev.aimc.tile.TileConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** aimc evaluate --cost: the evaluated design's hardware cost beside its accuracy in results.json and report.html. */
class EvaluateCostTest {
    @TempDir Path dir;

    @Test
    void costOfTheEvaluatedDesignIsInTheReport() throws Exception {
        Path ck = dir.resolve("ck");
        assertEquals(0, Main.commandLine().execute("train", "--model", "lenet5-mnist", "--epochs", "1",
                "--train-limit", "256", "--batch", "64", "--out", ck.toString(), "--threads", "1", "--no-progress"));
        Path out = dir.resolve("rep");
        assertEquals(0, Main.commandLine().execute("evaluate", "--checkpoint", ck.toString(), "--out", out.toString(),
                "--times", "1", "--repeats", "1", "--test-limit", "32", "--threads", "1", "--no-progress",
                "--compensation", "none", "--adc-bits", "6", "--tile-size", "256", "--keep-digital", "first",
                "--cost"));
        JsonNode cost = Json.PRETTY.readTree(out.resolve(ReportWriter.JSON).toFile()).get("cost");
        // the same design costed directly: lenet5-mnist without its first layer, 256 x 256 tiles, 6-bit ADCs
        NetworkCost expected;
        try (NDManager m = NDManager.newBaseManager()) {
            List<LayerShape> all = LayerShape.of(Models.create("lenet5-mnist", m, 0),
                    Models.inputShape("lenet5-mnist"));
            TileConfig tile = TileConfig.builder().tileSize(256, 256).outputBits(6).build();
            LayerDesign d = LayerDesign.of(tile);
            expected = new CostModel(tile, CostComponentsFile.isaac(), AdcScaling.WALDEN)
                    .cost(all.subList(1, all.size()), s -> d);
            assertEquals(all.size() - 1, cost.get("analogLayers").asInt());
        }
        assertEquals(6, cost.get("adcBits").asInt());
        assertEquals(256, cost.get("tileRows").asInt());
        assertEquals(expected.tiles(), cost.get("tiles").asLong());
        assertEquals(expected.adcConversions(), cost.get("adcConversions").asDouble());
        assertEquals(expected.energyPj(), cost.get("energyPj").asDouble(), 1e-9 * expected.energyPj());
        assertEquals(expected.adcEnergyPj(), cost.get("adcEnergyPj").asDouble(), 1e-9 * expected.adcEnergyPj());
        assertEquals(expected.areaUm2(), cost.get("areaUm2").asDouble(), 1e-9 * expected.areaUm2());
        String html = Files.readString(out.resolve(ReportWriter.HTML));
        assertTrue(html.contains("<h2>Hardware cost per inference</h2>"), html);
        // one design: a table, no accuracy-versus-energy plot
        assertFalse(Files.exists(out.resolve(ReportWriter.COST_PNG)));
        assertFalse(html.contains("alt=\"accuracy vs energy\""));

        // without --cost nothing changes
        Path plain = dir.resolve("plain");
        assertEquals(0, Main.commandLine().execute("evaluate", "--checkpoint", ck.toString(), "--out",
                plain.toString(), "--times", "1", "--repeats", "1", "--test-limit", "32", "--threads", "1",
                "--no-progress", "--compensation", "none"));
        assertFalse(Files.readString(plain.resolve(ReportWriter.JSON)).contains("\"cost\""));
    }

    @Test
    void aMissingOrBadComponentTableIsOneLineBeforeAnyWork() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of("src/main/resources/dev/aimc/report/isaac-32nm.yaml"))
                .replace("areaUm2: 1200", "areaUm2: -1200"));
        String[][] cases = {
            {dir.resolve("none.yaml").toString(), "aimc: --cost-components " + dir.resolve("none.yaml")
                    + " does not exist"},
            {bad.toString(), "aimc: " + bad + ": key adc.areaUm2 must be a number >= 0 (a negative figure), got -1200"},
        };
        for (String[] c : cases) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            Path out = dir.resolve("out");
            assertEquals(2, cl.execute("evaluate", "--checkpoint", dir.resolve("nowhere").toString(), "--out",
                    out.toString(), "--cost-components", c[0]));
            assertEquals(c[1], err.toString().strip());
            assertFalse(Files.exists(out.resolve(ReportWriter.HTML)));
        }
    }
}
