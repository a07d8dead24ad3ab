package dev.aimc.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimc.experiment.InferenceExperiment.Measurement;
import dev.aimc.experiment.InferenceExperiment.Result;
import dev.aimc.experiment.InferenceExperiment.Summary;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.Json;
import dev.aimc.util.Times;
import java.awt.BasicStroke;
import java.awt.Color;
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
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes an experiment's {@code results.json}, {@code results.csv}, {@code accuracy_vs_time.png} and a
 * self-contained {@code report.html} (PNG embedded as base64), each atomically.
 */
public final class ReportWriter {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String PNG = "accuracy_vs_time.png";
    public static final String HTML = "report.html";

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private ReportWriter() {}

    /** Writes all four files into {@code dir} (created if needed). */
    public static void write(Path dir, Result r) {
        try {
            AtomicFiles.write(dir.resolve(JSON), out -> mapper().writeValue(out, json(r)));
            AtomicFiles.writeString(dir.resolve(CSV), csv(r));
            byte[] png = png(r);
            AtomicFiles.write(dir.resolve(PNG), out -> out.write(png));
            AtomicFiles.writeString(dir.resolve(HTML), html(r, png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper MAPPER = Json.PRETTY.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The JSON document: metadata, configuration, digital accuracy, summaries, every repeat, timing. */
    static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", r.title());
        m.put("aimcVersion", r.aimcVersion());
        m.put("seed", r.seed());
        m.put("device", r.deviceName());
        m.put("analogLayers", r.analogLayers());
        m.put("testSamples", r.testSamples());
        m.put("digitalAccuracy", r.digitalAccuracy());
        m.put("times", r.times());
        m.put("variants", r.variants());
        m.put("summary", r.summaries());
        m.put("repeats", r.measurements());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("digitalPassSeconds", r.timing().digitalPassSeconds());
        t.put("analogPassSeconds", r.timing().analogPassSeconds());
        t.put("analogPasses", r.timing().analogPasses());
        t.put("analogToDigitalRatio", r.timing().ratio());
        m.put("timing", t);
        m.put("configuration", r.configuration());
        return m;
    }

    /** One row per (variant, time): mean, std, n and every repeat's accuracy. */
    public static String csv(Result r) {
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

    /** Accuracy (%) vs time: log time axis when all times are > 0, mean with ±std error bars and dashed band
     * edges per variant, digital accuracy as a horizontal line. */
    public static byte[] png(Result r) {
        System.setProperty("java.awt.headless", "true");
        boolean log = r.times().stream().allMatch(t -> t > 0);
        XYChart chart = new XYChartBuilder().width(900).height(560).title(r.title())
                .xAxisTitle(log ? "time since programming (s, log scale)" : "time since programming (s)")
                .yAxisTitle("test accuracy (%)").build();
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        List<Double> times = new ArrayList<>(r.times());
        times.sort(Double::compare);
        double[] x = times.stream().mapToDouble(Double::doubleValue).toArray();
        double lo = r.digitalAccuracy();
        double hi = r.digitalAccuracy();
        int ci = 0;
        for (String v : r.variants()) {
            double[] mean = new double[x.length];
            double[] std = new double[x.length];
            double[] up = new double[x.length];
            double[] dn = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                Summary s = r.summary(v, x[i]);
                mean[i] = 100 * s.mean();
                std[i] = 100 * s.std();
                up[i] = mean[i] + std[i];
                dn[i] = mean[i] - std[i];
                lo = Math.min(lo, s.mean() - s.std());
                hi = Math.max(hi, s.mean() + s.std());
            }
            Color c = PALETTE[ci++ % PALETTE.length];
            String label = r.variants().size() == 1 ? "analog (" + r.deviceName() + "), mean ± std"
                    : v + ", mean ± std";
            XYSeries s = chart.addSeries(label, x, mean, std);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.CIRCLE);
            for (double[] edge : new double[][] {up, dn}) {
                XYSeries e = chart.addSeries(label + (edge == up ? " +std" : " -std"), x, edge);
                e.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
                e.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {5f, 4f}, 0f));
                e.setMarker(SeriesMarkers.NONE);
                e.setShowInLegend(false);
            }
        }
        XYSeries d = chart.addSeries(String.format(Locale.ROOT, "digital %.2f%%", 100 * r.digitalAccuracy()),
                new double[] {x[0], x[x.length - 1]}, new double[] {100 * r.digitalAccuracy(),
                    100 * r.digitalAccuracy()});
        d.setLineColor(Color.BLACK);
        d.setMarker(SeriesMarkers.NONE);
        d.setLineStyle(new BasicStroke(1.5f));
        chart.getStyler().setYAxisMax(Math.min(100, Math.ceil(100 * hi + 2)));
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor(100 * lo - 2)));
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The results as a plain-text table (one column per variant: mean ± std in %). */
    public static String table(Result r) {
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
        sb.append(String.format(Locale.ROOT, "digital accuracy %.2f%% on %d test samples; %d repeats; "
                + "one pass: digital %.2f s, analog %.2f s (ratio %.1f)%n", 100 * r.digitalAccuracy(),
                r.testSamples(), r.measurements().stream().mapToInt(Measurement::repeat).max().orElse(-1) + 1,
                r.timing().digitalPassSeconds(), r.timing().analogPassSeconds(), r.timing().ratio()));
        return sb.toString();
    }

    /** Self-contained HTML: the plot (base64 PNG), the summary table, every repeat, the configuration. */
    public static String html(Result r, byte[] png) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(r.title())).append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;"
                + "margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
                + "#ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}pre{background:#f7f7f7;padding:1em;"
                + "overflow:auto}</style></head><body>\n");
        h.append("<h1>").append(esc(r.title())).append("</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>Device <b>%s</b>; %d test samples; digital accuracy <b>%.2f%%</b>;"
                + " seed %d; aimc %s. Analog layers: %s.</p>%n", esc(r.deviceName()), r.testSamples(),
                100 * r.digitalAccuracy(), r.seed(), esc(r.aimcVersion()), esc(String.join(", ", r.analogLayers()))));
        h.append("<img alt=\"accuracy vs time\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
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

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
