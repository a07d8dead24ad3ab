package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.report.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc cost: the table, the JSON file, per-layer settings and one-line errors. */
class CostCommandTest {
    @TempDir
    Path dir;

    @Test
    void mlpTableAndJson() throws Exception {
        Path json = dir.resolve("sub/cost.json");
        CliRun r = CliRun.of("cost", "--model", "mlp-mnist", "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("mlp-mnist (untrained; shapes only), 3 analog layers"), r.out());
        JsonNode doc = Json.PRETTY.readTree(json.toFile());
        // 784-256-128-10 on 512x512: 784 rows need 2 row-tiles, the others 1: 4 tiles
        assertEquals(4, doc.get("totals").get("tiles").asLong());
        // ADC conversions: 256 x 2 + 128 + 10 = 650 per inference
        assertEquals(650.0, doc.get("totals").get("adcConversions").asDouble());
        assertEquals(1.5625 * 650, doc.get("totals").get("adcEnergyPj").asDouble(), 1e-9);
        assertEquals("1", doc.get("layers").get(0).get("layer").get("name").asText());
    }

    @Test
    void perLayerAdcBitsAndKeepDigital() throws Exception {
        Path json = dir.resolve("c.json");
        CliRun r = CliRun.of("cost", "--model", "mlp-mnist", "--keep-digital", "last", "--layer", "3:adc-bits=4",
                "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = Json.PRETTY.readTree(json.toFile());
        assertEquals(2, doc.get("layers").size());
        // layer 1: 512 conversions at 8 bits; layer 3: 128 at 4 bits (Walden: 1/16 the energy)
        assertEquals(1.5625 * (512 + 128 / 16.0), doc.get("totals").get("adcEnergyPj").asDouble(), 1e-9);
    }

    @Test
    void perTileSignsAreCountedTileByTile() throws Exception {
        // mlp-har265 (265-128-64-6), 2-bit weights on 2-bit cells, 128 x 128 tiles: layer 1 (3 row-tiles) "+",
        // layer 3 "-": one device per weight there; layer 5 stays a differential pair
        Path json = dir.resolve("signed.json");
        CliRun r = CliRun.of("cost", "--model", "mlp-har265", "--tile-size", "128", "--weight-bits", "2",
                "--cell-bits", "2", "--tile-signs", "1=+/+/+", "--tile-signs", "3=-", "--json", json.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = Json.PRETTY.readTree(json.toFile());
        assertEquals(265L * 128 + 128L * 64 + 64L * 6 * 2, doc.get("totals").get("cells").asLong());
        Path pairs = dir.resolve("pairs.json");
        assertEquals(0, CliRun.of("cost", "--model", "mlp-har265", "--tile-size", "128", "--weight-bits", "2",
                "--cell-bits", "2", "--json", pairs.toString()).code());
        assertEquals(2 * (265L * 128 + 128L * 64 + 64L * 6),
                Json.PRETTY.readTree(pairs.toFile()).get("totals").get("cells").asLong());
        // digital pair readout: only the pair layer (6 columns) is converted twice: 128 x 3 + 64 + 6 x 2
        Path dig = dir.resolve("digital.json");
        assertEquals(0, CliRun.of("cost", "--model", "mlp-har265", "--tile-size", "128", "--weight-bits", "2",
                "--cell-bits", "2", "--tile-signs", "1=+/+/+", "--tile-signs", "3=-", "--pair-readout", "digital",
                "--json", dig.toString()).code());
        assertEquals(128 * 3 + 64 + 6 * 2, Json.PRETTY.readTree(dig.toFile()).get("totals").get("adcConversions")
                .asDouble());
        assertTrue(CliRun.of("cost", "--model", "mlp-har265", "--tile-size", "128", "--tile-signs", "1=+")
                .badInput("tile-signs", "3 x 1"));
        assertTrue(CliRun.of("cost", "--model", "mlp-har265", "--tile-signs", "1=+x").badInput("--tile-signs 1"));
        assertTrue(CliRun.of("cost", "--model", "mlp-har265", "--tile-signs", "9=+")
                .badInput("--tile-signs must name an analog layer"));
        assertTrue(CliRun.of("cost", "--model", "mlp-har265", "--pair-readout", "both")
                .badInput("--pair-readout must be analog or digital, got both"));
    }

    @Test
    void badOptionsAreOneLine() {
        assertTrue(CliRun.of("cost").badInput("exactly one of --checkpoint DIR and --model NAME"));
        assertTrue(CliRun.of("cost", "--model", "mlp-mnist", "--layer", "9:adc-bits=4")
                .badInput("--layer must name an analog layer [1, 3, 5], got 9"));
        assertTrue(CliRun.of("cost", "--model", "mlp-mnist", "--layer", "1:gain=4")
                .badInput("--layer 1: unknown key gain"));
        assertTrue(CliRun.of("cost", "--model", "mlp-mnist", "--adc-scaling", "linear")
                .badInput("--adc-scaling must be walden or thermal, got linear"));
        assertTrue(CliRun.of("cost", "--model", "mlp-mnist", "--adc-bits", "0")
                .badInput("--adc-bits must be in [1, 16], got 0"));
        assertTrue(CliRun.of("cost", "--model", "mlp-mnist", "--json", dir.toString())
                .badInput("--json", "is a folder"));
        assertTrue(CliRun.of("cost", "--checkpoint", dir.resolve("none").toString()).code() == 2);
    }
}
