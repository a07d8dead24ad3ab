package dev.aimc.experiment;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import dev.aimc.util.Stats;
import dev.aimc.util.Times;
import dev.aimc.util.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accuracy of an analog network over time since programming, Monte-Carlo over programming repeats.
 *
 * <p>For every repeat r the network is programmed anew with seed {@code Rng.derive(seed, r)} (analog layer i draws
 * from {@code RandomStream.of(Rng.derive(seed, r)).split(i)}: programming noise, drift exponents, read and output
 * noise; see {@link AnalogNetwork#program(long)}), then for every time t it is drifted to t and, for every variant
 * (compensation), the test set is evaluated. Results are keyed by (variant, time).
 */
public final class InferenceExperiment {
    private InferenceExperiment() {}

    /**
     * What to run.
     *
     * @param device device spec, e.g. "pcm" or "rram:sigma=0.3", for
     *     {@link DeviceModels#parse(String, DeviceModels.Options)}
     * @param deviceOptions g_max and noise scale overrides
     * @param times inference times in seconds (≥ 0), evaluated in this order
     * @param repeats programming repeats (≥ 1)
     * @param seed master seed
     * @param batchSize evaluation batch size
     * @param keepDigital Linear/Conv2d paths (or first/last) kept digital
     * @param tile the crossbar configuration
     * @param testLimit evaluate the first N test samples (0: all)
     * @param compensations variant names, e.g. ["none"]
     */
    public record Config(String device, DeviceModels.Options deviceOptions, List<Double> times, int repeats,
            long seed, int batchSize, Set<String> keepDigital, TileConfig tile, int testLimit,
            List<String> compensations) {

        /** Validates; a bad value gives a one-line ConfigException naming the option. */
        public Config {
            if (times == null || times.isEmpty()) {
                throw new ConfigException("--times must list at least one time in seconds, got " + times);
            }
            for (double t : times) {
                Check.that(t >= 0 && Double.isFinite(t), "--times", "must be finite numbers >= 0 seconds", t);
            }
            times = List.copyOf(times);
            Check.range("--repeats", repeats, 1, 100_000);
            Check.range("--batch", batchSize, 1, 1 << 20);
            Check.range("--test-limit", testLimit, 0, Integer.MAX_VALUE);
            keepDigital = keepDigital == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(keepDigital));
            compensations = compensations == null || compensations.isEmpty() ? List.of("none")
                    : List.copyOf(compensations);
            if (deviceOptions == null) {
                deviceOptions = DeviceModels.Options.defaults();
            }
            if (tile == null) {
                tile = TileConfig.defaults();
            }
            Compensations.parse(compensations);
            DeviceModels.parse(device, deviceOptions); // validates the name
        }

        /** With defaults: PCM, the five standard times, 5 repeats, seed 0, batch 256, all layers analog. */
        public static Config defaults() {
            return new Config("pcm", DeviceModels.Options.defaults(), STANDARD_TIMES, 5, 0, 256, Set.of(),
                    TileConfig.defaults(), 0, List.of("none"));
        }

        /** The configuration as an ordered map (for reports). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", device);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("gMaxMicroSiemens", Double.isNaN(deviceOptions.gMaxMicroSiemens()) ? "default"
                    : deviceOptions.gMaxMicroSiemens());
            d.put("progNoiseScale", deviceOptions.progNoiseScale());
            d.put("driftScale", deviceOptions.driftScale());
            d.put("readNoiseScale", deviceOptions.readNoiseScale());
            m.put("deviceOptions", d);
            m.put("times", times);
            m.put("repeats", repeats);
            m.put("seed", seed);
            m.put("batchSize", batchSize);
            m.put("keepDigital", new ArrayList<>(keepDigital));
            m.put("testLimit", testLimit);
            m.put("compensations", compensations);
            m.put("tile", tile.toMap());
            return m;
        }
    }

    /** 1 s, 1 hour, 1 day, 1 month (30 days), 1 year (365 days). */
    public static final List<Double> STANDARD_TIMES = List.of(1.0, 3600.0, 86400.0, 2592000.0, 31536000.0);

    /** One evaluation of the test set. */
    public record Measurement(String variant, int repeat, long seed, double timeSeconds, double accuracy) {}

    /** Mean and sample std over repeats for one (variant, time). */
    public record Summary(String variant, double timeSeconds, double mean, double std, int n) {}

    /** Wall time of one pass over the evaluated test samples. */
    public record Timing(double digitalPassSeconds, double analogPassSeconds, int analogPasses) {
        public double ratio() {
            return digitalPassSeconds > 0 ? analogPassSeconds / digitalPassSeconds : Double.NaN;
        }
    }

    /**
     * Everything a report needs.
     *
     * @param title what was evaluated (model on data set)
     * @param configuration the configuration ({@link Config#toMap()} plus context such as the checkpoint)
     * @param deviceName the device model's name
     * @param analogLayers paths of the layers computed in analog
     */
    public record Result(String title, Map<String, Object> configuration, long seed, String aimcVersion,
            String deviceName, List<String> analogLayers, int testSamples, double digitalAccuracy,
            List<Double> times, List<String> variants, List<Measurement> measurements, List<Summary> summaries,
            Timing timing) {

        /** The summary for (variant, time), or null. */
        public Summary summary(String variant, double time) {
            return summaries.stream().filter(s -> s.variant().equals(variant) && s.timeSeconds() == time)
                    .findFirst().orElse(null);
        }
    }

    /** Receives progress: one step per (repeat, time, variant) evaluation. */
    public interface Progress {
        default void start(long totalSteps) {}

        default void step(String message) {}

        Progress NONE = new Progress() {};
    }

    /**
     * Runs the experiment. The network is converted in place for the run and restored to digital afterwards.
     *
     * @param net the trained digital network (inference mode)
     * @param test the test set
     * @param calibration data compensations may calibrate on (may be null)
     * @param extraConfig context merged into the recorded configuration (model, data set, checkpoint), may be null
     */
    public static Result run(String title, Module net, Dataset test, Dataset calibration, Config cfg,
            Map<String, Object> extraConfig, Progress progress, NDManager manager) {
        return run(title, net, test, calibration, cfg, extraConfig, progress, manager, null);
    }

    /**
     * As {@link #run(String, Module, Dataset, Dataset, Config, Map, Progress, NDManager)}, programming every analog
     * layer's tiles with {@code programmer} in each repeat (null: the device model's one-shot programming).
     */
    public static Result run(String title, Module net, Dataset test, Dataset calibration, Config cfg,
            Map<String, Object> extraConfig, Progress progress, NDManager manager, TileProgrammer programmer) {
        DeviceModel device = DeviceModels.parse(cfg.device(), cfg.deviceOptions());
        List<Compensation> variants = Compensations.parse(cfg.compensations());
        int n = cfg.testLimit() > 0 ? Math.min(cfg.testLimit(), test.size()) : test.size();
        long t0 = System.nanoTime();
        double digital = AnalogNetwork.inference(() -> accuracy(net, test, n, cfg.batchSize(), manager));
        double digitalSec = (System.nanoTime() - t0) / 1e9;
        List<Measurement> ms = new ArrayList<>();
        double analogSec = 0;
        int passes = 0;
        List<String> analogLayers;
        progress.start((long) cfg.repeats() * cfg.times().size() * variants.size());
        try (AnalogNetwork a = AnalogConverter.convert(net, cfg.keepDigital(), cfg.tile(), device)) {
            analogLayers = new ArrayList<>(a.analogLayers().keySet());
            for (int rep = 0; rep < cfg.repeats(); rep++) {
                long seed = Rng.derive(cfg.seed(), rep);
                a.program(seed, programmer);
                for (double t : cfg.times()) {
                    a.driftTo(t);
                    for (Compensation c : variants) {
                        try (Compensation.Undo undo = c.apply(a, calibration)) {
                            long s0 = System.nanoTime();
                            double acc = AnalogNetwork.inference(
                                    () -> accuracy(a.module(), test, n, cfg.batchSize(), manager));
                            analogSec += (System.nanoTime() - s0) / 1e9;
                            passes++;
                            ms.add(new Measurement(c.name(), rep, seed, t, acc));
                            progress.step(String.format("rep %d t=%s %s %.2f%%", rep, Times.label(t), c.name(),
                                    100 * acc));
                        }
                    }
                }
            }
        }
        List<String> names = variants.stream().map(Compensation::name).toList();
        Map<String, Object> conf = new LinkedHashMap<>();
        if (extraConfig != null) {
            conf.putAll(extraConfig);
        }
        conf.putAll(cfg.toMap());
        conf.put("deviceParameters", device.parameters()); // every model parameter, --device keys
        return new Result(title, conf, cfg.seed(), Version.get(), device.name(), analogLayers, n, digital,
                cfg.times(), names, ms, summarize(ms, names, cfg.times()),
                new Timing(digitalSec, passes == 0 ? 0 : analogSec / passes, passes));
    }

    /** Mean and sample standard deviation per (variant, time). */
    public static List<Summary> summarize(List<Measurement> ms, List<String> variants, List<Double> times) {
        List<Summary> out = new ArrayList<>();
        for (String v : variants) {
            for (double t : times) {
                double[] a = ms.stream().filter(m -> m.variant().equals(v) && m.timeSeconds() == t)
                        .mapToDouble(Measurement::accuracy).toArray();
                out.add(new Summary(v, t, Stats.mean(a), Stats.sampleStd(a), a.length));
            }
        }
        return out;
    }

    /** Top-1 accuracy of {@code net} on the first {@code n} samples of {@code test}. */
    public static double accuracy(Module net, Dataset test, int n, int batchSize, NDManager manager) {
        return dev.aimc.train.Trainer.evaluate(net, manager, test, batchSize, n);
    }
}
