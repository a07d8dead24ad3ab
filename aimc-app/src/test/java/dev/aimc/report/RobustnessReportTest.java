package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The plots and pages of {@link RobustnessReport}: the series drawn, their values in %, the files written. */
class RobustnessReportTest {
    static final double[] SIGMA = {0, 0.8, 1.6};

    static List<RobustnessReport.Curve> curves() {
        return List.of(new RobustnessReport.Curve("plain", false, SIGMA, new double[] {0.99, 0.7, 0.1},
                        new double[] {0, 0.1, 0.02}),
                new RobustnessReport.Curve("lip", false, SIGMA, new double[] {0.98, 0.8, 0.2},
                        new double[] {0, 0.05, 0.03}),
                new RobustnessReport.Curve("lip + comp", true, SIGMA, new double[] {0.98, 0.9, 0.5},
                        new double[] {0, 0.02, 0.04}));
    }

    @Test
    void sigmaChartDrawsEveryCurveWithItsSpreadAndTheChanceLevel() {
        XYChart c = RobustnessReport.sigmaChart("t", curves(), 0.1);
        assertEquals(List.of("plain", "lip", "lip + comp", "chance 10%"), List.copyOf(c.getSeriesMap().keySet()));
        XYSeries comp = c.getSeriesMap().get("lip + comp");
        assertArrayEquals(new double[] {98, 90, 50}, comp.getYData(), 1e-9);
        assertArrayEquals(new double[] {0, 2, 4}, comp.getExtraValues(), 1e-9);
        assertArrayEquals(SIGMA, comp.getXData(), 0);
        assertEquals(c.getSeriesMap().get("lip").getLineColor(), comp.getLineColor(), "compensated: its network's colour");
        assertArrayEquals(new double[] {10, 10}, c.getSeriesMap().get("chance 10%").getYData(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new RobustnessReport.Curve("x", false, SIGMA,
                new double[] {1}, new double[] {0}));
    }

    @Test
    void paretoChartMarksTheBaselineTheChoiceAndTheFloor() {
        RobustnessReport.Point base = new RobustnessReport.Point("all 8-bit", 10, 0.96, 0.01);
        RobustnessReport.Point mid = new RobustnessReport.Point("mid", 3, 0.955, 0.01);
        RobustnessReport.Point cheap = new RobustnessReport.Point("cheap", 0.5, 0.90, 0.02);
        XYChart c = RobustnessReport.paretoChart("t", List.of(base, mid, cheap), List.of(cheap, mid, base), base,
                mid, 0.95);
        List<String> names = List.copyOf(c.getSeriesMap().keySet());
        assertEquals(List.of("evaluated designs (3)", "Pareto front, mean ± std", "accuracy floor 95.00%",
                "uniform baseline: all 8-bit", "chosen (-70.0% ADC energy): mid"), names);
        assertArrayEquals(new double[] {0.5, 3, 10}, c.getSeriesMap().get("Pareto front, mean ± std").getXData(), 0);
        assertArrayEquals(new double[] {96}, c.getSeriesMap().get(names.get(3)).getYData(), 1e-9);
        assertTrue(c.getStyler().isXAxisLogarithmic(), "energies over more than a decade: log axis");
    }

    @Test
    void pagesAreWrittenBesideTheJson(@TempDir Path dir) throws Exception {
        assertEquals(dir.resolve("a.html"), RobustnessReport.beside(dir.resolve("a.json")));
        assertEquals(dir.resolve("c.html"), RobustnessReport.beside(dir.resolve("c.JSON")));
        assertEquals(dir.resolve("b.out.html"), RobustnessReport.beside(dir.resolve("b.out")));
        Path html = dir.resolve("sub/v.html");
        RobustnessReport.write(html, RobustnessReport.variationHtml("title <x>", "note & more", curves(), 0.1));
        String s = Files.readString(html);
        assertTrue(s.startsWith("<!DOCTYPE html>") && s.contains("<h1>title &lt;x&gt;</h1>")
                && s.contains("<p>note &amp; more</p>") && s.contains("data:image/png;base64,"), s);
        assertTrue(s.contains("<tr><td>0.8</td><td>70.00 ± 10.00</td><td>80.00 ± 5.00</td><td>90.00 ± 2.00</td>"),
                s);
        try (var l = Files.list(html.getParent())) {
            assertEquals(1, l.count(), "no temporary left");
        }
    }
}
