package dev.aimc.cli;

import dev.aimc.compensation.MvmErrorSweep;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.report.Json;
import dev.aimc.util.Times;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aimc mvm-error}: MVM error and MAC accuracy of one random-weight tile over time, per compensation, with the
 * fraction of outputs the ADC saturated (so clipping is not mistaken for device error).
 */
@Command(name = "mvm-error", mixinStandardHelpOptions = true,
        description = {"MVM error ||y - y_ideal|| / ||y_ideal|| and MAC accuracy 1 - RMS(y - y_ideal) / range(y_ideal)"
                + " of a crossbar with uniform random weights in [-1, 1], over time and compensation schemes, and the "
                + "fraction of outputs at the ADC's saturation bound.",
            "ADC range: outputs are in units of (max|W|) x (max|x|), so a column of N rows with uniform weights and "
                + "inputs in [-1, 1] has an ideal output std of sqrt(N)/3 (7.5 for 512 rows). A range below ~4 std "
                + "clips many outputs and the error then measures the ADC, not the device (an ideal device shows "
                + "19 %% at range 12 with 512 rows). The default, auto, is 4 std = 4 sqrt(rows)/3 (30.2 for 512 "
                + "rows), where an ideal device's error is ~1 %% (8-bit quantisation)."})
public final class MvmErrorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin PeripheryOptions peripheryErrors;

    @Option(names = "--device", defaultValue = "pcm", description = DeviceModels.OPTION_HELP
            + " (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--rows", defaultValue = "512", description = "crossbar rows = inputs per vector "
            + "(default: ${DEFAULT-VALUE})") int rows;
    @Option(names = "--cols", defaultValue = "512", description = "crossbar columns = outputs per vector "
            + "(default: ${DEFAULT-VALUE})") int cols;
    @Option(names = "--times", defaultValue = "1,1h,1d,1y",
            description = "times since programming: seconds or with s, m, h, d, w, mo, y (default: ${DEFAULT-VALUE})")
    String times;
    @Option(names = "--compensation", defaultValue = "none,gdc,ratio",
            description = "none, gdc (calibrated through the periphery, per tile), gdc-col, gdc-ideal (analog reads),"
                    + " gdc-oracle (noise-free drift), ratio (default: ${DEFAULT-VALUE})", split = ",")
    List<String> compensation;
    @Option(names = "--inputs", defaultValue = "2048", description = "random input vectors (default: ${DEFAULT-VALUE})")
    int inputs;
    @Option(names = "--repeats", defaultValue = "1", description = "programming repeats (default: ${DEFAULT-VALUE})")
    int repeats;
    @Option(names = "--seed", defaultValue = "0", description = "random seed of weights, inputs and device noise "
            + "(default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--ref-cells", defaultValue = "8", description = "reference cells per tile for ratio (default: ${DEFAULT-VALUE})")
    int refCells;
    @Option(names = "--ref-target", defaultValue = "0.5",
            description = "reference conductance as a fraction of g_max (default: ${DEFAULT-VALUE})")
    double refTarget;
    @Option(names = "--dac-bits", defaultValue = "8", description = "input (DAC) resolution in bits "
            + "(default: ${DEFAULT-VALUE})") int dacBits;
    @Option(names = "--adc-bits", defaultValue = "8", description = "output (ADC) resolution in bits "
            + "(default: ${DEFAULT-VALUE})") int adcBits;
    @Option(names = "--adc-range", defaultValue = "auto", description = "ADC saturation bound in units of "
            + "max|W| x max|x| (see above), or auto = 4 sqrt(rows)/3, four ideal output std (default: ${DEFAULT-VALUE})")
    String adcRange;
    @Option(names = "--out-noise", defaultValue = "0", description = "additive output noise std relative to the ADC "
            + "range (default: ${DEFAULT-VALUE})") double outNoise;
    @Option(names = "--json", description = "also write the rows to this JSON file (atomically)") Path json;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads for PyTorch (default: "
            + "${DEFAULT-VALUE} = PyTorch's choice)") int threads;

    /** Output standard deviations of an ideal N-row MVM with uniform weights and inputs in [−1, 1] per ADC range. */
    public static final double AUTO_RANGE_STDS = 4;

    /** The ADC range used: {@code --adc-range}, or for auto 4·√rows / 3 (four ideal output std). */
    double adcRange() {
        if (adcRange.strip().equalsIgnoreCase("auto")) {
            return AUTO_RANGE_STDS * Math.sqrt(rows) / 3;
        }
        try {
            return Double.parseDouble(adcRange.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("--adc-range must be a number > 0 or auto, got " + adcRange);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            dev.aimc.util.OutputPaths.file("--json", json);
        }
        dev.aimc.util.Check.range("--rows", rows, 1, 1 << 16); // the tile is rows x cols: name these options
        dev.aimc.util.Check.range("--cols", cols, 1, 1 << 16);
        PrintWriter out = spec.commandLine().getOut();
        List<Double> ts = Times.parse("--times", times);
        DeviceModel model = DeviceModels.parse(device, DeviceModels.Options.defaults());
        Check.range("--rows", rows, 1, 1 << 16);
        double range = adcRange();
        Check.that(range > 0 && Double.isFinite(range), "--adc-range", "must be a number > 0 or auto", adcRange);
        TileConfig tile = peripheryErrors.build(TileConfig.builder().tileSize(rows, cols).inputBits(dacBits)
                .outputBits(adcBits).outputRange(range).outputNoise(outNoise));
        List<MvmErrorSweep.TileScheme> schemes = MvmErrorSweep.parseTileSchemes(compensation, refCells, refTarget);
        if (threads > 0) {
            dev.aimc.train.TrainRun.setThreads(threads);
        }
        List<MvmErrorSweep.Row> rowsOut = MvmErrorSweep.sweep(model, tile, rows, cols, ts, schemes, inputs, repeats,
                seed);
        out.printf(Locale.ROOT, "%s, %d x %d tile, uniform random weights and inputs in [-1, 1], %d inputs, "
                + "%d repeat(s), seed %d; ADC %d bits, range %.3g (%s)%n", model.name(), rows, cols, inputs, repeats,
                seed, adcBits, range, adcRange.strip().equalsIgnoreCase("auto") ? "auto: 4 sqrt(rows)/3" : "given");
        List<Double> saturated = new ArrayList<>();
        for (MvmErrorSweep.Row r : rowsOut) {
            saturated.add(r.saturatedFraction());
        }
        out.print(table(rowsOut, saturated));
        double worst = saturated.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (worst > 0.01) {
            out.printf(Locale.ROOT, "note: the ADC saturated up to %.1f %% of the outputs; the error includes "
                    + "clipping (raise --adc-range, e.g. auto = %.3g)%n", 100 * worst,
                    AUTO_RANGE_STDS * Math.sqrt(rows) / 3);
        }
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", model.name());
            doc.put("deviceParameters", model.parameters());
            doc.put("provenance", dev.aimc.util.Provenance.collect());
            doc.put("rows", rows);
            doc.put("cols", cols);
            doc.put("inputs", inputs);
            doc.put("repeats", repeats);
            doc.put("seed", seed);
            doc.put("refCells", refCells);
            doc.put("refTarget", refTarget);
            doc.put("tile", tile.toMap());
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < rowsOut.size(); i++) {
                MvmErrorSweep.Row r = rowsOut.get(i);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("compensation", r.compensation());
                m.put("timeSeconds", r.timeSeconds());
                m.put("mvmError", r.mvmError());
                m.put("mvmErrorStd", r.mvmErrorStd());
                m.put("macAccuracy", r.macAccuracy());
                m.put("macAccuracyStd", r.macAccuracyStd());
                m.put("saturatedFraction", saturated.get(i));
                m.put("repeats", r.repeats());
                results.add(m);
            }
            doc.put("results", results);
            Json.write(json, doc);
        }
        return 0;
    }

    /**
     * The printed table: one row per (compensation, time).
     *
     * @param rows the sweep rows
     * @return the table text
     */
    public static String table(List<MvmErrorSweep.Row> rows) {
        return table(rows, null);
    }

    /**
     * The printed table with the saturated fraction of each row ({@code saturated} parallel to rows, or null).
     *
     * @param rows the sweep rows
     * @param saturated the saturated fraction per row, or null
     * @return the table text
     */
    public static String table(List<MvmErrorSweep.Row> rows, List<Double> saturated) {
        StringBuilder sb = new StringBuilder(String.format("%-14s %10s %14s %14s%s%n", "compensation", "time",
                "MVM error (%)", "MAC acc. (%)", saturated == null ? "" : String.format(" %14s", "ADC sat. (%)")));
        for (int i = 0; i < rows.size(); i++) {
            MvmErrorSweep.Row r = rows.get(i);
            sb.append(String.format("%-14s %10s %14s %14s", r.compensation(), Times.label(r.timeSeconds()),
                    pct(r.mvmError(), r.mvmErrorStd(), r.repeats()), pct(r.macAccuracy(), r.macAccuracyStd(),
                            r.repeats())));
            if (saturated != null) {
                sb.append(String.format(Locale.ROOT, " %14.2f", 100 * saturated.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pct(double v, double sd, int n) {
        return n > 1 ? String.format("%.2f ± %.2f", 100 * v, 100 * sd) : String.format("%.2f", 100 * v);
    }
}
