package dev.aimc.report;

import dev.aimc.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Self-contained HTML reports (plot as base64 PNG, the numbers as a table) of the variation-robustness commands
 * ({@code aimc variation}, {@code quant-search}, {@code place-compensation}), written beside their {@code --json}
 * ({@link #beside}): accuracy versus σ with the chip-to-chip spread as error bars, the accuracy-versus-ADC-energy
 * Pareto plot with the uniform baseline marked, and accuracy versus compensation overhead per placement.
 */
public final class RobustnessReport {
    private RobustnessReport() {}

    /**
     * One curve of accuracy versus σ.
     *
     * @param label the network (and "+ comp" when compensated)
     * @param compensated whether the network carries an error compensation (drawn dashed)
     * @param sigma σ of ln(g'/g), increasing
     * @param mean mean accuracy over the chips per σ, fraction in [0, 1]
     * @param std sample std over the chips per σ, fraction
     */
    public record Curve(String label, boolean compensated, double[] sigma, double[] mean, double[] std) {
        /**
         * Checks the lengths.
         *
         * @param label the network
         * @param compensated whether compensated
         * @param sigma σ values
         * @param mean mean accuracy per σ, fraction
         * @param std std per σ, fraction
         * @throws IllegalArgumentException when the arrays differ in length or are empty
         */
        public Curve {
            if (sigma.length == 0 || mean.length != sigma.length || std.length != sigma.length) {
                throw new IllegalArgumentException("one mean and std per σ needed");
            }
        }
    }

    /**
     * The network a curve's label names: the label without its compensation suffix (" + comp", or " + comp on chip"
     * for a compensation trained per chip).
     *
     * @param label a curve's label
     * @return the network's name; {@code label} itself when it names no compensation
     */
    public static String network(String label) {
        return label.replaceFirst(" \\+ comp( on chip)?$", "");
    }

    /**
     * One evaluated design or placement: a cost and its Monte-Carlo accuracy.
     *
     * @param label its description
     * @param cost ADC energy per inference in nJ (quantization) or MAC overhead in % (placement)
     * @param mean mean accuracy over the chips, fraction
     * @param std sample std over the chips, fraction
     */
    public record Point(String label, double cost, double mean, double std) {}

    /**
     * The report's path beside a JSON output: {@code x.json} → {@code x.html} (other names get {@code .html}
     * appended).
     *
     * @param json the --json path
     * @return the HTML path in the same folder
     */
    public static Path beside(Path json) {
        String n = json.getFileName().toString();
        String stem = n.toLowerCase(Locale.ROOT).endsWith(".json") ? n.substring(0, n.length() - 5) : n;
        return json.resolveSibling(stem + ".html");
    }

    // ------------------------------------------------------------------ accuracy versus σ

    /**
     * Accuracy (%) versus σ: one series per curve (mean ± std over the chips as error bars; a compensated curve
     * "net + comp" dashed in the colour of "net"), and the chance level as a dotted line.
     *
     * @param title the chart title
     * @param curves the curves, at least one
     * @param chance chance accuracy (fraction; 0.1 for ten classes), or NaN for none
     * @return the chart
     */
    public static XYChart sigmaChart(String title, List<Curve> curves, double chance) {
        XYChart chart = chart(title, "σ of ln(g'/g), per device (log-normal variation)", "accuracy (%), mean ± std "
                + "over chips");
        double maxSigma = 0;
        java.util.Map<String, Integer> colours = new java.util.LinkedHashMap<>();
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            // a compensated curve takes its network's colour ("net + comp" after "net"), dashed
            String network = c.compensated() ? network(c.label()) : c.label();
            int colour = colours.computeIfAbsent(network, k -> colours.size());
            XYSeries s = chart.addSeries(c.label(), c.sigma(), percent(c.mean()), percent(c.std()));
            Color col = ReportWriter.PALETTE[colour % ReportWriter.PALETTE.length];
            s.setLineColor(col);
            s.setMarkerColor(col);
            s.setMarker(ReportWriter.MARKERS[i % ReportWriter.MARKERS.length]);
            s.setLineStyle(ReportWriter.stroke(c.compensated() ? ReportWriter.DASHES[1] : null, 2f));
            maxSigma = Math.max(maxSigma, c.sigma()[c.sigma().length - 1]);
        }
        if (!Double.isNaN(chance)) {
            XYSeries s = chart.addSeries(String.format(Locale.ROOT, "chance %.0f%%", 100 * chance),
                    new double[] {0, Math.max(maxSigma, 1e-9)}, new double[] {100 * chance, 100 * chance});
            s.setLineColor(Color.GRAY);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(ReportWriter.stroke(ReportWriter.DASHES[2], 1.5f));
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        return chart;
    }

    /**
     * The report of {@code aimc variation}: the σ plot and a table of mean ± std per curve and σ.
     *
     * @param title the report title
     * @param note one paragraph of settings (plain text)
     * @param curves the curves
     * @param chance chance accuracy, or NaN
     * @return the HTML text
     */
    public static String variationHtml(String title, String note, List<Curve> curves, double chance) {
        StringBuilder h = new StringBuilder(ReportWriter.head(title));
        h.append("<p>").append(ReportWriter.esc(note)).append("</p>\n");
        image(h, "accuracy vs sigma", sigmaChart(title, curves, chance));
        h.append("<table><tr><th>σ</th>");
        for (Curve c : curves) {
            h.append("<th>").append(ReportWriter.esc(c.label())).append(" (%)</th>");
        }
        h.append("</tr>\n");
        double[] sig = curves.get(0).sigma();
        for (int i = 0; i < sig.length; i++) {
            h.append("<tr><td>").append(num(sig[i])).append("</td>");
            for (Curve c : curves) {
                h.append(String.format(Locale.ROOT, "<td>%.2f ± %.2f</td>", 100 * c.mean()[i], 100 * c.std()[i]));
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    // ------------------------------------------------------------------ accuracy versus ADC energy

    /**
     * Accuracy (%) versus total ADC energy per inference (nJ; ADC power = energy × inference rate, so its ratio to
     * the baseline is the power ratio): every evaluated design as a grey dot, the Pareto front as a line with
     * error bars, the uniform baseline and the chosen design as large markers, the accuracy floor (baseline −
     * margin) as a dotted line. Log energy axis when the energies span more than a decade.
     *
     * @param title the chart title
     * @param evaluated every evaluated design (cost in nJ)
     * @param front the Pareto front, by increasing energy
     * @param baseline the uniform baseline
     * @param chosen the chosen design
     * @param floor the accuracy floor, fraction
     * @return the chart
     */
    public static XYChart paretoChart(String title, List<Point> evaluated, List<Point> front, Point baseline,
            Point chosen, double floor) {
        XYChart chart = chart(title, "total ADC energy per inference (nJ) ∝ ADC power at a fixed inference rate",
                "validation accuracy (%), mean over chips");
        double lo = evaluated.stream().mapToDouble(Point::cost).min().orElse(1);
        double hi = evaluated.stream().mapToDouble(Point::cost).max().orElse(1);
        boolean log = lo > 0 && hi / lo > 10;
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.3g", v));
        cloud(chart, "evaluated designs", evaluated);
        XYSeries f = chart.addSeries("Pareto front, mean ± std", costs(front),
                percent(front.stream().mapToDouble(Point::mean).toArray()),
                percent(front.stream().mapToDouble(Point::std).toArray()));
        f.setLineColor(ReportWriter.PALETTE[0]);
        f.setMarkerColor(ReportWriter.PALETTE[0]);
        f.setMarker(SeriesMarkers.DIAMOND);
        XYSeries fl = chart.addSeries(String.format(Locale.ROOT, "accuracy floor %.2f%%", 100 * floor),
                new double[] {lo, hi}, new double[] {100 * floor, 100 * floor});
        fl.setLineColor(Color.GRAY);
        fl.setMarker(SeriesMarkers.NONE);
        fl.setLineStyle(ReportWriter.stroke(ReportWriter.DASHES[2], 1.5f));
        marker(chart, "uniform baseline: " + baseline.label(), baseline, Color.BLACK, SeriesMarkers.SQUARE);
        marker(chart, String.format(Locale.ROOT, "chosen (%+.1f%% ADC energy): %s",
                100 * (chosen.cost() / baseline.cost() - 1), chosen.label()), chosen, ReportWriter.PALETTE[1],
                SeriesMarkers.TRIANGLE_UP);
        return chart;
    }

    /**
     * The report of {@code aimc quant-search}: the Pareto plot and the front as a table.
     *
     * @param title the report title
     * @param note one paragraph of settings (plain text)
     * @param evaluated every evaluated design (cost in nJ)
     * @param front the Pareto front
     * @param baseline the uniform baseline
     * @param chosen the chosen design
     * @param floor the accuracy floor, fraction
     * @return the HTML text
     */
    public static String quantSearchHtml(String title, String note, List<Point> evaluated, List<Point> front,
            Point baseline, Point chosen, double floor) {
        StringBuilder h = new StringBuilder(ReportWriter.head(title));
        h.append("<p>").append(ReportWriter.esc(note)).append("</p>\n");
        image(h, "accuracy vs ADC energy", paretoChart(title, evaluated, front, baseline, chosen, floor));
        h.append("<table><tr><th class=\"l\">design (layer=cell bits:weight bits/ADC bits)</th><th>ADC energy "
                + "(nJ)</th><th>vs baseline</th><th>accuracy (%)</th></tr>\n");
        List<Point> rows = new ArrayList<>();
        rows.add(baseline);
        rows.add(chosen);
        rows.addAll(front);
        String[] tags = new String[rows.size()];
        tags[0] = "baseline: ";
        tags[1] = "chosen: ";
        for (int i = 2; i < tags.length; i++) {
            tags[i] = "front: ";
        }
        for (int i = 0; i < rows.size(); i++) {
            Point p = rows.get(i);
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s%s</td><td>%.4g</td><td>%+.1f %%</td>"
                    + "<td>%.2f ± %.2f</td></tr>%n", tags[i], ReportWriter.esc(p.label()), p.cost(),
                    100 * (p.cost() / baseline.cost() - 1), 100 * p.mean(), 100 * p.std()));
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    // ------------------------------------------------------------------ placements

    /**
     * The report of {@code aimc place-compensation}: accuracy versus MAC overhead of every trained placement, the
     * methods' choices marked, and a table of the methods.
     *
     * @param title the report title
     * @param note one paragraph of settings (plain text)
     * @param placements every trained placement (cost: MAC overhead in %)
     * @param methods the placement each method chose, labelled "method: layers"
     * @return the HTML text
     */
    public static String placementHtml(String title, String note, List<Point> placements, List<Point> methods) {
        StringBuilder h = new StringBuilder(ReportWriter.head(title));
        h.append("<p>").append(ReportWriter.esc(note)).append("</p>\n");
        XYChart chart = chart(title, "compensation MACs (% of the backbone's)", "validation accuracy (%), mean ± "
                + "std over chips");
        cloud(chart, "trained placements", placements);
        for (int i = 0; i < methods.size(); i++) {
            marker(chart, methods.get(i).label(), methods.get(i), ReportWriter.PALETTE[i % ReportWriter.PALETTE.length],
                    ReportWriter.MARKERS[(i + 1) % ReportWriter.MARKERS.length]);
        }
        image(h, "accuracy vs compensation overhead", chart);
        h.append("<table><tr><th class=\"l\">method: placement</th><th>MACs (%)</th><th>accuracy (%)</th></tr>\n");
        for (Point p : methods) {
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%+.2f</td><td>%.2f ± %.2f</td></tr>%n",
                    ReportWriter.esc(p.label()), p.cost(), 100 * p.mean(), 100 * p.std()));
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    /**
     * Writes a report atomically.
     *
     * @param target the HTML file
     * @param html its text
     * @throws UncheckedIOException when writing fails (the target is then unchanged)
     */
    public static void write(Path target, String html) {
        try {
            AtomicFiles.writeString(target, html);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ shared

    private static XYChart chart(String title, String x, String y) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(ReportWriter.WIDTH).height(ReportWriter.HEIGHT).title(title)
                .xAxisTitle(x).yAxisTitle(y).build();
        Font tf = chart.getStyler().getChartTitleFont();
        chart.getStyler().setChartTitleFont(tf.deriveFont((float) ReportWriter.titleFontSize(title, tf,
                ReportWriter.WIDTH - 80)));
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setMarkerSize(9);
        return chart;
    }

    /** Every point as a grey dot without lines, labelled "what (n)". */
    private static void cloud(XYChart chart, String what, List<Point> points) {
        XYSeries all = chart.addSeries(what + " (" + points.size() + ")", costs(points),
                percent(points.stream().mapToDouble(Point::mean).toArray()));
        all.setMarker(SeriesMarkers.CIRCLE);
        all.setMarkerColor(new Color(0xB0B0B0));
        all.setLineStyle(new BasicStroke(0f));
        all.setLineColor(new Color(0, 0, 0, 0));
    }

    private static void marker(XYChart chart, String label, Point p, Color c,
            org.knowm.xchart.style.markers.Marker m) {
        XYSeries s = chart.addSeries(label, new double[] {p.cost()}, new double[] {100 * p.mean()},
                new double[] {100 * p.std()});
        s.setMarker(m);
        s.setMarkerColor(c);
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(0f));
    }

    private static void image(StringBuilder h, String alt, XYChart chart) {
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        h.append("<img alt=\"").append(alt).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
    }

    private static double[] percent(double[] v) {
        double[] p = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = 100 * v[i];
        }
        return p;
    }

    private static double[] costs(List<Point> ps) {
        return ps.stream().mapToDouble(Point::cost).toArray();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
