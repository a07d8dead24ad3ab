package dev.aimc.cli;

import dev.aimc.data.DataSets;
import dev.aimc.device.DeviceModels;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.program.Gdp;
import dev.aimc.program.ProgramVerify;
import dev.aimc.program.Programmers;
import dev.aimc.program.Programming;
import dev.aimc.report.DesignCost;
import dev.aimc.runner.CheckpointEvaluation;
import dev.aimc.runner.ChipExecutor;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.OptionLabels;
import dev.aimc.util.OutputPaths;
import dev.aimc.util.Times;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aimc evaluate}: accuracy of a checkpoint on analog crossbars over time since programming. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Program a trained checkpoint onto analog crossbars and evaluate its test accuracy over time "
                + "(Monte-Carlo over programming repeats). Writes results.json, results.csv, "
                + "accuracy_vs_time.png and report.html.")
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "checkpoint directory") Path checkpoint;
    @Option(names = "--device", defaultValue = "pcm", description = DeviceModels.OPTION_HELP
            + " (default: ${DEFAULT-VALUE})") String device;
    @Option(names = "--times", defaultValue = "1,3600,86400,2592000,31536000",
            description = "inference times in seconds (suffixes s,m,h,d,w,mo,y allowed; default: ${DEFAULT-VALUE})")
    String times;
    @Option(names = "--repeats", defaultValue = "5", description = "programming repeats (default: ${DEFAULT-VALUE})")
    int repeats;
    @Option(names = "--out", required = true, description = "report folder") Path out;
    @Option(names = "--seed", defaultValue = "0", description = "master seed of the programming repeats (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--batch", defaultValue = "256", description = "test images per analog forward pass (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--keep-digital", split = ",", description = "layers kept digital: first, last or dotted paths")
    List<String> keepDigital;
    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC resolution in bits (default: ${DEFAULT-VALUE})")
    int adcBits;
    @Option(names = "--dac-bits", defaultValue = "8", description = "DAC (input) resolution in bits (default: ${DEFAULT-VALUE})")
    int dacBits;
    @Option(names = "--adc-range", defaultValue = "12", description = "ADC saturation bound in normalized output "
            + "units (default: ${DEFAULT-VALUE})") double adcRange;
    @Option(names = "--out-noise", defaultValue = "0", description = "output noise std in normalized output units, "
            + "as aihwkit's out_noise (not relative to the ADC range) (default: ${DEFAULT-VALUE})") double outNoise;
    @Option(names = "--tile-size", defaultValue = "512", description = "crossbar rows and columns per tile "
            + "(default: ${DEFAULT-VALUE})") int tileSize;
    @Option(names = "--mapping", defaultValue = "differential",
            description = "differential, unipolar-offset or multi (2 pairs, base 2) (default: ${DEFAULT-VALUE})")
    String mapping;
    @Option(names = "--input-scaling", defaultValue = "abs-max", description = "abs-max or none (default: ${DEFAULT-VALUE})")
    String inputScaling;
    @Option(names = "--preset", defaultValue = "default", description = "tile preset: default, aihwkit (aihwkit's "
            + "IOParameters defaults: 7-bit DAC, 9-bit ADC over ±12, out_noise 0.06, iterative bound management, "
            + "per-tile weight scale) or aihwkit-standard-hwa (the forward of its StandardHWATrainingPreset); tile "
            + "options given explicitly override the preset (default: ${DEFAULT-VALUE})") String preset;
    @Option(names = "--bound-management", defaultValue = "none", description = "none or iterative (re-read a tile "
            + "vector with halved inputs while its outputs saturate, as aihwkit) (default: ${DEFAULT-VALUE})")
    String boundManagement;
    @Option(names = "--conv-scaling", defaultValue = "per-image", description = "over what a convolution's abs-max "
            + "input scale is taken: per-image (fast) or per-patch (as aihwkit; k² times the memory) "
            + "(default: ${DEFAULT-VALUE})") String convScaling;
    @Option(names = "--read-noise", defaultValue = "per-time", description = "when the devices' read noise is drawn: "
            + "per-time (once per repeat and inference time, as aihwkit) or per-batch (fresh for every batch) "
            + "(default: ${DEFAULT-VALUE})") String readNoise;
    @Option(names = "--freeze-read-noise", hidden = true, description = "the default now; same as --read-noise per-time")
    boolean freezeReadNoise;
    @Option(names = "--prog-noise-scale", defaultValue = "1", description = "factor on the programming noise (pcm: "
            + "prog-noise-scale, rram: sigma; an error if --device sets that key) (default: ${DEFAULT-VALUE})")
    double progNoiseScale;
    @Option(names = "--drift-scale", defaultValue = "1", description = "factor on the drift exponent (pcm: "
            + "drift-scale; an error if --device sets it) (default: ${DEFAULT-VALUE})") double driftScale;
    @Option(names = "--read-noise-scale", defaultValue = "1", description = "factor on the read noise (pcm: "
            + "read-noise-scale, rram: read-noise; an error if --device sets that key) (default: ${DEFAULT-VALUE})")
    double readNoiseScale;
    @Option(names = "--test-limit", defaultValue = "0", description = "evaluate only the first N test samples (default: ${DEFAULT-VALUE} = all)")
    int testLimit;
    @Option(names = "--compensation", split = ",", defaultValue = "gdc,none",
            description = "variants compared in one report: none, gdc, gdc-col, adabs, ratio, gdc+adabs, ratio+adabs "
                    + "(default: ${DEFAULT-VALUE}: global drift compensation as in aihwkit, and none to compare; "
                    + "adabs needs batch-norm layers)") List<String> compensation;
    @Option(names = "--adabs-samples", defaultValue = "2600",
            description = "training images for AdaBS recalibration (default: ${DEFAULT-VALUE})") int adabsSamples;
    @Option(names = "--programming", defaultValue = "oneshot", description = "how the tiles are programmed in "
            + "each repeat: oneshot (the device model's statistical programming), verify (program-and-verify) or gdp "
            + "(gradient-descent programming) (default: ${DEFAULT-VALUE})") String programming;
    @Option(names = "--verify-tolerance", defaultValue = "5", description = "--programming verify: acceptance "
            + "margin in single-cell ADC counts (default: ${DEFAULT-VALUE})") double verifyTolerance;
    @Option(names = "--verify-reads-through-adc", description = "--programming verify: each cell is read through "
            + "its column's ADC with that ADC's gain and offset mismatch and noise (default: an ideal cell-read "
            + "converter)") boolean verifyReadsThroughAdc;
    @picocli.CommandLine.Mixin PeripheryOptions peripheryErrors;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads for PyTorch (default: ${DEFAULT-VALUE} = all cores)") int threads;
    @Option(names = "--cost", description = "also cost the evaluated design (aimc cost's model with ISAAC's 32-nm "
            + "component table, the evaluated tiles' ADC and DAC bits and mapping): energy, area and latency per "
            + "inference into results.json and report.html") boolean cost;
    @Option(names = "--cost-components", description = "component table for --cost, YAML or JSON (implies --cost;"
            + " copy aimc-app/src/main/resources/dev/aimc/report/isaac-32nm.yaml)") Path costComponents;
    @Option(names = "--no-progress", description = "no progress display on stderr (default: shown)")
    boolean noProgress;
    @Option(names = "--spark", paramLabel = "MASTER", description = RunCommand.SPARK_HELP) String spark;

    /**
     * One of an enum's labels ({@link TileConfig#label}, any case), or a {@link ConfigException} naming the option.
     *
     * @param <E> the option's enum
     * @param option the option to name in the error
     * @param type the enum class
     * @param value the value given
     * @return the constant
     */
    private static <E extends Enum<E>> E option(String option, Class<E> type, String value) {
        return OptionLabels.parse(option, type, value);
    }

    /** Builds and validates the experiment configuration from the options. */
    InferenceExperiment.Config config() {
        Check.range("--tile-size", tileSize, 1, 1 << 16); // before the builder, which names its own max-rows
        TileConfig base = TileConfig.preset(preset);
        if (base == null) {
            throw new ConfigException("--preset must be " + String.join(", ", TileConfig.PRESETS) + ", got " + preset);
        }
        TileConfig.Builder tb = base.toBuilder();
        boolean all = preset.strip().equalsIgnoreCase("default"); // a preset keeps what is not given explicitly
        if (all || given("--tile-size")) {
            tb.tileSize(tileSize, tileSize);
        }
        if (all || given("--dac-bits")) {
            tb.inputBits(dacBits);
        }
        if (all || given("--adc-bits")) {
            tb.outputBits(adcBits);
        }
        if (all || given("--adc-range")) {
            tb.outputRange(adcRange);
        }
        if (all || given("--out-noise")) {
            tb.outputNoise(outNoise);
        }
        tb.readNoise(option("--read-noise", TileConfig.ReadNoise.class, readNoise));
        if (all || given("--bound-management")) {
            tb.boundManagement(option("--bound-management", TileConfig.BoundManagement.class, boundManagement));
        }
        tb.convScaling(option("--conv-scaling", TileConfig.ConvScaling.class, convScaling));
        if (all || given("--mapping")) {
            switch (mapping.toLowerCase(Locale.ROOT)) {
                case "differential" -> tb.mapping(TileConfig.Mapping.DIFFERENTIAL);
                case "unipolar-offset" -> tb.mapping(TileConfig.Mapping.UNIPOLAR_OFFSET);
                case "multi" -> tb.multi(2, 2);
                default -> throw new ConfigException("--mapping must be differential, unipolar-offset or multi, got "
                        + mapping);
            }
        }
        if (all || given("--input-scaling")) {
            switch (inputScaling.toLowerCase(Locale.ROOT)) {
                case "abs-max" -> tb.inputScaling(TileConfig.InputScaling.ABS_MAX);
                case "none" -> tb.inputScaling(TileConfig.InputScaling.NONE);
                default -> throw new ConfigException("--input-scaling must be abs-max or none, got " + inputScaling);
            }
        }
        peripheryErrors.applyTo(tb);
        return finish(tb);
    }

    /** True when the option was given on the command line (not its default). */
    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The tile options that a uniform-scaling checkpoint's design fixes: giving one is an error, not ignored.
     */
    static final List<String> DESIGN_TILE_OPTIONS = List.of("--preset", "--tile-size", "--dac-bits", "--adc-bits",
            "--adc-range", "--out-noise", "--mapping", "--input-scaling", "--bound-management");

    /**
     * For a checkpoint trained with --uniform-scaling: each analog layer's tiles as its recorded design sets them
     * (fixed weight scale W, DAC range A, ADC full scale R, resolutions, mapping), by path, without the layers kept
     * digital; null for any other checkpoint.
     */
    private java.util.Map<String, TileConfig> designTiles;

    /** Reads the checkpoint's uniform-scaling record, if any, and refuses tile options that its design fixes. */
    private void readDesign() {
        if (!java.nio.file.Files.isRegularFile(checkpoint.resolve(dev.aimc.train.Checkpoint.META))) {
            return; // the evaluation names the missing checkpoint
        }
        java.util.Map<String, Object> rec = dev.aimc.train.Checkpoint.readMeta(checkpoint).uniformScaling;
        if (rec == null) {
            return;
        }
        for (String o : DESIGN_TILE_OPTIONS) {
            if (given(o)) {
                throw new ConfigException(o + " cannot be given: checkpoint " + checkpoint + " was trained with"
                        + " --uniform-scaling and is evaluated on the tiles of its recorded design");
            }
        }
        java.util.Map<String, TileConfig> all = dev.aimc.nn.uniform.UniformTraining.tileConfigs(rec);
        List<String> paths = List.copyOf(all.keySet());
        java.util.Map<String, TileConfig> analog = new java.util.LinkedHashMap<>(all);
        for (String k : keepDigital == null ? List.<String>of() : keepDigital) {
            String q = k.strip();
            analog.remove(q.equals(dev.aimc.nn.AnalogConverter.FIRST) ? paths.get(0)
                    : q.equals(dev.aimc.nn.AnalogConverter.LAST) ? paths.get(paths.size() - 1) : q);
        }
        designTiles = analog;
    }

    /** The configuration with the tiles of {@code tb}. */
    private InferenceExperiment.Config finish(TileConfig.Builder tb) {
        TileConfig tile;
        try {
            tile = tb.build();
        } catch (ConfigException e) {
            throw e.getMessage().startsWith("--") ? e : new ConfigException("--" + e.getMessage());
        }
        java.util.Map<String, TileConfig> layerTiles = java.util.Map.of();
        if (designTiles != null && !designTiles.isEmpty()) {
            // every layer's tiles are its design's; the first stands for the network in reports and the cost
            java.util.Map<String, TileConfig> withErrors = new java.util.LinkedHashMap<>();
            designTiles.forEach((k, v) -> withErrors.put(k, peripheryErrors.build(v.toBuilder())));
            tile = withErrors.values().iterator().next();
            layerTiles = withErrors;
        }
        DeviceModels.Options opts = new DeviceModels.Options(Double.NaN, progNoiseScale, driftScale, readNoiseScale);
        return InferenceExperiment.Config.builder().device(DeviceModels.parse(device, opts))
                .times(Times.parse("--times", times)).repeats(repeats).seed(seed).batchSize(batch)
                .keepDigital(keepDigital == null ? null : new LinkedHashSet<>(keepDigital)).tile(tile)
                .testLimit(testLimit).compensations(dev.aimc.compensation.Schemes.parse(compensation))
                .programming(programming.equals("oneshot") ? null : programmer()).layerTiles(layerTiles).build();
    }

    @Override
    public Integer call() {
        OutputPaths.folder("--out", out);
        Check.range("--threads", threads, 0, 1024);
        InferenceExperiment.Config cfg;
        readDesign();
        try {
            cfg = config();
        } catch (ConfigException e) {
            String msg = e.getMessage();
            throw msg.startsWith("--") ? e : new ConfigException("--" + msg);
        }
        TileProgrammer programmer = cfg.programming();
        if (programmer != null) {
            if (cfg.tile().mapping() != TileConfig.Mapping.DIFFERENTIAL) {
                throw new ConfigException("--programming " + programming + " needs --mapping differential, got "
                        + (designTiles != null ? "the design's " + cfg.tile().mapping() : mapping));
            }
            Programming.withoutProgrammingNoise(cfg.device());
        }
        DesignCost designCost = costComponents != null ? DesignCost.of("--cost-components", costComponents)
                : cost ? DesignCost.isaac() : null; // the table is checked before the work
        dev.aimc.compensation.Schemes.setAdabsSamples(adabsSamples);
        int t = threads > 0 ? threads : spark != null ? 1 : Runtime.getRuntime().availableProcessors();
        TrainRun.setThreads(t);
        try (ChipExecutor ex = ChipExecutor.open("--spark", spark, t)) {
            CheckpointEvaluation.run(checkpoint, DataSets.resolve(dataDir), cfg, out, !noProgress, System.out,
                    designCost, ex, ex == null ? null : new Recipe(options()), t);
        }
        if (programmer instanceof Programmers.Process p) {
            System.out.printf(Locale.ROOT, "programming %s: %d tiles, %.3f pulses per device, %.1f s%n", p.name(),
                    p.tiles(), p.pulsesPerDevice(), p.seconds());
        }
        System.out.println("report: " + out.resolve("report.html").toAbsolutePath());
        return 0;
    }

    /**
     * The options given on the command line, as they were typed (flags without a value, others with theirs), to be
     * parsed again where a chip runs.
     */
    private String[] options() {
        List<String> a = new java.util.ArrayList<>();
        for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.arity().max() == 0) {
                a.add(o.longestName());
            } else {
                for (String v : o.originalStringValues()) {
                    a.add(o.longestName());
                    a.add(v);
                }
            }
        }
        return a.toArray(new String[0]);
    }

    /**
     * The configuration rebuilt where a chip runs: the same options parsed by a new command, its checkpoint read from
     * the chip's local copy (a recorded uniform-scaling design sets the tiles there as here).
     */
    static final class Recipe implements dev.aimc.runner.ChipJob.Recipe {
        private static final long serialVersionUID = 1L;
        private final String[] options;

        Recipe(String[] options) {
            this.options = options.clone();
        }

        @Override
        public InferenceExperiment.Config config(Path checkpoint) {
            EvaluateCommand c = new EvaluateCommand();
            new picocli.CommandLine(c).parseArgs(options);
            c.checkpoint = checkpoint;
            c.readDesign();
            return c.config();
        }
    }

    /** The --programming algorithm (oneshot, verify or gdp). */
    TileProgrammer programmer() {
        if (!List.of("oneshot", "verify", "gdp").contains(programming)) {
            throw new ConfigException("--programming must be one of oneshot, verify, gdp, got " + programming);
        }
        Check.nonNegative("--verify-tolerance", verifyTolerance);
        return switch (programming) {
            case "verify" -> Programmers.tiled(ProgramVerify.defaults().withMarginCounts(verifyTolerance)
                    .withHistoryInputs(0), verifyReadsThroughAdc);
            case "gdp" -> Programmers.tiled(Gdp.defaults().withHistoryInputs(0), verifyReadsThroughAdc);
            default -> Programmers.parse("--programming", programming);
        };
    }

    @Override
    public String toString() {
        return "evaluate " + Arrays.asList(checkpoint, device, times);
    }
}
