package dev.aimc.experiment;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.Compensation;
import dev.aimc.compensation.Schemes;
import dev.aimc.compensation.Undo;
import dev.aimc.data.Dataset;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.device.PcmModel;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.Measurement;
import dev.aimc.results.Summary;
import dev.aimc.results.Timing;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Provenance;
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
     * What to run, as typed objects (the command line and the experiment-file parser turn names into them:
     * {@link dev.aimc.device.DeviceModels#parse}, {@link Schemes#parse}, {@link dev.aimc.program.Programmers}).
     *
     * @param device the device model the tiles are programmed on
     * @param times inference times in seconds (≥ 0), evaluated in this order
     * @param repeats programming repeats (≥ 1): each one chip instance
     * @param seed master seed
     * @param batchSize evaluation batch size
     * @param keepDigital Linear/Conv2d paths (or first/last) kept digital
     * @param tile the crossbar configuration
     * @param testLimit evaluate the first N test samples (0: all)
     * @param compensations the variants compared, e.g. [none, gdc] (default: [gdc])
     * @param programming how the tiles are programmed in each repeat (null: the device model's one-shot programming)
     */
    public record Config(DeviceModel device, List<Double> times, int repeats, long seed, int batchSize,
            Set<String> keepDigital, TileConfig tile, int testLimit, List<Compensation> compensations,
            TileProgrammer programming, Map<String, TileConfig> layerTiles) {

        /**
         * Validates; a bad value gives a one-line ConfigException naming the option.
         *
         * @param device the device model the tiles are programmed on (not null)
         * @param times inference times in seconds (≥ 0, at least one), evaluated in this order
         * @param repeats programming repeats (≥ 1), each one chip instance
         * @param seed master seed; repeat r is programmed with {@code Rng.derive(seed, r)}
         * @param batchSize evaluation batch size (≥ 1)
         * @param keepDigital Linear/Conv2d paths (or first/last) kept digital; null means none
         * @param tile the crossbar configuration (not null)
         * @param testLimit evaluate the first N test samples (≥ 0; 0: all)
         * @param compensations the variants compared (at least one)
         * @param programming how the tiles are programmed in each repeat (null: the device model's one-shot
         *     programming)
         * @param layerTiles the crossbar configuration of named layers, by dotted path, overriding {@code tile}
         *     (e.g. each layer's recorded uniform-scaling design); null or empty: none
         */
        public Config {
            layerTiles = layerTiles == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new LinkedHashMap<>(layerTiles));
            if (device == null) {
                throw new ConfigException("--device must name a device model, got none");
            }
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
            compensations = compensations == null || compensations.isEmpty() ? Schemes.parse(List.of("gdc"))
                    : List.copyOf(compensations);
            if (tile == null) {
                tile = TileConfig.defaults();
            }
        }

        /**
         * A builder with the defaults: PCM, the five standard times, 5 repeats, seed 0, batch 256, GDC.
         *
         * @return a new builder holding the defaults
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The defaults of {@link #builder()}.
         *
         * @return the default configuration
         */
        public static Config defaults() {
            return builder().build();
        }

        /**
         * The variant names, in order.
         *
         * @return the names of {@link #compensations()}, e.g. ["none", "gdc"]
         */
        public List<String> compensationNames() {
            return compensations.stream().map(Compensation::name).toList();
        }

        /**
         * The configuration as an ordered map (for reports): every parameter of device, tile and programming.
         *
         * @return a new insertion-ordered map from parameter name to value (numbers, strings, nested maps)
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", device.name());
            m.put("deviceParameters", device.parameters());
            m.put("times", times);
            m.put("repeats", repeats);
            m.put("seed", seed);
            m.put("batchSize", batchSize);
            m.put("keepDigital", new ArrayList<>(keepDigital));
            m.put("testLimit", testLimit);
            m.put("compensations", compensationNames());
            m.put("programming", programming == null ? "oneshot" : programming.name());
            if (programming instanceof dev.aimc.program.Programmers.Process p) {
                m.put("programmingAlgorithm", p.algorithm().toString()); // the record with every parameter
                m.put("cellReadsThroughAdc", p.cellReadsThroughAdc());
            }
            m.put("tile", tile.toMap());
            if (!layerTiles.isEmpty()) {
                Map<String, Object> lt = new LinkedHashMap<>();
                layerTiles.forEach((k, v) -> lt.put(k, v.toMap()));
                m.put("layerTiles", lt);
            }
            return m;
        }

        /** Builder of {@link Config}; {@link #build()} validates. */
        public static final class Builder {
            private DeviceModel device = PcmModel.defaults();
            private List<Double> times = STANDARD_TIMES;
            private int repeats = 5;
            private long seed;
            private int batchSize = 256;
            private Set<String> keepDigital = Set.of();
            private TileConfig tile = TileConfig.defaults();
            private int testLimit;
            private List<Compensation> compensations = List.of();
            private TileProgrammer programming;
            private Map<String, TileConfig> layerTiles = Map.of();

            private Builder() {}

            /**
             * Tile configurations of named layers (default: none, every analog layer uses {@link #tile}).
             *
             * @param v configurations by dotted layer path; each must name an analog Linear/Conv2d layer
             * @return this builder
             */
            public Builder layerTiles(Map<String, TileConfig> v) {
                layerTiles = v;
                return this;
            }

            /**
             * The device model (default: PCM).
             *
             * @param v the device model, e.g. {@code PcmModel.defaults()}
             * @return this builder
             */
            public Builder device(DeviceModel v) {
                device = v;
                return this;
            }

            /**
             * Inference times in seconds (default: 1 s, 1 h, 1 d, 30 d, 1 y).
             *
             * @param v inference times in seconds after programming (≥ 0), evaluated in this order
             * @return this builder
             */
            public Builder times(List<Double> v) {
                times = v;
                return this;
            }

            /**
             * Programming repeats (default 5).
             *
             * @param v number of programmed chip instances (≥ 1)
             * @return this builder
             */
            public Builder repeats(int v) {
                repeats = v;
                return this;
            }

            /**
             * Master seed (default 0).
             *
             * @param v master seed from which every repeat's seed is derived
             * @return this builder
             */
            public Builder seed(long v) {
                seed = v;
                return this;
            }

            /**
             * Evaluation batch size (default 256).
             *
             * @param v samples per forward pass (≥ 1)
             * @return this builder
             */
            public Builder batchSize(int v) {
                batchSize = v;
                return this;
            }

            /**
             * Layers kept digital (default none).
             *
             * @param v paths of Linear/Conv2d layers kept digital, or "first"/"last"
             * @return this builder
             */
            public Builder keepDigital(Set<String> v) {
                keepDigital = v;
                return this;
            }

            /**
             * The tiles (default {@link TileConfig#defaults()}).
             *
             * @param v the crossbar configuration: tile size, DAC/ADC, mapping, noise
             * @return this builder
             */
            public Builder tile(TileConfig v) {
                tile = v;
                return this;
            }

            /**
             * Evaluate the first N test samples (default 0: all).
             *
             * @param v number of test samples evaluated from the first (0: all)
             * @return this builder
             */
            public Builder testLimit(int v) {
                testLimit = v;
                return this;
            }

            /**
             * The variants compared (default: GDC alone).
             *
             * @param v the variants, each applied after drift at every time
             * @return this builder
             */
            public Builder compensations(List<Compensation> v) {
                compensations = v;
                return this;
            }

            /**
             * The variants compared.
             *
             * @param v the variants, each applied after drift at every time
             * @return this builder
             */
            public Builder compensations(Compensation... v) {
                compensations = List.of(v);
                return this;
            }

            /**
             * The programming algorithm (default: null, the device model's one-shot programming).
             *
             * @param v the programming algorithm, or null for the device model's one-shot programming
             * @return this builder
             */
            public Builder programming(TileProgrammer v) {
                programming = v;
                return this;
            }

            /**
             * Validates and builds.
             *
             * @return the validated configuration
             * @throws ConfigException naming the option when a value is invalid
             */
            public Config build() {
                return new Config(device, times, repeats, seed, batchSize, keepDigital, tile, testLimit,
                        compensations, programming, layerTiles);
            }
        }
    }

    /** 1 s, 1 hour, 1 day, 1 month (30 days), 1 year (365 days). */
    public static final List<Double> STANDARD_TIMES = List.of(1.0, 3600.0, 86400.0, 2592000.0, 31536000.0);

    /** Receives progress: one step per (repeat, time, variant) evaluation. */
    public interface Progress {
        /**
         * Called once before the first evaluation.
         *
         * @param totalSteps number of {@link #step} calls that follow: repeats × times × variants
         */
        default void start(long totalSteps) {}

        /**
         * Called after each (repeat, time, variant) evaluation.
         *
         * @param message e.g. "rep 0 t=1d gdc 97.12%"
         */
        default void step(String message) {}

        /** The receiver that ignores all progress. */
        Progress NONE = new Progress() {};
    }

    /**
     * Runs the experiment. The network is converted in place for the run and restored to digital afterwards.
     *
     * @param net the trained digital network (inference mode)
     * @param test the test set
     * @param calibration data compensations may calibrate on (may be null)
     * @param extraConfig context merged into the recorded configuration (model, data set, checkpoint), may be null
     * @param title what is evaluated (e.g. "lenet5 on cifar10"): the report's heading; also names the network in the
     *     AdaBS check when {@code extraConfig} has no "model"
     * @param cfg device, tiles, programming, times, repeats, seed and variants
     * @param progress receives one step per (repeat, time, variant) evaluation; {@link Progress#NONE} for none
     * @param manager the manager test batches and temporaries are created in (freed per batch)
     * @return the digital accuracy, every measurement (variant, repeat, seed, time, top-1 accuracy in [0, 1]), the mean
     *     and sample standard deviation per (variant, time), the timing of one pass and the recorded configuration
     */
    public static EvaluationResult run(String title, Module net, Dataset test, Dataset calibration, Config cfg,
            Map<String, Object> extraConfig, Progress progress, NDManager manager) {
        return run(title, net, test, calibration, cfg, extraConfig, progress, manager, Chips.IN_PROCESS);
    }

    /**
     * As {@link #run(String, Module, Dataset, Dataset, Config, Map, Progress, NDManager)}, with the chips (programming
     * repeats) run by {@code chips}: here one after the other ({@link Chips#IN_PROCESS}), or elsewhere, e.g. as the
     * tasks of a cluster job, each chip with {@link #chip(Module, Dataset, Dataset, Config, int, NDManager)}. The
     * digital pass and the conversion (which names the analog layers and checks the tiles) run here either way; a chip
     * depends only on the network, the data, {@code cfg} and its repeat index, so where it runs does not change the
     * result at the same thread count.
     *
     * @param title what is evaluated: the report's heading
     * @param net the trained digital network (inference mode)
     * @param test the test set
     * @param calibration data compensations may calibrate on (may be null)
     * @param cfg device, tiles, programming, times, repeats, seed and variants
     * @param extraConfig context merged into the recorded configuration, may be null
     * @param progress receives one step per (repeat, time, variant) evaluation
     * @param manager the manager test batches and temporaries are created in
     * @param chips runs the chips and gives them back in repeat order
     * @return as {@link #run(String, Module, Dataset, Dataset, Config, Map, Progress, NDManager)}
     */
    public static EvaluationResult run(String title, Module net, Dataset test, Dataset calibration, Config cfg,
            Map<String, Object> extraConfig, Progress progress, NDManager manager, Chips chips) {
        DeviceModel device = cfg.device();
        List<Compensation> variants = cfg.compensations();
        requireBatchNormForAdabs(net, cfg.compensationNames(),
                extraConfig != null && extraConfig.get("model") != null ? extraConfig.get("model").toString() : title);
        int n = testSamples(cfg, test);
        long t0 = System.nanoTime();
        double digital = AnalogNetwork.inference(() -> accuracy(net, test, n, cfg.batchSize(), manager));
        double digitalSec = (System.nanoTime() - t0) / 1e9;
        List<Measurement> ms = new ArrayList<>();
        double analogSec = 0;
        int passes = 0;
        List<String> analogLayers;
        progress.start((long) cfg.repeats() * cfg.times().size() * variants.size());
        try (AnalogNetwork a = AnalogConverter.convert(net, cfg.keepDigital(), cfg.tile(), cfg.layerTiles(),
                device)) {
            analogLayers = new ArrayList<>(a.analogLayers().keySet());
            List<Chip> done = chips.run(cfg.repeats(), rep -> chip(a, test, calibration, cfg, n, rep, progress,
                    manager), progress);
            if (done.size() != cfg.repeats()) {
                throw new IllegalStateException(done.size() + " chips for " + cfg.repeats() + " repeats");
            }
            for (int rep = 0; rep < done.size(); rep++) {
                Chip c = done.get(rep);
                if (c.repeat() != rep) {
                    throw new IllegalStateException("chip " + c.repeat() + " in place of repeat " + rep);
                }
                ms.addAll(c.measurements());
                analogSec += c.analogSeconds();
                passes += c.passes();
            }
        }
        List<String> names = variants.stream().map(Compensation::name).toList();
        Map<String, Object> conf = new LinkedHashMap<>();
        if (extraConfig != null) {
            conf.putAll(extraConfig);
        }
        conf.putAll(cfg.toMap()); // every parameter of device, tile, programming and compensation
        conf.put("provenance", Provenance.collect()); // versions, git commit, threads, native kernels
        return new EvaluationResult(title, conf, cfg.seed(), Version.get(), device.name(), analogLayers, n, digital,
                cfg.times(), names, ms, summarize(ms, names, cfg.times()),
                new Timing(digitalSec, passes == 0 ? 0 : analogSec / passes, passes));
    }

    /**
     * One chip instance: the measurements of one programming repeat, in (time, variant) order.
     *
     * @param repeat the repeat index r
     * @param seed its programming seed, {@code Rng.derive(cfg.seed(), r)}
     * @param measurements one per (time, variant), times outer and variants inner
     * @param analogSeconds wall time of its analog test passes, in seconds
     * @param passes number of analog test passes (times × variants)
     */
    public record Chip(int repeat, long seed, List<Measurement> measurements, double analogSeconds, int passes) {
        /**
         * Copies the measurements.
         *
         * @param repeat the repeat index r
         * @param seed its programming seed
         * @param measurements one per (time, variant)
         * @param analogSeconds wall time of its analog test passes, in seconds
         * @param passes number of analog test passes
         */
        public Chip {
            measurements = List.copyOf(measurements);
        }
    }

    /** Runs the chips (programming repeats) of an experiment: in this process, or as the tasks of a cluster job. */
    public interface Chips {
        /**
         * Runs chips 0 .. repeats-1.
         *
         * @param repeats number of chips
         * @param local runs chip r in this process on the network converted here (reporting its steps itself)
         * @param progress receives one step per (repeat, time, variant) evaluation of chips not run by {@code local}
         * @return the chips, in repeat order
         */
        List<Chip> run(int repeats, java.util.function.IntFunction<Chip> local, Progress progress);

        /** Every chip here, one after the other, on the one converted network (the default). */
        Chips IN_PROCESS = (repeats, local, progress) -> {
            List<Chip> out = new ArrayList<>(repeats);
            for (int rep = 0; rep < repeats; rep++) {
                out.add(local.apply(rep));
            }
            return out;
        };
    }

    /**
     * Number of test samples evaluated.
     *
     * @param cfg the configuration (its test limit)
     * @param test the test set
     * @return {@code min(testLimit, test.size())}, or {@code test.size()} without a limit
     */
    public static int testSamples(Config cfg, Dataset test) {
        return cfg.testLimit() > 0 ? Math.min(cfg.testLimit(), test.size()) : test.size();
    }

    /**
     * Chip {@code rep} on its own: converts {@code net} (in place, restored to digital afterwards), programs it
     * with {@code Rng.derive(cfg.seed(), rep)} and evaluates every (time, variant), as one repeat of
     * {@link #run(String, Module, Dataset, Dataset, Config, Map, Progress, NDManager)} does: the unit of work of a
     * cluster job.
     *
     * @param net the trained digital network (inference mode), not shared with another thread while this runs
     * @param test the test set
     * @param calibration data compensations may calibrate on (may be null)
     * @param cfg device, tiles, programming, times, seed and variants
     * @param rep the repeat index r (≥ 0)
     * @param manager the manager test batches and temporaries are created in
     * @return the chip's measurements
     */
    public static Chip chip(Module net, Dataset test, Dataset calibration, Config cfg, int rep, NDManager manager) {
        try (AnalogNetwork a = AnalogConverter.convert(net, cfg.keepDigital(), cfg.tile(), cfg.layerTiles(),
                cfg.device())) {
            return chip(a, test, calibration, cfg, testSamples(cfg, test), rep, Progress.NONE, manager);
        }
    }

    /** Programs {@code a} as chip {@code rep} and evaluates every (time, variant) on the first {@code n} samples. */
    private static Chip chip(AnalogNetwork a, Dataset test, Dataset calibration, Config cfg, int n, int rep,
            Progress progress, NDManager manager) {
        long seed = Rng.derive(cfg.seed(), rep);
        a.program(seed, cfg.programming());
        List<Measurement> ms = new ArrayList<>();
        double analogSec = 0;
        int passes = 0;
        for (double t : cfg.times()) {
            a.driftTo(t);
            for (Compensation c : cfg.compensations()) {
                a.startPass(AnalogNetwork.passKey(c.name())); // its noise depends on (chip, t, variant) only
                try (Undo undo = c.apply(a, calibration)) {
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
        return new Chip(rep, seed, ms, analogSec, passes);
    }

    /**
     * Refuses AdaBS variants for a network without batch-norm layers: AdaBS only recomputes batch-norm statistics,
     * so on such a network (LeNet-5, the MLPs) it would silently report the uncompensated accuracy under its name.
     *
     * @param net the network to be evaluated (searched for {@link dev.aimc.nn.BatchNorm} layers)
     * @param compensations variant names as given, e.g. "adabs" or "gdc+adabs" (a variant is a '+'-joined list)
     * @param network the network's name used in the message, e.g. "lenet5"
     * @throws ConfigException naming the variant and the network
     */
    public static void requireBatchNormForAdabs(Module net, List<String> compensations, String network) {
        boolean hasBn = net.namedModules().values().stream().anyMatch(m -> m instanceof dev.aimc.nn.BatchNorm);
        for (String v : compensations) {
            if (!hasBn && List.of(v.strip().split("\\+")).contains("adabs")) {
                throw new ConfigException("--compensation " + v.strip() + ": " + network + " has no batch-norm "
                        + "layers, so AdaBS (batch-norm recalibration) would change nothing; use gdc or ratio");
            }
        }
    }

    /**
     * Mean and sample standard deviation per (variant, time).
     *
     * @param ms the measurements of every repeat
     * @param variants the variant names, in the order the summaries are listed
     * @param times the inference times in seconds, in the order the summaries are listed (matched exactly)
     * @return one summary per (variant, time), variants outer and times inner; the standard deviation is NaN for a
     *     single repeat
     */
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

    /**
     * Top-1 accuracy of {@code net} on the first {@code n} samples of {@code test}.
     *
     * @param net the network, digital or converted to analog (run in inference mode by the caller)
     * @param test the test set
     * @param n how many samples to evaluate, from the first (at most {@code test.size()})
     * @param batchSize samples per forward pass; does not change the result
     * @param manager the manager batches are created in
     * @return the fraction of correctly classified samples, in [0, 1]
     */
    public static double accuracy(Module net, Dataset test, int n, int batchSize, NDManager manager) {
        return dev.aimc.train.Accuracy.top1(net, test, batchSize, n, manager);
    }
}
