package dev.aimc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.program.Gdp;
import dev.aimc.program.MvmError;
import dev.aimc.program.Periphery;
import dev.aimc.program.ProgramResult;
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
import dev.aimc.util.Json;
import dev.aimc.util.Rng;
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

/** {@code aimc program}: program one crossbar by one-shot model, open loop, program-and-verify or GDP. */
@Command(
        name = "program",
        mixinStandardHelpOptions = true,
        description = "Program a weight matrix onto a crossbar (oneshot model, openloop, verify, gdp) and report the "
                + "MVM error right after programming and later, pulses and wall time.")
public final class ProgramCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--method", defaultValue = "gdp", description = "oneshot, openloop, verify or gdp (default: ${DEFAULT-VALUE}).")
    String method;

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

    @Option(names = "--device", defaultValue = "pcm", description = "pcm, pcm-table or ideal, with "
            + "parameters as NAME[:KEY=VALUE,...], e.g. pcm:g-max=25,drift-scale=0; every key with its unit and "
            + "default: aimc device --help (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--times", split = ",", defaultValue = "1,3600,86400", converter = TimeConverter.class,
            description = "Times after programming in seconds for the later MVM errors (default: ${DEFAULT-VALUE}).")
    List<Double> times;

    @Option(names = "--iterations", description = "GDP: K (default 30); verify: maximum pulses per device (default 30).")
    Integer iterations;

    @Option(names = "--lr", defaultValue = "0.3", description = "GDP learning rate η (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "256", description = "GDP batch B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--gdp-no-saturation-mask", description = "GDP: also update from outputs at the ADC's "
            + "full-scale code (the unmasked gradient; for comparison).")
    boolean gdpNoSaturationMask;

    @Option(names = "--margin", defaultValue = "5", description = "Verify margin in ADC counts (default: ${DEFAULT-VALUE}).")
    double margin;

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

    @Override
    public Integer call() throws IOException {
        dev.aimc.util.OutputPaths.folder("--out", out);
        Check.that(List.of("oneshot", "openloop", "verify", "gdp").contains(method), "--method",
                "must be one of oneshot, openloop, verify, gdp", method);
        Check.range("--rows", rows, 1, 8192);
        Check.range("--cols", cols, 1, 8192);
        Check.range("--inputs", inputs, 1, 1 << 20);
        for (double t : times) {
            Check.nonNegative("--times", t);
        }
        if (iterations != null) {
            Check.range("--iterations", iterations, method.equals("verify") ? 1 : 0, 1_000_000);
        }
        Check.range("--tile-size", tileSize, 1, 1 << 16);
        TileConfig tileCfg;
        try {
            tileCfg = TileConfig.builder().tileSize(tileSize, tileSize).inputBits(dacBits).outputBits(adcBits)
                    .outputRange(adcRange).build();
        } catch (ConfigException e) {
            throw e.getMessage().startsWith("--") ? e : new ConfigException("--" + e.getMessage());
        }
        Periphery periphery = Periphery.of(tileCfg);
        DeviceModel dev = DeviceModels.parse(device);
        if (!method.equals("oneshot")) {
            Programming.withoutProgrammingNoise(dev); // fails early for devices without a process model
        }
        double gMax = dev.gMaxMicroSiemens();
        PrintWriter pw = spec.commandLine().getOut();
        Map<String, Object> json = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = loadWeights(m); // [out = cols, in = rows]
            try (AnalogMatrix mat = new AnalogMatrix(w, null, tileCfg)) {
                boolean oneTile = mat.rowTiles() == 1 && mat.colTiles() == 1;
                int hist = oneTile ? 512 : 0;
                Gdp gdp = new Gdp(iterations == null ? Gdp.DEFAULT_ITERATIONS : iterations, lr, batch,
                        Gdp.DEFAULT_MIN_STEP_REL, hist, !gdpNoSaturationMask);
                ProgramVerify verify = new ProgramVerify(margin,
                        iterations == null ? ProgramVerify.DEFAULT_MAX_ITERATIONS : iterations, hist);
                Programmers.Process process = method.equals("oneshot") ? null
                        : new Programmers.Process(method, verify, gdp);
                TileProgrammer programmer = process == null ? Programmers.oneShot() : process;
                Rng.seed(Rng.derive(seed, 1));
                long t0 = System.nanoTime();
                mat.program(dev, programmer);
                double seconds = process == null ? (System.nanoTime() - t0) / 1e9 : process.seconds();
                Rng.seed(Rng.derive(seed, 2));
                mat.driftTo(0);
                MvmError.Stats s0 = MvmError.of(mat, w, inputs, 1);
                pw.printf(Locale.ROOT, "method %s  %dx%d (%dx%d tiles of %dx%d)  device %s%n", method, rows, cols,
                        mat.rowTiles(), mat.colTiles(), mat.tileRows(), mat.tileCols(), dev.name());
                pw.printf(Locale.ROOT, "mvm error right after programming: %.5f (ADC saturated outputs %.4f%%)%n",
                        s0.epsilon(), 100 * s0.saturatedFraction());
                List<Map<String, Object>> later = new ArrayList<>();
                for (double t : times) {
                    Rng.seed(Rng.derive(seed, 3 + Double.doubleToLongBits(t)));
                    mat.driftTo(t);
                    MvmError.Stats raw = MvmError.of(mat, w, inputs, 1);
                    double f = MvmError.gdcFactor(mat, t);
                    MvmError.Stats comp = MvmError.of(mat, w, inputs, f);
                    pw.printf(Locale.ROOT, "mvm error at t=%.0f s: %.5f (with global drift compensation: %.5f)%n", t,
                            raw.epsilon(), comp.epsilon());
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("time_s", t);
                    e.put("mvm_error", raw.epsilon());
                    e.put("mvm_error_gdc", comp.epsilon());
                    e.put("adc_saturated_fraction", raw.saturatedFraction());
                    later.add(e);
                }
                long pulses = process == null ? 0 : process.pulses();
                double perDev = process == null ? 0 : process.pulsesPerDevice();
                double maxDev = process == null ? 0 : process.maxPulsesPerDevice();
                int its = process == null ? 0 : process.maxIterations();
                double[] history = process == null ? new double[0] : process.lastHistory();
                pw.printf(Locale.ROOT, "pulses %d (%.3f per device, max %.0f), iterations %d, programming time %.3f s%n",
                        pulses, perDev, maxDev, its, seconds);
                json.put("method", method);
                json.put("mvm_error", s0.epsilon());
                json.put("adc_saturated_fraction", s0.saturatedFraction());
                json.put("pulses", pulses);
                json.put("pulses_per_device", perDev);
                json.put("pulses_per_device_max", maxDev);
                json.put("iterations_run", its);
                json.put("seconds", seconds);
                json.put("seed", seed);
                json.put("tiles", List.of(mat.rowTiles(), mat.colTiles()));
                json.put("later", later);
                json.put("error_vs_iteration", history);
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("weights", weights);
                if (layerName != null) {
                    params.put("layer", layerName);
                }
                params.put("rows", rows);
                params.put("cols", cols);
                params.put("device", device);
                params.put("times", times);
                params.put("iterations", method.equals("verify") ? verify.maxIterations() : gdp.iterations());
                params.put("lr", lr);
                params.put("batch", batch);
                params.put("margin_counts", margin);
                params.put("gdp_min_step_rel", gdp.minStepRel());
                params.put("gdp_saturation_mask", gdp.maskSaturated());
                params.put("adc_bits", adcBits);
                params.put("dac_bits", dacBits);
                params.put("adc_range", periphery.adcRange());
                params.put("dac_range", periphery.dacRange());
                params.put("input_scaling", tileCfg.inputScaling().name());
                params.put("tile_size", tileSize);
                params.put("cell_read_range", periphery.cellReadRange());
                PulseModel pm = PulseModel.calibrated(gMax);
                params.put("pulse_sigma_rel", pm.sigmaRel());
                params.put("pulse_sigma_abs_us", pm.sigmaAbsMicroSiemens());
                params.put("pulse_decrement_factor", pm.decrementFactor());
                params.put("inputs", inputs);
                json.put("parameters", params);
                writeChart(history, method);
            }
        }
        AtomicFiles.writeString(out.resolve("program.json"), Json.PRETTY.writeValueAsString(json) + "\n");
        pw.flush();
        return 0;
    }

    private NDArray loadWeights(NDManager m) {
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
