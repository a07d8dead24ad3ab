package dev.aimc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.program.Gdp;
import dev.aimc.program.MvmError;
import dev.aimc.program.Periphery;
import dev.aimc.program.ProgramResult;
import dev.aimc.program.ProgramVerify;
import dev.aimc.program.Programming;
import dev.aimc.program.PulseModel;
import dev.aimc.program.SimulatedCrossbar;
import dev.aimc.program.Targets;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
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
            description = "random (Gaussian), uniform, or a text file of the [out, in] matrix (one row per line, "
                    + "numbers separated by commas or spaces) (default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--rows", defaultValue = "256", description = "Crossbar rows = layer inputs (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", defaultValue = "256", description = "Crossbar columns = layer outputs (default: ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "pcm", description = "pcm, pcm-table:FILE or ideal (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--times", split = ",", defaultValue = "1,3600,86400",
            description = "Times after programming in seconds for the later MVM errors (default: ${DEFAULT-VALUE}).")
    List<Double> times;

    @Option(names = "--iterations", description = "GDP: K (default 30); verify: maximum pulses per device (default 30).")
    Integer iterations;

    @Option(names = "--lr", defaultValue = "0.3", description = "GDP learning rate η (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "256", description = "GDP batch B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--margin", defaultValue = "5", description = "Verify margin in ADC counts (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC bits (default: ${DEFAULT-VALUE}).")
    int adcBits;

    @Option(names = "--dac-bits", defaultValue = "8", description = "DAC bits (default: ${DEFAULT-VALUE}).")
    int dacBits;

    @Option(names = "--inputs", defaultValue = "2048", description = "Random inputs for the MVM error (default: ${DEFAULT-VALUE}).")
    int inputs;

    @Override
    public Integer call() throws IOException {
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
        Periphery periphery = Periphery.defaults().withBits(dacBits, adcBits);
        Gdp gdp = new Gdp(iterations == null ? Gdp.DEFAULT_ITERATIONS : iterations, lr, batch,
                Gdp.DEFAULT_MIN_STEP_REL, 512);
        ProgramVerify verify = new ProgramVerify(margin,
                iterations == null ? ProgramVerify.DEFAULT_MAX_ITERATIONS : iterations, 512);
        DeviceModel dev = DeviceModels.parse(device);
        if (!method.equals("oneshot")) {
            Programming.withoutProgrammingNoise(dev); // fails early for devices without a process model
        }
        double gMax = dev.gMaxMicroSiemens();
        PrintWriter pw = spec.commandLine().getOut();
        Map<String, Object> json = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = loadWeights(m);
            NDArray wn = Targets.normalize(w)[0];
            Rng.seed(Rng.derive(seed, 1));
            SimulatedCrossbar xb = new SimulatedCrossbar(m, rows, cols, dev, PulseModel.calibrated(gMax), periphery);
            ProgramResult r = switch (method) {
                case "oneshot" -> Programming.oneShot(dev, Targets.conductances(wn, gMax));
                case "openloop" -> Programming.openLoop(dev, xb, Targets.conductances(wn, gMax));
                case "verify" -> verify.run(dev, xb, wn);
                default -> gdp.run(dev, xb, wn);
            };
            Rng.seed(Rng.derive(seed, 2));
            double eps0 = MvmError.of(dev, r.state(), wn, periphery, 0, inputs, 1);
            pw.printf(Locale.ROOT, "method %s  %dx%d  device %s%n", method, rows, cols, dev.name());
            pw.printf(Locale.ROOT, "mvm error right after programming: %.5f%n", eps0);
            List<Map<String, Object>> later = new ArrayList<>();
            for (double t : times) {
                Rng.seed(Rng.derive(seed, 3 + Double.doubleToLongBits(t)));
                double raw = MvmError.of(dev, r.state(), wn, periphery, t, inputs, 1);
                double f = MvmError.gdcFactor(dev, r.state(), rows, periphery, t, m);
                double comp = MvmError.of(dev, r.state(), wn, periphery, t, inputs, f);
                pw.printf(Locale.ROOT, "mvm error at t=%.0f s: %.5f (with global drift compensation: %.5f)%n", t, raw,
                        comp);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("time_s", t);
                e.put("mvm_error", raw);
                e.put("mvm_error_gdc", comp);
                later.add(e);
            }
            pw.printf(Locale.ROOT, "pulses %d (%.3f per device, max %.0f), iterations %d, programming time %.3f s%n",
                    r.pulses(), r.pulsesPerDeviceMean(), r.pulsesPerDeviceMax(), r.iterations(), r.seconds());
            json.put("method", method);
            json.put("mvm_error", eps0);
            json.put("pulses", r.pulses());
            json.put("pulses_per_device", r.pulsesPerDeviceMean());
            json.put("pulses_per_device_max", r.pulsesPerDeviceMax());
            json.put("iterations_run", r.iterations());
            json.put("seconds", r.seconds());
            json.put("seed", seed);
            json.put("later", later);
            json.put("error_vs_iteration", r.history());
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("weights", weights);
            params.put("rows", rows);
            params.put("cols", cols);
            params.put("device", device);
            params.put("times", times);
            params.put("iterations", method.equals("verify") ? verify.maxIterations() : gdp.iterations());
            params.put("lr", lr);
            params.put("batch", batch);
            params.put("margin_counts", margin);
            params.put("gdp_min_step_rel", gdp.minStepRel());
            params.put("adc_bits", adcBits);
            params.put("dac_bits", dacBits);
            params.put("adc_range", periphery.adcRange());
            params.put("dac_range", periphery.dacRange());
            params.put("cell_read_range", periphery.cellReadRange());
            PulseModel pm = PulseModel.calibrated(gMax);
            params.put("pulse_sigma_rel", pm.sigmaRel());
            params.put("pulse_sigma_abs_us", pm.sigmaAbsMicroSiemens());
            params.put("pulse_decrement_factor", pm.decrementFactor());
            params.put("inputs", inputs);
            json.put("parameters", params);
            writeChart(r.history(), method);
            r.close();
            xb.close();
        }
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.writeString(out.resolve("program.json"), om.writeValueAsString(json) + "\n");
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
                    throw new ConfigException("--weights must be random, uniform or a readable matrix file, got " + weights);
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
