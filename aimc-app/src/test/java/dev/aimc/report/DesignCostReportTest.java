package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.results.EvaluationResult;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Cost beside accuracy: the summary of a design, its table in the report, the accuracy-versus-energy plot. */
class DesignCostReportTest {
    @TempDir Path dir;

    /** mlp-mnist (784-256-128-10) on 512 x 512 tiles, 8-bit converters: 256 x 2 + 128 + 10 = 650 ADC conversions. */
    @Test
    void summaryCountsTheAnalogLayersOnTheEvaluatedTiles() {
        Map<String, Object> all = DesignCost.isaac().summary("mlp-mnist", List.of("1", "3", "5"),
                TileConfig.defaults());
        assertEquals(650.0, all.get("adcConversions"));
        assertEquals(1.5625 * 650, (double) all.get("adcEnergyPj"), 1e-9);
        assertEquals(8, all.get("adcBits"));
        assertEquals("differential", all.get("mapping"));
        // a layer kept digital is not costed: only the named analog layers count
        Map<String, Object> last = DesignCost.isaac().summary("mlp-mnist", List.of("5"), TileConfig.defaults());
        assertEquals(1, last.get("analogLayers"));
        assertTrue((double) last.get("adcConversions") < 650);
        // 4-bit ADCs: the same conversions at 1/16 of the energy (Walden)
        Map<String, Object> four = DesignCost.isaac().summary("mlp-mnist", List.of("1", "3", "5"),
                TileConfig.builder().outputBits(4).build());
        assertEquals(1.5625 * 650 / 16, (double) four.get("adcEnergyPj"), 1e-9);
        assertThrows(ConfigException.class, () -> DesignCost.isaac().summary("mlp-mnist", List.of("9"),
                TileConfig.defaults()));
    }

    /**
     * A recorded design: layer 1 (784 x 256: two row-tiles on 512-row tiles) positive-only on one device per weight,
     * or with per-tile signs (+ on the first row-tile, bipolar on the second); before, every layer was costed as
     * differential pairs.
     */
    @Test
    void perLayerTilesAndTileSignsAreCostedTileByTile() {
        List<String> layers = List.of("1", "3", "5");
        TileConfig t = TileConfig.defaults();
        long pairs = (long) DesignCost.isaac().summary("mlp-mnist", layers, t).get("cells");
        long uni = (long) DesignCost.isaac().summary("mlp-mnist", layers, t, 0,
                Map.of("1", t.toBuilder().mapping(TileConfig.Mapping.UNIPOLAR).build()), Map.of()).get("cells");
        assertEquals(pairs - 784L * 256, uni);
        long signed = (long) DesignCost.isaac().summary("mlp-mnist", layers, t, 0, Map.of(),
                Map.of("1", new int[][] {{1}, {0}})).get("cells");
        assertEquals(pairs - 512L * 256, signed); // the + tile's 512 rows on one device, the bipolar rest in pairs
        assertThrows(ConfigException.class, () -> DesignCost.isaac().summary("mlp-mnist", layers, t, 0, Map.of(),
                Map.of("1", new int[][] {{1}})));
        assertEquals(Map.of(), DesignCost.recordedTileSigns("ck", null));
        assertEquals(1, DesignCost.recordedTileSigns("ck", Map.of("tileSigns", Map.of("1", "+/0"))).get("1")[0][0]);
    }

    /** With the ratio readout every tile carries its reference cells: 4 tiles x 8 more cells, the same conversions. */
    @Test
    void ratioReadoutCostsItsReferenceCells() {
        Map<String, Object> plain = DesignCost.isaac().summary("mlp-mnist", List.of("1", "3", "5"),
                TileConfig.defaults());
        Map<String, Object> ratio = DesignCost.isaac().summary("mlp-mnist", List.of("1", "3", "5"),
                TileConfig.defaults(), 8);
        assertEquals(4L, plain.get("tiles")); // 784 inputs on two row-tiles, then one tile each
        assertEquals((long) plain.get("cells") + 4 * 8, (long) ratio.get("cells"));
        assertEquals(plain.get("adcConversions"), ratio.get("adcConversions"));
        assertEquals(8, ratio.get("ratioReferenceCellsPerTile"));
    }

    static Map<String, Object> cost(double energyPj) {
        return ReportWriterTest.conf("components", "ISAAC", "adcScaling", "walden", "tileRows", 512, "tileCols", 512,
                "adcBits", 8, "dacBits", 8, "mapping", "differential", "analogLayers", 2, "tiles", 3L, "cells", 10L,
                "dacConversions", 1.0, "adcConversions", 2.0, "energyPj", energyPj, "adcEnergyPj", energyPj / 10,
                "areaUm2", 2e6, "latencyNs", 500.0);
    }

    /** Two costed networks: a cost table, results.json's costPerNetwork and the accuracy-versus-energy plot. */
    @Test
    void twoCostedDesignsGiveAnAccuracyVersusEnergyPlot() throws Exception {
        Map<String, Object> nets = ReportWriterTest.conf("big", ReportWriterTest.conf("cost", cost(5000)),
                "small", ReportWriterTest.conf("cost", cost(1000)));
        EvaluationResult r = ReportWriterTest.result("two designs", List.of("big/none", "big/gdc", "small/none",
                "small/gdc"), ReportWriterTest.conf("networks", nets, "quick", false), 0.9);
        ReportWriter.write(dir, r);
        assertTrue(Files.size(dir.resolve(ReportWriter.COST_PNG)) > 0);
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertTrue(html.contains("alt=\"accuracy vs energy\""), html);
        assertTrue(html.contains("<tr><td class=\"l\">big</td><td>3</td><td>5.000</td><td>0.5000</td><td>2.000</td>"
                + "<td>0.5000</td>"), html);
        JsonNode json = Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertEquals(1000.0, json.get("costPerNetwork").get("small").get("energyPj").asDouble());
        XYChart chart = ReportWriter.costChart(r);
        assertEquals(4, chart.getSeriesMap().size()); // one point per design and compensation
        double last = ReportWriterTest.TIMES.get(ReportWriterTest.TIMES.size() - 1);
        XYSeries small = chart.getSeriesMap().get("small, none, mean ± std");
        XYSeries big = chart.getSeriesMap().get("big, gdc, mean ± std");
        assertArrayEquals(new double[] {1}, small.getXData(), 1e-12); // nJ
        assertArrayEquals(new double[] {5}, big.getXData(), 1e-12);
        assertEquals(100 * r.summary("small/none", last).mean(), small.getYData()[0], 1e-9);
        assertEquals(100 * r.summary("big/gdc", last).mean(), big.getYData()[0], 1e-9);
        assertEquals(big.getMarkerColor(), chart.getSeriesMap().get("small, gdc, mean ± std").getMarkerColor());
        assertFalse(big.getMarker().equals(chart.getSeriesMap().get("small, gdc, mean ± std").getMarker()));
    }

    /** One costed design: the cost in results.json and a table, no plot; no cost: nothing. */
    @Test
    void oneDesignHasATableAndNoPlot() throws Exception {
        EvaluationResult r = ReportWriterTest.result("one", List.of("gdc"), ReportWriterTest.conf("cost", cost(2000)),
                0.9);
        ReportWriter.write(dir, r);
        assertFalse(Files.exists(dir.resolve(ReportWriter.COST_PNG)));
        assertEquals(2000.0, Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile()).get("cost")
                .get("energyPj").asDouble());
        assertTrue(Files.readString(dir.resolve(ReportWriter.HTML)).contains("<h2>Hardware cost per inference</h2>"));
        Path plain = dir.resolve("plain");
        ReportWriter.write(plain, ReportWriterTest.result("none", List.of("gdc"), ReportWriterTest.conf(), 0.9));
        assertFalse(Files.readString(plain.resolve(ReportWriter.HTML)).contains("Hardware cost"));
        assertFalse(Files.readString(plain.resolve(ReportWriter.JSON)).contains("\"cost"));
    }
}
