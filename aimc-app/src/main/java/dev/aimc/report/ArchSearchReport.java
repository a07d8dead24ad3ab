package dev.aimc.report;

import dev.aimc.search.ParetoFront;
import dev.aimc.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report of {@code aimc arch-search}: validation accuracy against area and against energy per inference, every
 * candidate a point, the Pareto front of each plot joined by a line, the baseline and the chosen design marked; the
 * plots as PNG files and in report.html with the table of the candidates on either front.
 */
public final class ArchSearchReport {
    private ArchSearchReport() {}

    /** Accuracy against area. */
    public static final String AREA_PNG = "accuracy_vs_area.png";
    /** Accuracy against energy. */
    public static final String ENERGY_PNG = "accuracy_vs_energy.png";
    /** The HTML report. */
    public static final String HTML = "report.html";

    /**
     * One evaluated candidate as plotted.
     *
     * @param label the design, e.g. "265-128-64-6 +0-"
     * @param areaMm2 area, mm²
     * @param energyNj energy per inference, nJ
     * @param accuracyPct validation accuracy, %
     */
    public record Point(String label, double areaMm2, double energyNj, double accuracyPct) {}

    /**
     * Writes the two plots and report.html into {@code dir} (each atomically).
     *
     * @param dir the output folder (exists)
     * @param what the data set as the titles name it, e.g. "har265 (265 features)"
     * @param points every candidate evaluated
     * @param baseline the baseline
     * @param chosen the chosen design
     * @param objective the searched cost, "area" or "energy"
     * @param tolerance the choice rule's tolerance, points
     * @throws IOException when a file cannot be written
     */
    public static void write(Path dir, String what, List<Point> points, Point baseline, Point chosen,
            String objective, double tolerance) throws IOException {
        byte[] area = png(chart(what, points, baseline, chosen, true));
        byte[] energy = png(chart(what, points, baseline, chosen, false));
        AtomicFiles.write(dir.resolve(AREA_PNG), o -> o.write(area));
        AtomicFiles.write(dir.resolve(ENERGY_PNG), o -> o.write(energy));
        AtomicFiles.writeString(dir.resolve(HTML), html(what, points, baseline, chosen, objective, tolerance, area,
                energy));
    }

    private static byte[] png(XYChart c) {
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chart of accuracy against area ({@code area} true) or energy.
     *
     * @param what the data set as titled
     * @param points every candidate
     * @param baseline the baseline
     * @param chosen the chosen design
     * @param area area (true) or energy (false) on the x axis
     * @return the chart
     */
    static XYChart chart(String what, List<Point> points, Point baseline, Point chosen, boolean area) {
        System.setProperty("java.awt.headless", "true");
        ToDoubleFunction<Point> x = area ? Point::areaMm2 : Point::energyNj;
        String title = "Architecture search, " + what + ": validation accuracy vs " + (area ? "area" : "energy per "
                + "inference");
        XYChart c = new XYChartBuilder().width(ReportWriter.WIDTH).height(ReportWriter.HEIGHT).title(title)
                .xAxisTitle(area ? "area (mm²)" : "energy per inference (nJ)")
                .yAxisTitle("validation accuracy after the short training (%)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.getStyler().setMarkerSize(8);
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.4g", v));
        XYSeries all = c.addSeries("candidates (" + points.size() + ")", points.stream().mapToDouble(x).toArray(),
                points.stream().mapToDouble(Point::accuracyPct).toArray());
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        all.setMarkerColor(new Color(0x999999));
        List<Point> front = ParetoFront.of(points, x, Point::accuracyPct);
        XYSeries f = c.addSeries("Pareto front (" + front.size() + ")", front.stream().mapToDouble(x).toArray(),
                front.stream().mapToDouble(Point::accuracyPct).toArray());
        f.setMarker(SeriesMarkers.CIRCLE);
        f.setMarkerColor(new Color(0x0072B2));
        f.setLineColor(new Color(0x0072B2));
        XYSeries b = c.addSeries("baseline " + baseline.label(), new double[] {x.applyAsDouble(baseline)},
                new double[] {baseline.accuracyPct()});
        b.setMarker(SeriesMarkers.SQUARE);
        b.setMarkerColor(new Color(0xD55E00));
        b.setLineStyle(new BasicStroke(0f));
        XYSeries ch = c.addSeries("chosen " + chosen.label(), new double[] {x.applyAsDouble(chosen)},
                new double[] {chosen.accuracyPct()});
        ch.setMarker(SeriesMarkers.DIAMOND);
        ch.setMarkerColor(new Color(0x009E73));
        ch.setLineStyle(new BasicStroke(0f));
        return c;
    }

    private static String html(String what, List<Point> points, Point baseline, Point chosen, String objective,
            double tolerance, byte[] area, byte[] energy) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                + "Architecture search, " + esc(what) + "</title><style>body{font-family:sans-serif}td,th{padding:"
                + "2px 8px;text-align:right}td.l,th.l{text-align:left}</style></head><body>\n");
        h.append("<h1>Architecture search, ").append(esc(what)).append("</h1>\n<p>").append(points.size())
                .append(" candidates. Searched cost: ").append(esc(objective)).append(". Choice: the least ")
                .append(esc(objective)).append(String.format(Locale.ROOT, " within %.2f points of the best validation"
                + " accuracy.</p>\n", tolerance));
        for (byte[] png : new byte[][] {area, energy}) {
            h.append("<img alt=\"Pareto plot\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        }
        List<Point> fa = ParetoFront.of(points, Point::areaMm2, Point::accuracyPct);
        List<Point> fe = ParetoFront.of(points, Point::energyNj, Point::accuracyPct);
        h.append("<table><tr><th class=\"l\">design</th><th>validation accuracy (%)</th><th>area (mm²)</th>"
                + "<th>energy (nJ)</th><th class=\"l\">on front</th></tr>\n");
        for (Point p : points) {
            boolean a = fa.contains(p);
            boolean e = fe.contains(p);
            if (!a && !e && !p.equals(baseline) && !p.equals(chosen)) {
                continue;
            }
            String tag = (a ? "area " : "") + (e ? "energy " : "") + (p.equals(baseline) ? "(baseline) " : "")
                    + (p.equals(chosen) ? "(chosen)" : "");
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.2f</td><td>%.4f</td><td>%.3f</td>"
                    + "<td class=\"l\">%s</td></tr>\n", esc(p.label()), p.accuracyPct(), p.areaMm2(), p.energyNj(),
                    tag.strip()));
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
