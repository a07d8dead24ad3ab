package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.GainRow;
import dev.aimc.results.Measurement;
import dev.aimc.results.Summary;
import dev.aimc.results.Timing;
import dev.aimc.report.Json;
import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** What a report shows: every network's digital accuracy, gains, legible plots, what each curve had applied. */
class ReportWriterTest {
    @TempDir Path dir;

    static final List<Double> TIMES = InferenceExperiment.STANDARD_TIMES;

    /** A result with the given variants, accuracies falling 1 point per time step, 2 repeats. */
    static EvaluationResult result(String title, List<String> variants, Map<String, Object> conf, double digital) {
        List<Measurement> ms = new ArrayList<>();
        for (int vi = 0; vi < variants.size(); vi++) {
            for (int rep = 0; rep < 2; rep++) {
                for (int ti = 0; ti < TIMES.size(); ti++) {
                    ms.add(new Measurement(variants.get(vi), rep, 100 + rep, TIMES.get(ti),
                            0.9 - 0.01 * ti - 0.02 * vi + 0.005 * rep));
                }
            }
        }
        return new EvaluationResult(title, conf, 0, "test", "pcm", List.of("0", "2"), 500, digital, TIMES, variants, ms,
                InferenceExperiment.summarize(ms, variants, TIMES), new Timing(0.1, 0.2, 4));
    }

    static Map<String, Object> conf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Before: the combined report of two networks showed the first network's digital accuracy only. */
    @Test
    void multiNetworkReportShowsEveryNetworksDigitalAccuracy() throws Exception {
        Map<String, Object> digital = conf("conventional", 0.9123, "hwa", 0.8765);
        EvaluationResult r = result("two nets", List.of("conventional/none", "hwa/none"),
                conf("digitalAccuracyPerNetwork", digital, "quick", false), 0.9123);
        ReportWriter.write(dir, r);
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertTrue(html.contains("conventional 91.23%, hwa 87.65%"), html);
        assertTrue(html.contains("<td class=\"l\">hwa</td><td>87.65</td>"), html);
        assertTrue(ReportWriter.table(r).contains("digital accuracy conventional 91.23%, hwa 87.65%"));
        JsonNode json = Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertEquals(0.8765, json.get("digitalAccuracyPerNetwork").get("hwa").asDouble());
        XYChart chart = ReportWriter.chart(r);
        assertNotNull(chart.getSeriesMap().get("hwa digital 87.65%"), chart.getSeriesMap().keySet().toString());
        assertNotNull(chart.getSeriesMap().get("conventional digital 91.23%"));
    }

    /** Before: the gains table was in summary.md and gains.csv only, not in report.html. */
    @Test
    void gainsTableIsInTheHtmlAndJson() throws Exception {
        EvaluationResult r = result("gains", List.of("a/none", "b/none"), conf(), 0.9);
        List<GainRow> gains = List.of(new GainRow("none", 86400, 0.80, 0.01, 0.815, 0.02, 0.015, 0.0224));
        ReportWriter.write(dir, r, gains, "b minus a");
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertTrue(html.contains("<h2>Gains: b minus a</h2>"), html);
        assertTrue(html.contains("<td class=\"l\">none</td><td>1 d</td><td>80.00</td><td>81.50</td><td>+1.50</td>"
                + "<td>2.24</td>"), html);
        JsonNode json = Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile());
        assertEquals(0.015, json.get("gains").get(0).get("gain").asDouble(), 1e-12);
    }

    /** Before: a long title was drawn at the theme's size and cut at both edges of the plot. */
    @Test
    void longTitlesFitThePlotWidth() {
        String title = "Antolini 2023 reproduction: LeNet-5 on CIFAR-10 (JPEG-derived copy), PCM with 3x variability, "
                + "conventional vs device-aware";
        XYChart chart = ReportWriter.chart(result(title, List.of("none"), conf("programming", "gdp"), 0.6));
        Font f = chart.getStyler().getChartTitleFont();
        String shown = chart.getTitle();
        assertTrue(shown.startsWith(title) && shown.contains("GDP"), shown);
        var g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        double width = f.getStringBounds(shown, g.getFontRenderContext()).getWidth();
        assertTrue(width <= ReportWriter.WIDTH - 40, width + " px at " + f.getSize() + " pt");
        Font theme = new XYChart(100, 100).getStyler().getChartTitleFont();
        assertTrue(theme.getStringBounds(shown, g.getFontRenderContext()).getWidth() > ReportWriter.WIDTH,
                "the test title must be too long at the theme's size");
    }

    /** Before: curves differed by colour only (circle markers, solid lines for all). */
    @Test
    void curvesDifferByMarkerAndDashNotOnlyColour() {
        List<String> variants = List.of("none", "gdc", "gdc-col", "adabs", "ratio", "gdc+adabs", "ratio+adabs");
        XYChart chart = ReportWriter.chart(result("seven", variants, conf(), 0.9));
        Set<Object> markers = new HashSet<>();
        Set<String> styles = new HashSet<>();
        for (String v : variants) {
            XYSeries s = chart.getSeriesMap().get(v + ", mean ± std");
            assertNotNull(s, chart.getSeriesMap().keySet().toString());
            markers.add(s.getMarker().getClass());
            BasicStroke st = s.getLineStyle();
            styles.add(s.getMarker().getClass().getSimpleName() + Arrays.toString(st.getDashArray()));
        }
        assertEquals(variants.size(), markers.size(), "one marker shape per curve");
        assertEquals(variants.size(), styles.size());
        assertTrue(styles.stream().anyMatch(x -> !x.endsWith("null")), "some curves are dashed: " + styles);
    }

    /** Before: the log axis printed "1000" beside "1E4". */
    @Test
    void timeTicksUseOneFormat() {
        XYChart chart = ReportWriter.chart(result("ticks", List.of("none"), conf(), 0.9));
        var fmt = chart.getStyler().getxAxisTickLabelsFormattingFunction();
        assertNotNull(fmt);
        assertEquals(List.of("10⁰", "10¹", "10²", "10³", "10⁴", "10⁵", "10⁶", "10⁷", "10⁸"),
                java.util.stream.IntStream.rangeClosed(0, 8).mapToObj(k -> fmt.apply((double) k)).toList());
        assertEquals("", fmt.apply(3.5), "no label between decades");
        assertEquals("10⁻²", fmt.apply(-2.0));
        XYSeries s = chart.getSeriesMap().get("analog (pcm), none, mean ± std");
        assertEquals(Math.log10(86400), s.getXData()[2], 1e-12); // plotted at log10(t / 1 s)
        assertEquals(0.0, chart.getStyler().getXAxisMin());
        assertEquals(8.0, chart.getStyler().getXAxisMax());
        // a linear axis (a time of 0 s) labels ticks as times
        EvaluationResult withZero = new EvaluationResult("zero", Map.of(), 0, "t", "pcm", List.of(), 1, 0.9, List.of(0.0, 3600.0),
                List.of("none"), List.of(), List.of(new Summary("none", 0, 0.9, 0, 1),
                        new Summary("none", 3600, 0.8, 0, 1)),
                new Timing(1, 1, 1));
        var lin = ReportWriter.chart(withZero).getStyler().getxAxisTickLabelsFormattingFunction();
        assertEquals("1 h", lin.apply(3600.0));
        assertEquals("16.7 min", lin.apply(1000.0));
    }

    /** Before: a GDP run and a one-shot run had the same title. */
    @Test
    void titleNamesTheProgrammingMethod() {
        String gdp = ReportWriter.title(result("lenet5 on cifar10, pcm crossbars", List.of("gdc"),
                conf("programming", "gdp"), 0.6));
        String oneshot = ReportWriter.title(result("lenet5 on cifar10, pcm crossbars", List.of("gdc"),
                conf("programming", "oneshot"), 0.6));
        assertEquals("lenet5 on cifar10, pcm crossbars, GDP (gradient-descent programming)", gdp);
        assertEquals("lenet5 on cifar10, pcm crossbars, one-shot programming", oneshot);
        assertNotEquals(gdp, oneshot);
    }

    /** Item 5: the report says which compensation each curve had (HTML and JSON). */
    @Test
    void reportSaysWhatCompensationEachCurveHad() throws Exception {
        EvaluationResult r = result("comp", List.of("gdc", "none", "gdc+adabs"), conf(), 0.9);
        ReportWriter.write(dir, r);
        JsonNode applied = Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile()).get("compensationApplied");
        assertTrue(applied.get("gdc").asText().startsWith("global drift compensation"), applied.toString());
        assertTrue(applied.get("none").asText().startsWith("no drift compensation"), applied.toString());
        assertTrue(applied.get("gdc+adabs").asText().contains(" + AdaBS"), applied.toString());
        String html = Files.readString(dir.resolve(ReportWriter.HTML));
        assertTrue(html.contains("<td class=\"l\">none</td><td class=\"l\">no drift compensation"), html);
        EvaluationResult one = result("one", List.of("gdc"), conf(), 0.9);
        assertNotNull(ReportWriter.chart(one).getSeriesMap().get("analog (pcm), gdc, mean ± std"));
    }

    @Test
    void quickRunsAreMarkedAsSmokeOutput() throws Exception {
        EvaluationResult r = result("q", List.of("none"), conf("quick", true), 0.9);
        ReportWriter.write(dir, r);
        assertTrue(Files.readString(dir.resolve(ReportWriter.HTML)).contains("Quick run: smoke output."));
        assertTrue(Json.PRETTY.readTree(dir.resolve(ReportWriter.JSON).toFile()).has("smokeOutput"));
        EvaluationResult full = result("f", List.of("none"), conf("quick", false), 0.9);
        ReportWriter.write(dir, full);
        assertFalse(Files.readString(dir.resolve(ReportWriter.HTML)).contains("Quick run"));
        String demoDir = System.getenv("AIMC_REPORT_TEST_OUT");
        if (demoDir != null) { // for looking at the plot: AIMC_REPORT_TEST_OUT=/tmp/x
            List<String> v = List.of("conventional/none", "conventional/gdc", "conventional/ratio", "hwa/none",
                    "hwa/gdc", "hwa/ratio");
            ReportWriter.write(Path.of(demoDir), result("A long experiment title: LeNet-5 on CIFAR-10 (JPEG-derived "
                    + "copy), PCM with 3x variability, conventional vs device-aware", v, conf("digitalAccuracyPerNetwork",
                    conf("conventional", 0.91, "hwa", 0.88), "quick", false), 0.91));
        }
    }
}
