package dev.aimc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.compensation.GlobalDriftCompensation;
import dev.aimc.compensation.Undo;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.metric.MvmError;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.program.Gdp;
import dev.aimc.program.OpenLoop;
import dev.aimc.program.Periphery;
import dev.aimc.program.ProgramVerify;
import dev.aimc.program.Programmers;
import dev.aimc.program.Programming;
import dev.aimc.program.PulseModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.train.Checkpoint;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.report.Json;
import dev.aimc.util.Provenance;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import dev.aimc.util.Stats;
import dev.aimc.util.Times;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aimc program}: program one matrix by one-shot model, open loop, program-and-verify or GDP and report the MVM
 * error right after programming and later (raw and with global drift compensation), pulses per device and wall time.
 * With several methods, verify tolerances or repeats it runs every combination and prints one table of MVM error
 * against pulses per device, so the algorithms are compared at equal pulse budgets.
 */
@Command(
        name = "program",
        mixinStandardHelpOptions = true,
        description = "Program a weight matrix onto a crossbar (oneshot model, openloop, verify, gdp) and report the "
                + "MVM error right after programming and later, pulses per device and wall time. Lists of methods "
                + "and verify tolerances (and --repeats) run every combination and print one table.")
public final class ProgramCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    PeripheryOptions peripheryErrors;

    @Option(names = "--verify-reads-through-adc", description = "Program-and-verify reads each cell through its "
            + "column's ADC with that ADC's gain and offset mismatch and noise (default: an ideal cell-read converter).")
    boolean verifyReadsThroughAdc;

    @Option(names = "--out-noise", defaultValue = "0", description = "Additive output noise std before the ADC, "
            + "normalized output units (aihwkit out_noise) (default: ${DEFAULT-VALUE}).")
    double outNoise;

    @Option(names = "--method", split = ",", defaultValue = "gdp",
            description = "oneshot, openloop, verify or gdp, or a comma-separated list (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--weights", defaultValue = "random",
            description = "random (Gaussian), uniform, a text file of the [out, in] matrix (one row per line, "
                    + "numbers separated by commas or spaces), or CHECKPOINT[:layer] (a trained layer by dotted "
                    + "path, default the first Linear/Conv2d; a conv weight is unrolled to [out, in*k*k]) "
                    + "(default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--rows", defaultValue = "256", description = "Crossbar rows = layer inputs (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", defaultValue = "256", description = "Crossbar columns = layer outputs (default: ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--repeats", defaultValue = "1", description = "Runs with seeds SEED, SEED+1, ... (random "
            + "weights are redrawn per seed) (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--device", defaultValue = "pcm", description = "pcm, pcm-table or ideal, with "
            + "parameters as NAME[:KEY=VALUE,...], e.g. pcm:g-max=25,drift-scale=0; every key with its unit and "
            + "default: aimc device --help (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--times", split = ",", defaultValue = "1,3600,86400", converter = TimeConverter.class,
            description = "Times after programming in seconds for the later MVM errors (default: ${DEFAULT-VALUE}).")
    List<Double> times;

    @Option(names = "--gdc-calibration", defaultValue = "periphery",
            description = "How global drift compensation is calibrated: periphery (one-hot reads through DAC, "
                    + "output noise and ADC; reference without read noise), ideal-analog (analog reads before the "
                    + "ADC) or drift-oracle (noise-free drift only) (default: ${DEFAULT-VALUE}).")
    String gdcCalibration;

    @Option(names = "--iterations", description = "GDP: K (default 30); verify: maximum pulses per device (default 30).")
    Integer iterations;

    @Option(names = "--lr", defaultValue = "0.3", description = "GDP learning rate η (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "256", description = "GDP batch B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--gdp-no-saturation-mask", description = "GDP: also update from outputs at the ADC's "
            + "full-scale code (the unmasked gradient; for comparison).")
    boolean gdpNoSaturationMask;

    @Option(names = {"--verify-tolerance", "--margin"}, split = ",", defaultValue = "5",
            description = "Verify acceptance tolerance in single-cell ADC counts, or a comma-separated list to sweep "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Double> tolerances;

    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC bits (default: ${DEFAULT-VALUE}).")
    int adcBits;

    @Option(names = "--adc-range", defaultValue = "12", description = "ADC saturation bound in normalized output "
            + "units (default: ${DEFAULT-VALUE}).")
    double adcRange;

    @Option(names = "--dac-bits", defaultValue = "8", description = "DAC bits (default: ${DEFAULT-VALUE}).")
    int dacBits;

    @Option(names = "--tile-size", defaultValue = "512",
            description = "Crossbar rows and columns per tile; larger matrices are programmed tile by tile "
                    + "(default: ${DEFAULT-VALUE}).")
    int tileSize;

    @Option(names = "--inputs", defaultValue = "2048", description = "Random inputs for the MVM error (default: ${DEFAULT-VALUE}).")
    int inputs;

    private String layerName;

    /** One (method, verify tolerance) combination. */
    private record Variant(String method, Double tolerance) {
        String label() {
            return tolerance == null ? method : method + " ±" + fmt(tolerance);
        }
    }

    @Override
    public Integer call() throws IOException {
        dev.aimc.util.OutputPaths.folder("--out", out);
        for (String m : methods) {
            Check.that(Programmers.NAMES.contains(m), "--method", "must be a list of oneshot, openloop, verify, gdp",
                    m);
        }
        Check.that(methods.stream().distinct().count() == methods.size(), "--method", "lists a method twice",
                String.join(",", methods));
        for (double t : tolerances) {
            Check.nonNegative("--verify-tolerance", t);
        }
        Check.range("--rows", rows, 1, 8192);
        Check.range("--cols", cols, 1, 8192);
        Check.range("--inputs", inputs, 1, 1 << 20);
        Check.range("--repeats", repeats, 1, 1000);
        for (double t : times) {
            Check.nonNegative("--times", t);
        }
        if (iterations != null) {
            Check.range("--iterations", iterations, methods.contains("verify") ? 1 : 0, 1_000_000);
        }
        Check.range("--tile-size", tileSize, 1, 1 << 16);
        GlobalDriftCompensation.Calibration calibration = switch (gdcCalibration) {
            case "periphery" -> GlobalDriftCompensation.Calibration.PERIPHERY;
            case "ideal-analog" -> GlobalDriftCompensation.Calibration.IDEAL_ANALOG;
            case "drift-oracle" -> GlobalDriftCompensation.Calibration.DRIFT_ORACLE;
            default -> throw new ConfigException("--gdc-calibration must be periphery, ideal-analog or drift-oracle, "
                    + "got " + gdcCalibration);
        };
        TileConfig tileCfg = peripheryErrors.build(TileConfig.builder().tileSize(tileSize, tileSize)
                .inputBits(dacBits).outputBits(adcBits).outputRange(adcRange).outputNoise(outNoise));
        // validates --lr, --batch and the verify parameters before any work
        Gdp gdpBase = new Gdp(iterations == null ? Gdp.DEFAULT_ITERATIONS : iterations, lr, batch,
                Gdp.DEFAULT_MIN_STEP_REL, 0, !gdpNoSaturationMask);
        int verifyIterations = iterations == null ? ProgramVerify.DEFAULT_MAX_ITERATIONS : iterations;
        Periphery periphery = Periphery.of(tileCfg);
        DeviceModel dev = DeviceModels.parse(device);
        if (!methods.equals(List.of("oneshot"))) {
            Programming.withoutProgrammingNoise(dev); // fails early for devices without a process model
        }
        List<Variant> variants = new ArrayList<>();
        for (String m : methods) {
            if (m.equals("verify")) {
                tolerances.stream().distinct().forEach(t -> variants.add(new Variant(m, t)));
            } else {
                variants.add(new Variant(m, null));
            }
        }
        boolean single = variants.size() == 1 && repeats == 1;
        PrintWriter pw = spec.commandLine().getOut();
        List<Map<String, Object>> runs = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        double[] history = new double[0];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int rep = 0; rep < repeats; rep++) {
                long s = seed + rep;
                try (NDManager rm = m.newSubManager()) {
                    NDArray w = loadWeights(rm, s); // [out = cols, in = rows]
                    for (Variant v : variants) {
                        try (AnalogMatrix mat = new AnalogMatrix(w, null, tileCfg)) {
                            int hist = mat.rowTiles() == 1 && mat.colTiles() == 1 ? 512 : 0;
                            TileProgrammer programmer = switch (v.method()) {
                                case "oneshot" -> Programmers.oneShot();
                                case "openloop" -> Programmers.tiled(new OpenLoop(), verifyReadsThroughAdc);
                                case "verify" -> Programmers.tiled(new ProgramVerify(v.tolerance(), verifyIterations,
                                        hist), verifyReadsThroughAdc);
                                default -> Programmers.tiled(gdpBase.withHistoryInputs(hist), verifyReadsThroughAdc);
                            };
                            Map<String, Object> run = runOnce(mat, w, dev, programmer, s, calibration, single, pw);
                            if (v.tolerance() != null) {
                                run.put("verify_tolerance_counts", v.tolerance());
                            }
                            runs.add(run);
                            if (programmer instanceof Programmers.Process p) {
                                history = p.lastHistory();
                            }
                            if (!single) {
                                pw.printf(Locale.ROOT, "seed %d %-12s mvm error %.5f, %.3f pulses/device (max %.0f)%n",
                                        s, v.label(), (double) run.get("mvm_error"),
                                        (double) run.get("pulses_per_device"), (double) run.get("pulses_per_device_max"));
                                pw.flush();
                            }
                        }
                    }
                }
            }
        }
        params.put("weights", weights);
        if (layerName != null) {
            params.put("layer", layerName);
        }
        params.put("rows", rows);
        params.put("cols", cols);
        params.put("device", device);
        params.put("times", times);
        params.put("methods", methods);
        params.put("repeats", repeats);
        params.put("iterations", methods.equals(List.of("verify")) ? verifyIterations : gdpBase.iterations());
        params.put("verify_iterations", verifyIterations);
        params.put("gdp_iterations", gdpBase.iterations());
        params.put("lr", lr);
        params.put("batch", batch);
        params.put("margin_counts", tolerances.get(0));
        params.put("verify_tolerances_counts", tolerances);
        params.put("verify_count_us", periphery.cellReadStepMicroSiemens(dev.gMaxMicroSiemens()));
        params.put("gdp_min_step_rel", gdpBase.minStepRel());
        params.put("gdp_saturation_mask", gdpBase.maskSaturated());
        params.put("gdc_calibration", gdcCalibration);
        params.put("adc_bits", adcBits);
        params.put("dac_bits", dacBits);
        params.put("adc_range", periphery.adcRange());
        params.put("dac_range", periphery.dacRange());
        params.put("input_scaling", tileCfg.inputScaling().name());
        if (outNoise != 0 || tileCfg.wireResistance() != 0 || tileCfg.adcMismatch() || verifyReadsThroughAdc) {
            params.put("out_noise", outNoise);
            params.put("ir_drop_r_gmax", tileCfg.wireResistance());
            params.put("adc_gain_std", tileCfg.adcGainStd());
            params.put("adc_offset_std_counts", tileCfg.adcOffsetStd());
            params.put("verify_reads_through_adc", verifyReadsThroughAdc);
        }
        params.put("tile_size", tileSize);
        params.put("cell_read_range", periphery.cellReadRange());
        PulseModel pm = PulseModel.calibrated(dev.gMaxMicroSiemens());
        params.put("pulse_sigma_rel", pm.sigmaRel());
        params.put("pulse_sigma_abs_us", pm.sigmaAbsMicroSiemens());
        params.put("pulse_decrement_factor", pm.decrementFactor());
        params.put("inputs", inputs);
        Map<String, Object> json;
        if (single) {
            json = runs.get(0);
            json.put("parameters", params);
            writeChart(history, methods.get(0));
        } else {
            List<Map<String, Object>> rowsOut = summary(variants, runs);
            pw.print(table(rowsOut, times));
            json = new LinkedHashMap<>();
            json.put("parameters", params);
            json.put("rows", rowsOut);
            json.put("runs", runs);
        }
        json.put("provenance", Provenance.collect());
        AtomicFiles.writeString(out.resolve("program.json"), Json.PRETTY.writeValueAsString(json) + "\n");
        pw.flush();
        return 0;
    }

    /** Programs {@code mat} once and measures it; prints the single-run report when {@code verbose}. */
    private Map<String, Object> runOnce(AnalogMatrix mat, NDArray w, DeviceModel dev, TileProgrammer programmer,
            long s, GlobalDriftCompensation.Calibration calibration, boolean verbose, PrintWriter pw) {
        long t0 = System.nanoTime();
        mat.program(dev, programmer, RandomStream.of(Rng.derive(s, 1)));
        Programmers.Process process = programmer instanceof Programmers.Process p ? p : null;
        double seconds = process == null ? (System.nanoTime() - t0) / 1e9 : process.seconds();
        Rng.seed(Rng.derive(s, 2));
        mat.driftTo(0);
        MvmError.Result s0 = MvmError.of(mat, w, inputs);
        if (verbose) {
            pw.printf(Locale.ROOT, "method %s  %dx%d (%dx%d tiles of %dx%d)  device %s%n", programmer.name(), rows,
                    cols, mat.rowTiles(), mat.colTiles(), mat.tileRows(), mat.tileCols(), dev.name());
            pw.printf(Locale.ROOT, "mvm error right after programming: %.5f (ADC saturated outputs %.4f%%)%n",
                    s0.mvmError(), 100 * s0.saturatedFraction());
        }
        GlobalDriftCompensation gdc = new GlobalDriftCompensation(calibration, GlobalDriftCompensation.Input.ONE_HOT,
                GlobalDriftCompensation.Granularity.TILE, 0);
        List<Map<String, Object>> later = new ArrayList<>();
        for (double t : times) {
            Rng.seed(Rng.derive(s, 3 + Double.doubleToLongBits(t)));
            mat.driftTo(t);
            MvmError.Result raw = MvmError.of(mat, w, inputs);
            MvmError.Result comp;
            try (Undo u = gdc.apply(mat)) {
                comp = MvmError.of(mat, w, inputs);
            }
            if (verbose) {
                pw.printf(Locale.ROOT, "mvm error at t=%.0f s: %.5f (with global drift compensation: %.5f)%n", t,
                        raw.mvmError(), comp.mvmError());
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("time_s", t);
            e.put("mvm_error", raw.mvmError());
            e.put("mvm_error_gdc", comp.mvmError());
            e.put("adc_saturated_fraction", raw.saturatedFraction());
            later.add(e);
        }
        TileProgrammer.PulseCounts pc = programmer.pulseCounts();
        int its = process == null ? 0 : process.maxIterations();
        double[] history = process == null ? new double[0] : process.lastHistory();
        if (verbose) {
            pw.printf(Locale.ROOT, "pulses %d (%.3f per device, max %.0f), iterations %d, programming time %.3f s%n",
                    pc.pulses(), pc.meanPerDevice(), pc.maxPerDevice(), its, seconds);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", programmer.name());
        json.put("mvm_error", s0.mvmError());
        json.put("adc_saturated_fraction", s0.saturatedFraction());
        json.put("pulses", pc.pulses());
        json.put("pulses_per_device", pc.meanPerDevice());
        json.put("pulses_per_device_max", pc.maxPerDevice());
        json.put("iterations_run", its);
        json.put("seconds", seconds);
        json.put("seed", s);
        json.put("tiles", List.of(mat.rowTiles(), mat.colTiles()));
        json.put("later", later);
        json.put("error_vs_iteration", history);
        return json;
    }

    /** Mean (and sample std) over repeats per variant. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> summary(List<Variant> variants, List<Map<String, Object>> runs) {
        List<Map<String, Object>> outRows = new ArrayList<>();
        for (int vi = 0; vi < variants.size(); vi++) {
            Variant v = variants.get(vi);
            double[] eps = new double[repeats];
            double[] ppd = new double[repeats];
            double max = 0;
            double[][] gdc = new double[times.size()][repeats];
            for (int r = 0; r < repeats; r++) {
                Map<String, Object> run = runs.get(r * variants.size() + vi);
                eps[r] = (double) run.get("mvm_error");
                ppd[r] = (double) run.get("pulses_per_device");
                max = Math.max(max, (double) run.get("pulses_per_device_max"));
                List<Map<String, Object>> later = (List<Map<String, Object>>) run.get("later");
                for (int ti = 0; ti < times.size(); ti++) {
                    gdc[ti][r] = (double) later.get(ti).get("mvm_error_gdc");
                }
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("method", v.method());
            row.put("verify_tolerance_counts", v.tolerance());
            row.put("repeats", repeats);
            row.put("mvm_error", Stats.mean(eps));
            row.put("mvm_error_std", Stats.sampleStd(eps));
            row.put("pulses_per_device", Stats.mean(ppd));
            row.put("pulses_per_device_max", max);
            List<Map<String, Object>> later = new ArrayList<>();
            for (int ti = 0; ti < times.size(); ti++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("time_s", times.get(ti));
                e.put("mvm_error_gdc", Stats.mean(gdc[ti]));
                e.put("mvm_error_gdc_std", Stats.sampleStd(gdc[ti]));
                later.add(e);
            }
            row.put("later", later);
            outRows.add(row);
        }
        return outRows;
    }

    /** The sweep table (markdown): MVM error against pulses per device, one row per method and tolerance. */
    @SuppressWarnings("unchecked")
    static String table(List<Map<String, Object>> rowsOut, List<Double> times) {
        StringBuilder sb = new StringBuilder("| method | verify tolerance (counts) | pulses/device mean | max | ε t=0 |");
        StringBuilder sep = new StringBuilder("|---|---|---|---|---|");
        for (double t : times) {
            sb.append(" ε ").append(Times.label(t)).append(" (GDC) |");
            sep.append("---|");
        }
        sb.append("\n").append(sep).append("\n");
        for (Map<String, Object> r : rowsOut) {
            Object tol = r.get("verify_tolerance_counts");
            int n = (int) r.get("repeats");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.0f | %s |", r.get("method"),
                    tol == null ? "–" : fmt((double) tol), (double) r.get("pulses_per_device"),
                    (double) r.get("pulses_per_device_max"), pm((double) r.get("mvm_error"),
                            (double) r.get("mvm_error_std"), n)));
            for (Map<String, Object> e : (List<Map<String, Object>>) r.get("later")) {
                sb.append(' ').append(pm((double) e.get("mvm_error_gdc"), (double) e.get("mvm_error_gdc_std"), n))
                        .append(" |");
            }
            sb.append("\n");
        }
        return sb.toString();
    }

    private static String pm(double v, double sd, int n) {
        return n > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", v, sd) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private NDArray loadWeights(NDManager m, long seed) {
        switch (weights) {
            case "random" -> {
                Rng.seed(seed);
                return m.randomNormal(new Shape(cols, rows));
            }
            case "uniform" -> {
                Rng.seed(seed);
                return m.randomUniform(-1f, 1f, new Shape(cols, rows));
            }
            default -> {
                Path p = Path.of(weights);
                if (!Files.isRegularFile(p)) {
                    return loadCheckpointLayer(m);
                }
                List<float[]> lines = new ArrayList<>();
                try {
                    for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                        String s = line.strip();
                        if (s.isEmpty() || s.startsWith("#")) {
                            continue;
                        }
                        String[] tok = s.split("[,\\s]+");
                        float[] v = new float[tok.length];
                        for (int i = 0; i < tok.length; i++) {
                            v[i] = Float.parseFloat(tok[i]);
                        }
                        lines.add(v);
                    }
                } catch (IOException | NumberFormatException e) {
                    throw new DataFormatException(weights + ": " + e.getMessage());
                }
                if (lines.isEmpty()) {
                    throw new DataFormatException(weights + ": no matrix rows");
                }
                int in = lines.get(0).length;
                float[] flat = new float[lines.size() * in];
                for (int r = 0; r < lines.size(); r++) {
                    if (lines.get(r).length != in) {
                        throw new DataFormatException(weights + ": line " + (r + 1) + " has " + lines.get(r).length
                                + " values, expected " + in);
                    }
                    System.arraycopy(lines.get(r), 0, flat, r * in, in);
                }
                rows = in;
                cols = lines.size();
                return m.create(flat, new Shape(cols, rows));
            }
        }
    }

    /** CHECKPOINT[:layer]: the weight of a trained Linear/Conv2d layer (conv unrolled to [out, in·k·k]). */
    private NDArray loadCheckpointLayer(NDManager m) {
        String dir = weights;
        String layer = null;
        int colon = weights.lastIndexOf(':');
        if (!Files.isDirectory(Path.of(weights)) && colon > 0) {
            dir = weights.substring(0, colon);
            layer = weights.substring(colon + 1);
        }
        if (!Files.isRegularFile(Path.of(dir).resolve(Checkpoint.META))) {
            throw new ConfigException("--weights must be random, uniform, a readable matrix file or CHECKPOINT[:layer]"
                    + ", got " + weights);
        }
        Checkpoint ck = Checkpoint.load(Path.of(dir), m);
        if (ck.meta().uniformScaling != null) {
            throw new ConfigException("--weights: checkpoint " + dir + " was trained with --uniform-scaling; aimc"
                    + " program does not apply its design (weights on their cells, fixed weight scale, converters):"
                    + " use aimc evaluate");
        }
        List<String> layers = new ArrayList<>();
        for (Map.Entry<String, Module> e : ck.model().namedModules().entrySet()) {
            if (e.getValue() instanceof Linear || e.getValue() instanceof Conv2d) {
                layers.add(e.getKey());
            }
        }
        if (layers.isEmpty()) {
            throw new ConfigException("--weights: checkpoint " + dir + " has no Linear or Conv2d layer");
        }
        if (layer == null || layer.isEmpty()) {
            layer = layers.get(0);
        } else if (!layers.contains(layer)) {
            throw new ConfigException("--weights: no Linear or Conv2d layer '" + layer + "' in " + dir + " (layers: "
                    + String.join(", ", layers) + ")");
        }
        layerName = layer;
        Module mod = ck.model().module(layer);
        NDArray w = mod instanceof Linear l ? l.weight() : ((Conv2d) mod).weight();
        NDArray flat = w.stopGradient().toType(ai.djl.ndarray.types.DataType.FLOAT32, true)
                .reshape(w.getShape().get(0), -1);
        rows = (int) flat.getShape().get(1);
        cols = (int) flat.getShape().get(0);
        return flat;
    }

    private void writeChart(double[] history, String name) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("MVM error during programming (" + name + ")")
                .xAxisTitle("iteration").yAxisTitle("MVM error").build();
        double[] x = new double[Math.max(history.length, 1)];
        double[] y = new double[x.length];
        for (int i = 0; i < history.length; i++) {
            x[i] = i;
            y[i] = history[i];
        }
        if (history.length == 0) {
            y[0] = Double.NaN;
        }
        chart.addSeries(name, x, y);
        AtomicFiles.write(out.resolve("error_vs_iteration.png"), os -> BitmapEncoder.saveBitmap(chart, os,
                BitmapEncoder.BitmapFormat.PNG));
    }
}
