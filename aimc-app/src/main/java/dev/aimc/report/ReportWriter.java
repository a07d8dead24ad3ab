package dev.aimc.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.GainRow;
import dev.aimc.results.Measurement;
import dev.aimc.results.Summary;
import dev.aimc.util.AtomicFiles;
import dev.aimc.report.Json;
import dev.aimc.util.Times;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes an experiment's {@code results.json}, {@code results.csv}, {@code accuracy_vs_time.png} and a
 * self-contained {@code report.html} (PNG embedded as base64), each atomically.
 */
public final class ReportWriter {
    /** File name of the full result (configuration, every measurement). */
    public static final String JSON = "results.json";
    /** File name of the per-(variant, time) table. */
    public static final String CSV = "results.csv";
    /** File name of the accuracy-versus-time plot. */
    public static final String PNG = "accuracy_vs_time.png";
    /** File name of the self-contained HTML report. */
    public static final String HTML = "report.html";
    /** File name of the accuracy-versus-energy plot, written when a run compares two or more costed designs. */
    public static final String COST_PNG = "accuracy_vs_cost.png";

    /** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};

    /** One marker shape per curve, so curves differ without colour (colour-blind readers, grey print). */
    static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE, SeriesMarkers.TRAPEZOID};

    /** Dash patterns (null: solid), cycled more slowly than the markers. */
    static final float[][] DASHES = {null, {8f, 4f}, {2f, 3f}, {8f, 3f, 2f, 3f}};

    /** Chart size in pixels. */
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    private ReportWriter() {}

    /**
     * Writes all four files into {@code dir} (created if needed).
     *
     * @param dir the report folder
     * @param r the result
     */
    public static void write(Path dir, EvaluationResult r) {
        write(dir, r, List.of(), null);
    }

    /**
     * Writes all four files into {@code dir}, with a gains table (candidate − baseline per compensation and time)
     * in the HTML and JSON when {@code gains} is not empty.
     *
     * @param dir the report folder
     * @param r the result
     * @param gains the gains rows, or an empty list
     * @param gainsCaption what the gains compare, e.g. "hwa minus conventional"
     */
    public static void write(Path dir, EvaluationResult r, List<GainRow> gains, String gainsCaption) {
        try {
            AtomicFiles.write(dir.resolve(JSON), out -> mapper().writeValue(out, json(r, gains, gainsCaption)));
            AtomicFiles.writeString(dir.resolve(CSV), csv(r));
            byte[] png = png(r);
            AtomicFiles.write(dir.resolve(PNG), out -> out.write(png));
            byte[] costPng = costs(r).size() >= 2 ? costPng(r) : null;
            if (costPng != null) {
                AtomicFiles.write(dir.resolve(COST_PNG), out -> out.write(costPng));
            }
            AtomicFiles.writeString(dir.resolve(HTML), html(r, png, gains, gainsCaption, costPng));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The report's title: the experiment's title and, when the tiles were programmed by an algorithm, its name
     * (a GDP run and a one-shot run of the same network must not look alike).
     *
     * @param r the result
     * @return the title
     */
    public static String title(EvaluationResult r) {
        Object p = r.configuration() == null ? null : r.configuration().get("programming");
        return p == null ? r.title() : r.title() + ", " + programmingLabel(p.toString());
    }

    /** "one-shot programming", "program-and-verify", "GDP (gradient-descent programming)". */
    static String programmingLabel(String method) {
        return switch (method) {
            case "oneshot" -> "one-shot programming";
            case "verify" -> "program-and-verify";
            case "gdp" -> "GDP (gradient-descent programming)";
            default -> method + " programming";
        };
    }

    /**
     * What was applied to a curve, from its variant name ("gdc", "gdc+adabs", or "network/ratio" in combined
     * reports): one phrase per scheme.
     *
     * @param variant the variant name
     * @return the phrases of its '+'-joined schemes, joined by " + "
     */
    public static String compensationApplied(String variant) {
        String v = variant.substring(variant.lastIndexOf('/') + 1);
        List<String> parts = new ArrayList<>();
        for (String p : v.split("\\+")) {
            parts.add(switch (p.strip()) {
                case "none" -> "no drift compensation (raw drifted outputs)";
                case "gdc" -> "global drift compensation (one output scale per tile from a calibration read "
                        + "right after programming and at each time)";
                case "gdc-col" -> "global drift compensation per tile column";
                case "adabs" -> "AdaBS (batch-norm statistics recomputed at each time from training images)";
                case "ratio" -> "conductance-ratio readout (column currents divided by drifting reference cells)";
                default -> p.strip();
            });
        }
        return String.join(" + ", parts);
    }

    /** Variant name to what was applied, for every curve of {@code r}. */
    static Map<String, String> compensationsApplied(EvaluationResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : r.variants()) {
            m.put(v, compensationApplied(v));
        }
        return m;
    }

    /** Digital accuracy per network (combined reports), else the one network's under "digital". */
    @SuppressWarnings("unchecked")
    static Map<String, Double> digitalAccuracies(EvaluationResult r) {
        Map<String, Double> m = new LinkedHashMap<>();
        Object per = r.configuration() == null ? null : r.configuration().get("digitalAccuracyPerNetwork");
        if (per instanceof Map<?, ?> pm && !pm.isEmpty()) {
            ((Map<String, Object>) pm).forEach((k, v) -> m.put(k, ((Number) v).doubleValue()));
        } else {
            m.put("digital", r.digitalAccuracy());
        }
        return m;
    }

    /** True for a {@code --quick} run: its networks are barely trained, its numbers are smoke output. */
    static boolean smoke(EvaluationResult r) {
        return r.configuration() != null && Boolean.TRUE.equals(r.configuration().get("quick"));
    }

    private static final ObjectMapper MAPPER = Json.PRETTY.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The JSON document: metadata, configuration, digital accuracy, summaries, every repeat, timing. */
    static Map<String, Object> json(EvaluationResult r) {
        return json(r, List.of(), null);
    }

    static Map<String, Object> json(EvaluationResult r, List<GainRow> gains, String gainsCaption) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title(r));
        if (smoke(r)) {
            m.put("smokeOutput", "quick run: networks trained briefly on few images; not a measurement");
        }
        m.put("aimcVersion", r.aimcVersion());
        m.put("seed", r.seed());
        m.put("device", r.deviceName());
        m.put("analogLayers", r.analogLayers());
        m.put("testSamples", r.testSamples());
        m.put("digitalAccuracy", r.digitalAccuracy());
        Map<String, Double> digital = digitalAccuracies(r);
        if (!digital.containsKey("digital")) {
            m.put("digitalAccuracyPerNetwork", digital);
        }
        m.put("times", r.times());
        m.put("variants", r.variants());
        m.put("compensationApplied", compensationsApplied(r));
        m.put("summary", r.summaries());
        m.put("repeats", r.measurements());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("digitalPassSeconds", r.timing().digitalPassSeconds());
        t.put("analogPassSeconds", r.timing().analogPassSeconds());
        t.put("analogPasses", r.timing().analogPasses());
        t.put("analogToDigitalRatio", r.timing().ratio());
        m.put("timing", t);
        if (gains != null && !gains.isEmpty()) {
            m.put("gainsCaption", gainsCaption);
            m.put("gains", gains);
        }
        Map<String, Map<String, Object>> costs = costs(r);
        if (costs.containsKey(SINGLE)) {
            m.put(DesignCost.KEY, costs.get(SINGLE));
        } else if (!costs.isEmpty()) {
            m.put("costPerNetwork", costs);
        }
        m.put("configuration", r.configuration());
        return m;
    }

    /**
     * One row per (variant, time): mean, std, n and every repeat's accuracy.
     *
     * @param r the result
     * @return the CSV text with a header line
     */
    public static String csv(EvaluationResult r) {
        int reps = r.measurements().stream().mapToInt(Measurement::repeat).max().orElse(-1) + 1;
        StringBuilder sb = new StringBuilder("variant,time_s,time_label,mean_accuracy,std_accuracy,n");
        for (int i = 0; i < reps; i++) {
            sb.append(",rep").append(i);
        }
        sb.append(",digital_accuracy\n");
        for (Summary s : r.summaries()) {
            sb.append(s.variant()).append(',').append(fmt(s.timeSeconds())).append(',')
                    .append(Times.label(s.timeSeconds())).append(',').append(fmt(s.mean())).append(',')
                    .append(fmt(s.std())).append(',').append(s.n());
            for (int i = 0; i < reps; i++) {
                final int rep = i;
                sb.append(',');
                r.measurements().stream().filter(m -> m.variant().equals(s.variant())
                        && m.timeSeconds() == s.timeSeconds() && m.repeat() == rep).findFirst()
                        .ifPresent(m -> sb.append(fmt(m.accuracy())));
            }
            sb.append(',').append(fmt(r.digitalAccuracy())).append('\n');
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    /**
     * Accuracy (%) vs time: log time axis (ticks 10⁰, 10¹, … s) when all times are &gt; 0, mean with ±std error
     * bars per variant (each with its own colour, marker and dash pattern), digital accuracy per network as
     * horizontal lines.
     *
     * @param r the result
     * @return the PNG bytes
     */
    public static byte[] png(EvaluationResult r) {
        try {
            return BitmapEncoder.getBitmapBytes(chart(r), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart of {@link #png(EvaluationResult)}. */
    static XYChart chart(EvaluationResult r) {
        System.setProperty("java.awt.headless", "true");
        boolean log = r.times().stream().allMatch(t -> t > 0);
        String title = title(r) + (smoke(r) ? " [quick run: smoke output]" : "");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(log ? "time since programming (s, log scale: 1 h = 3.6·10³ s, 1 d = 8.6·10⁴ s, "
                        + "1 y = 3.2·10⁷ s)" : "time since programming")
                .yAxisTitle("test accuracy (%)").build();
        Font tf = chart.getStyler().getChartTitleFont();
        chart.getStyler().setChartTitleFont(tf.deriveFont((float) titleFontSize(title, tf, WIDTH - 80)));
        // A log time axis is drawn as a linear axis of log10(t / 1 s) with ticks at whole decades labelled 10^k:
        // XChart's own log axis labels decades as "1000" and "1E4", and its custom formatter ignores the log scale.
        chart.getStyler().setxAxisTickLabelsFormattingFunction(log ? ReportWriter::decadeTick : ReportWriter::timeTick);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(9);
        List<Double> times = new ArrayList<>(r.times());
        times.sort(Double::compare);
        double[] x = times.stream().mapToDouble(t -> log ? Math.log10(t) : t).toArray();
        if (log) {
            double x0 = Math.floor(x[0]);
            chart.getStyler().setXAxisMin(x0);
            chart.getStyler().setXAxisMax(Math.max(x0 + 1, Math.ceil(x[x.length - 1])));
        }
        double lo = r.digitalAccuracy();
        double hi = r.digitalAccuracy();
        int ci = 0;
        for (String v : r.variants()) {
            double[] mean = new double[x.length];
            double[] std = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Summary s = r.summary(v, times.get(i));
                mean[i] = 100 * s.mean();
                std[i] = 100 * s.std();
                lo = Math.min(lo, s.mean() - s.std());
                hi = Math.max(hi, s.mean() + s.std());
            }
            String label = r.variants().size() == 1 ? "analog (" + r.deviceName() + "), " + v + ", mean ± std"
                    : v + ", mean ± std";
            XYSeries s = chart.addSeries(label, x, mean, std);
            Color c = PALETTE[ci % PALETTE.length];
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(MARKERS[ci % MARKERS.length]);
            s.setLineStyle(stroke(DASHES[(ci / 2) % DASHES.length], 2f));
            ci++;
        }
        int di = 0;
        for (Map.Entry<String, Double> e : digitalAccuracies(r).entrySet()) {
            double acc = e.getValue();
            lo = Math.min(lo, acc);
            hi = Math.max(hi, acc);
            String name = e.getKey().equals("digital") ? "digital" : e.getKey() + " digital";
            XYSeries d = chart.addSeries(String.format(Locale.ROOT, "%s %.2f%%", name, 100 * acc),
                    new double[] {x[0], x[x.length - 1]}, new double[] {100 * acc, 100 * acc});
            d.setLineColor(di == 0 ? Color.BLACK : Color.DARK_GRAY);
            d.setMarker(SeriesMarkers.NONE);
            d.setLineStyle(stroke(di == 0 ? null : new float[] {3f + 3 * di, 3f}, 1.5f));
            di++;
        }
        chart.getStyler().setYAxisMax(Math.min(100, Math.ceil(100 * hi + 2)));
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor(100 * lo - 2)));
        return chart;
    }

    static BasicStroke stroke(float[] dash, float width) {
        return dash == null ? new BasicStroke(width)
                : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
    }

    /** Largest font size (≤ the theme's, ≥ 9 pt) at which {@code title} fits {@code widthPx}. */
    static int titleFontSize(String title, Font font, int widthPx) {
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).getGraphics()
                .getFontMetrics(font);
        int size = font.getSize();
        while (size > 9 && fm.getFont().deriveFont((float) size).getStringBounds(title,
                fm.getFontRenderContext()).getWidth() > widthPx) {
            size--;
        }
        return size;
    }

    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /** A tick of the log10-seconds axis: "10³" at whole decades, nothing between them (one format for all). */
    static String decadeTick(double log10Seconds) {
        long k = Math.round(log10Seconds);
        if (Math.abs(log10Seconds - k) > 1e-9) {
            return "";
        }
        StringBuilder sb = new StringBuilder("10");
        if (k < 0) {
            sb.append('⁻');
        }
        for (char ch : Long.toString(Math.abs(k)).toCharArray()) {
            sb.append(SUPERSCRIPTS.charAt(ch - '0'));
        }
        return sb.toString();
    }

    /**
     * A linear time-axis tick in one format for every tick: "1 s", "1 h", "1 d", "30 d", "1 y" (no "1000" beside "1E4";
     * the ticks sit at the evaluated times).
     */
    static String timeTick(double seconds) {
        return Times.label(seconds);
    }

    /**
     * The results as a plain-text table (one column per variant: mean ± std in %).
     *
     * @param r the result
     * @return the table text
     */
    public static String table(EvaluationResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-10s %12s", "time", "t [s]"));
        for (String v : r.variants()) {
            sb.append(String.format("  %-22s", v + " acc % (mean ± std)"));
        }
        sb.append('\n');
        for (double t : r.times()) {
            sb.append(String.format(Locale.ROOT, "%-10s %12.0f", Times.label(t), t));
            for (String v : r.variants()) {
                Summary s = r.summary(v, t);
                sb.append(String.format(Locale.ROOT, "  %7.2f ± %-12.2f", 100 * s.mean(), 100 * s.std()));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "digital accuracy %s on %d test samples; %d repeats; "
                + "one pass: digital %.2f s, analog %.2f s (ratio %.1f)%n", digitalText(r), r.testSamples(), r.measurements().stream().mapToInt(Measurement::repeat).max().orElse(-1) + 1,
                r.timing().digitalPassSeconds(), r.timing().analogPassSeconds(), r.timing().ratio()));
        return sb.toString();
    }

    /** "98.10%" for one network; "conventional 98.10%, hwa 97.95%" for several. */
    static String digitalText(EvaluationResult r) {
        Map<String, Double> d = digitalAccuracies(r);
        if (d.containsKey("digital")) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * d.get("digital"));
        }
        List<String> parts = new ArrayList<>();
        d.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.2f%%", k, 100 * v)));
        return String.join(", ", parts);
    }

    /**
     * Self-contained HTML: the plot (base64 PNG), the summary table, every repeat, the configuration.
     *
     * @param r the result
     * @param png the plot
     * @return the HTML text
     */
    public static String html(EvaluationResult r, byte[] png) {
        return html(r, png, List.of(), null);
    }

    /**
     * As {@link #html(EvaluationResult, byte[])}, with the gains table when {@code gains} is not empty.
     *
     * @param r the result
     * @param png the plot
     * @param gains the gains rows, or an empty list
     * @param gainsCaption the caption above the gains table
     * @return the HTML text
     */
    public static String html(EvaluationResult r, byte[] png, List<GainRow> gains, String gainsCaption) {
        return html(r, png, gains, gainsCaption, null);
    }

    /**
     * As {@link #html(EvaluationResult, byte[], List, String)}, with the hardware-cost table when the result
     * carries a cost ({@link DesignCost}) and the accuracy-versus-energy plot when {@code costPng} is not null.
     *
     * @param r the result
     * @param png the accuracy-versus-time plot
     * @param gains the gains rows, or an empty list
     * @param gainsCaption the caption above the gains table
     * @param costPng the accuracy-versus-energy plot ({@link #costPng}), or null
     * @return the HTML text
     */
    public static String html(EvaluationResult r, byte[] png, List<GainRow> gains, String gainsCaption,
            byte[] costPng) {
        StringBuilder h = new StringBuilder();
        String title = title(r);
        h.append(head(title));
        if (smoke(r)) {
            h.append("<p class=\"smoke\"><b>Quick run: smoke output.</b> The networks were trained briefly on few "
                    + "images and evaluated on few test images and repeats; these tables check that the pipeline "
                    + "runs and are not a measurement. Run without <code>--quick</code> for numbers.</p>\n");
        }
        Map<String, Double> digital = digitalAccuracies(r);
        h.append(String.format(Locale.ROOT, "<p>Device <b>%s</b>; %d test samples; digital accuracy <b>%s</b>;"
                + " seed %d; aimc %s. Analog layers: %s.</p>%n", esc(r.deviceName()), r.testSamples(),
                esc(digitalText(r)), r.seed(), esc(r.aimcVersion()), esc(String.join(", ", r.analogLayers()))));
        h.append("<img alt=\"accuracy vs time\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        h.append("<h2>Curves: compensation applied</h2>\n<table><tr><th class=\"l\">curve</th>"
                + "<th class=\"l\">compensation applied</th></tr>\n");
        compensationsApplied(r).forEach((v, what) -> h.append("<tr><td class=\"l\">").append(esc(v))
                .append("</td><td class=\"l\">").append(esc(what)).append("</td></tr>\n"));
        h.append("</table>\n");
        if (!digital.containsKey("digital")) {
            h.append("<h2>Digital test accuracy per network</h2>\n<table><tr><th class=\"l\">network</th>"
                    + "<th>digital accuracy (%)</th></tr>\n");
            digital.forEach((k, v) -> h.append(String.format(Locale.ROOT,
                    "<tr><td class=\"l\">%s</td><td>%.2f</td></tr>%n", esc(k), 100 * v)));
            h.append("</table>\n");
        }
        if (gains != null && !gains.isEmpty()) {
            h.append("<h2>Gains").append(gainsCaption == null ? "" : ": " + esc(gainsCaption))
                    .append(smoke(r) ? " (smoke output)" : "").append("</h2>\n<p>Accuracy points, mean over "
                    + "repeats; spread = sqrt(std<sub>b</sub>² + std<sub>c</sub>²).</p>\n<table><tr>"
                    + "<th class=\"l\">variant</th><th>time</th><th>baseline (%)</th><th>candidate (%)</th>"
                    + "<th>gain</th><th>spread</th></tr>\n");
            for (GainRow g : gains) {
                h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%.2f</td>"
                        + "<td>%.2f</td><td>%+.2f</td><td>%.2f</td></tr>%n", esc(g.variant()),
                        esc(Times.label(g.timeSeconds())), 100 * g.baseline(), 100 * g.candidate(), 100 * g.gain(),
                        100 * g.spread()));
            }
            h.append("</table>\n");
        }
        costHtml(h, r, costPng);
        h.append("<h2>Accuracy over time (mean ± std over repeats, %)</h2>\n<table><tr><th>time</th><th>t [s]</th>");
        for (String v : r.variants()) {
            h.append("<th>").append(esc(v)).append("</th>");
        }
        h.append("</tr>\n");
        for (double t : r.times()) {
            h.append("<tr><td>").append(esc(Times.label(t))).append("</td><td>").append(fmt(t)).append("</td>");
            for (String v : r.variants()) {
                Summary s = r.summary(v, t);
                h.append(String.format(Locale.ROOT, "<td>%.2f ± %.2f</td>", 100 * s.mean(), 100 * s.std()));
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Every repeat (%)</h2>\n<table><tr><th>variant</th><th>repeat</th><th>seed</th>");
        for (double t : r.times()) {
            h.append("<th>").append(esc(Times.label(t))).append("</th>");
        }
        h.append("</tr>\n");
        int reps = r.measurements().stream().mapToInt(Measurement::repeat).max().orElse(-1) + 1;
        for (String v : r.variants()) {
            for (int rep = 0; rep < reps; rep++) {
                final int fr = rep;
                List<Measurement> row = r.measurements().stream()
                        .filter(m -> m.variant().equals(v) && m.repeat() == fr).toList();
                if (row.isEmpty()) {
                    continue;
                }
                h.append("<tr><td>").append(esc(v)).append("</td><td>").append(rep).append("</td><td>")
                        .append(row.get(0).seed()).append("</td>");
                for (double t : r.times()) {
                    h.append(row.stream().filter(m -> m.timeSeconds() == t).findFirst()
                            .map(m -> String.format(Locale.ROOT, "<td>%.2f</td>", 100 * m.accuracy()))
                            .orElse("<td></td>"));
                }
                h.append("</tr>\n");
            }
        }
        h.append(String.format(Locale.ROOT, "</table>\n<p>One pass over the test samples: digital %.3f s, analog "
                + "%.3f s (mean of %d), ratio %.1f.</p>%n", r.timing().digitalPassSeconds(),
                r.timing().analogPassSeconds(), r.timing().analogPasses(), r.timing().ratio()));
        try {
            h.append("<h2>Configuration</h2>\n<pre>").append(esc(mapper().writeValueAsString(r.configuration())))
                    .append("</pre>\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Key of a single result's cost in {@link #costs}. */
    static final String SINGLE = "";

    /**
     * The hardware cost of each design in {@code r}: a combined result's networks that carry one (by network name),
     * or the one design of a single result (key {@value #SINGLE}).
     *
     * @param r the result
     * @return cost summaries ({@link DesignCost#summary}), empty when none was computed
     */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> costs(EvaluationResult r) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> conf = r.configuration();
        if (conf == null) {
            return out;
        }
        if (conf.get("networks") instanceof Map<?, ?> nets) {
            nets.forEach((k, v) -> {
                if (v instanceof Map<?, ?> nc && nc.get(DesignCost.KEY) instanceof Map<?, ?> c) {
                    out.put(String.valueOf(k), (Map<String, Object>) c);
                }
            });
        } else if (conf.get(DesignCost.KEY) instanceof Map<?, ?> c) {
            out.put(SINGLE, (Map<String, Object>) c);
        }
        return out;
    }

    /** The compensation variants of a combined result ("network/gdc" gives "gdc"), in order. */
    static List<String> compensationsOf(EvaluationResult r) {
        List<String> out = new ArrayList<>();
        for (String v : r.variants()) {
            String c = v.substring(v.indexOf('/') + 1);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The curve of {@code design}'s compensation {@code c}: "c" in a single result, "design/c" in a combined one. */
    private static String variant(String design, String c) {
        return design.equals(SINGLE) ? c : design + "/" + c;
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * Accuracy at the last evaluated time (mean ± std) against energy per inference: one point per costed design and
     * compensation variant (colour: variant, marker: design); a log energy axis when the energies span more than a
     * decade.
     *
     * @param r a result with two or more costed designs ({@link #costs})
     * @return the PNG bytes
     */
    public static byte[] costPng(EvaluationResult r) {
        try {
            return BitmapEncoder.getBitmapBytes(costChart(r), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart of {@link #costPng}. */
    static XYChart costChart(EvaluationResult r) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Map<String, Object>> costs = costs(r);
        List<String> designs = new ArrayList<>(costs.keySet());
        designs.sort((a, b) -> Double.compare(num(costs.get(a), "energyPj"), num(costs.get(b), "energyPj")));
        double last = r.times().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double[] x = designs.stream().mapToDouble(d -> num(costs.get(d), "energyPj") / 1e3).toArray();
        boolean log = x[0] > 0 && x[x.length - 1] / x[0] > 10;
        String title = title(r) + ": accuracy at " + Times.label(last) + " vs energy" + (smoke(r) ? " [smoke output]" : "");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("energy per inference (nJ" + (log ? ", log scale" : "") + "; component table: "
                        + costs.get(designs.get(0)).get("components") + ")")
                .yAxisTitle("test accuracy at " + Times.label(last) + " (%)").build();
        Font tf = chart.getStyler().getChartTitleFont();
        chart.getStyler().setChartTitleFont(tf.deriveFont((float) titleFontSize(title, tf, WIDTH - 80)));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.4g", v));
        if (x[x.length - 1] <= x[0] * 1.05) { // equal energies: give the points room
            chart.getStyler().setXAxisMin(x[0] * 0.9);
            chart.getStyler().setXAxisMax(x[0] * 1.1);
        }
        // one point per (design, compensation): colour = compensation, marker = design, no lines between designs
        List<String> comps = compensationsOf(r);
        for (int di = 0; di < designs.size(); di++) {
            for (int ci = 0; ci < comps.size(); ci++) {
                Summary s = r.summary(variant(designs.get(di), comps.get(ci)), last);
                if (s == null) {
                    continue;
                }
                XYSeries p = chart.addSeries(designs.get(di) + ", " + comps.get(ci) + ", mean ± std",
                        new double[] {x[di]}, new double[] {100 * s.mean()}, new double[] {100 * s.std()});
                Color col = PALETTE[ci % PALETTE.length];
                p.setLineColor(col);
                p.setMarkerColor(col);
                p.setMarker(MARKERS[di % MARKERS.length]);
                p.setLineStyle(new BasicStroke(0f));
            }
        }
        return chart;
    }

    /** The hardware-cost section: one row per design, the accuracy at the last time per variant beside it. */
    private static void costHtml(StringBuilder h, EvaluationResult r, byte[] costPng) {
        Map<String, Map<String, Object>> costs = costs(r);
        if (costs.isEmpty()) {
            return;
        }
        double last = r.times().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Map<String, Object> any = costs.values().iterator().next();
        h.append("<h2>Hardware cost per inference</h2>\n<p>Component table ").append(esc(String.valueOf(
                any.get("components")))).append(", ADC scaling ").append(esc(String.valueOf(any.get("adcScaling"))))
                .append("; the evaluated tiles (").append(any.get("tileRows")).append(" × ").append(any.get(
                "tileCols")).append(", ").append(any.get("adcBits")).append("-bit ADC, ").append(any.get("dacBits"))
                .append("-bit DAC, ").append(esc(String.valueOf(any.get("mapping")))).append(" mapping); "
                + "8-bit inputs and weights (aimc cost for per-layer detail).</p>\n");
        if (costPng != null) {
            h.append("<img alt=\"accuracy vs energy\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(costPng)).append("\">\n");
        }
        List<String> comps = compensationsOf(r);
        h.append("<table><tr><th class=\"l\">design</th><th>tiles</th><th>energy (nJ)</th><th>ADC energy (nJ)</th>"
                + "<th>area (mm²)</th><th>latency (µs)</th>");
        for (String c : comps) {
            h.append("<th>").append(esc(c)).append(" at ").append(esc(Times.label(last))).append(" (%)</th>");
        }
        h.append("</tr>\n");
        costs.forEach((d, c) -> {
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%s</td><td>%.4g</td><td>%.4g</td>"
                    + "<td>%.4g</td><td>%.4g</td>", esc(d.equals(SINGLE) ? title(r) : d), c.get("tiles"),
                    num(c, "energyPj") / 1e3, num(c, "adcEnergyPj") / 1e3, num(c, "areaUm2") / 1e6,
                    num(c, "latencyNs") / 1e3));
            for (String comp : comps) {
                Summary s = r.summary(variant(d, comp), last);
                h.append(s == null ? "<td></td>" : String.format(Locale.ROOT, "<td>%.2f ± %.2f</td>",
                        100 * s.mean(), 100 * s.std()));
            }
            h.append("</tr>\n");
        });
        h.append("</table>\n");
    }

    /**
     * The start of a self-contained report page: doctype, title, the shared style sheet, and the title as heading.
     *
     * @param title the page title (escaped here)
     * @return the HTML up to and including the {@code <h1>}
     */
    static String head(String title) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:1000px;"
                + "margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
                + "#ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}"
                + "pre{background:#f7f7f7;padding:1em;overflow:auto}img{max-width:100%;height:auto}"
                + ".smoke{background:#fff3cd;border:1px solid #e0c36c;padding:.6em 1em}</style></head><body>\n"
                + "<h1>" + esc(title) + "</h1>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
