package dev.aimc.cli;

import dev.aimc.compensation.MvmErrorSweep;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Json;
import dev.aimc.util.Times;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aimc mvm-error}: MVM error and MAC accuracy of one random-weight tile over time, per compensation. */
@Command(name = "mvm-error", mixinStandardHelpOptions = true,
        description = "MVM error ||y - y_ideal|| / ||y_ideal|| and MAC accuracy 1 - RMS(y - y_ideal) / range(y_ideal)"
                + " of a crossbar with uniform random weights in [-1, 1], over time and compensation schemes.")
public final class MvmErrorCommand implements Callable<Integer> {
    @Option(names = "--device", defaultValue = "pcm", description = DeviceModels.OPTION_HELP
            + " (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--rows", defaultValue = "512", description = "inputs (default: ${DEFAULT-VALUE})") int rows;
    @Option(names = "--cols", defaultValue = "512", description = "outputs (default: ${DEFAULT-VALUE})") int cols;
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
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--ref-cells", defaultValue = "8", description = "reference cells per tile for ratio (default: ${DEFAULT-VALUE})")
    int refCells;
    @Option(names = "--ref-target", defaultValue = "0.5",
            description = "reference conductance as a fraction of g_max (default: ${DEFAULT-VALUE})")
    double refTarget;
    @Option(names = "--dac-bits", defaultValue = "8") int dacBits;
    @Option(names = "--adc-bits", defaultValue = "8") int adcBits;
    @Option(names = "--adc-range", defaultValue = "12", description = "ADC range in normalized units (default: ${DEFAULT-VALUE})")
    double adcRange;
    @Option(names = "--out-noise", defaultValue = "0") double outNoise;
    @Option(names = "--json", description = "also write the rows to this JSON file (atomically)") Path json;
    @Option(names = "--threads", defaultValue = "0") int threads;

    @Override
    public Integer call() throws Exception {
        if (json != null) {
            dev.aimc.util.OutputPaths.file("--json", json);
        }
        dev.aimc.util.Check.range("--rows", rows, 1, 1 << 16); // the tile is rows x cols: name these options
        dev.aimc.util.Check.range("--cols", cols, 1, 1 << 16);
        List<Double> ts = Times.parse("--times", times);
        DeviceModel model = DeviceModels.parse(device, DeviceModels.Options.defaults());
        TileConfig tile = TileConfig.builder().tileSize(rows, cols).inputBits(dacBits).outputBits(adcBits)
                .outputRange(adcRange).outputNoise(outNoise).build();
        List<MvmErrorSweep.TileScheme> schemes = MvmErrorSweep.parseTileSchemes(compensation, refCells, refTarget);
        if (threads > 0) {
            dev.aimc.train.TrainRun.setThreads(threads);
        }
        List<MvmErrorSweep.Row> rowsOut = MvmErrorSweep.sweep(model, tile, rows, cols, ts, schemes, inputs, repeats, seed);
        System.out.printf("%s, %d x %d tile, uniform random weights and inputs in [-1, 1], %d inputs, %d repeat(s),"
                + " seed %d%n", model.name(), rows, cols, inputs, repeats, seed);
        System.out.print(table(rowsOut));
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", model.name());
            doc.put("rows", rows);
            doc.put("cols", cols);
            doc.put("inputs", inputs);
            doc.put("repeats", repeats);
            doc.put("seed", seed);
            doc.put("refCells", refCells);
            doc.put("refTarget", refTarget);
            doc.put("tile", tile.toMap());
            doc.put("results", rowsOut);
            Json.write(json, doc);
        }
        return 0;
    }

    /** The printed table: one row per (compensation, time). */
    public static String table(List<MvmErrorSweep.Row> rows) {
        StringBuilder sb = new StringBuilder(String.format("%-14s %10s %14s %14s%n", "compensation", "time",
                "MVM error (%)", "MAC acc. (%)"));
        for (MvmErrorSweep.Row r : rows) {
            sb.append(String.format("%-14s %10s %14s %14s%n", r.compensation(), Times.label(r.timeSeconds()),
                    pct(r.mvmError(), r.mvmErrorStd(), r.repeats()), pct(r.macAccuracy(), r.macAccuracyStd(),
                            r.repeats())));
        }
        return sb.toString();
    }

    private static String pct(double v, double sd, int n) {
        return n > 1 ? String.format("%.2f ± %.2f", 100 * v, 100 * sd) : String.format("%.2f", 100 * v);
    }
}
