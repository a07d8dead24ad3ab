package dev.aimc.device;

import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds {@link DeviceModel}s from {@code --device} specs ({@link DeviceSpec}: {@code NAME[:KEY=VALUE,...]}) and
 * holds the one parameter table per model ({@link #PCM}, {@link #PCM_TABLE}, {@link #RRAM}, {@link #GST_ST90},
 * {@link #IDEAL}) from
 * which the parser, {@link #help()} and {@link DeviceModel#parameters()} are all derived.
 */
public final class DeviceModels {
    private DeviceModels() {}

    /** Prefix of a table-driven PCM model: {@code pcm-table:FILE.csv}. */
    public static final String PCM_TABLE_PREFIX = "pcm-table:";

    /** Description of {@code --device} for the commands' option help (a constant, as annotations need). */
    public static final String OPTION_HELP = "device model and its parameters, NAME[:KEY=VALUE,...], e.g. "
            + "rram:sigma=0.3,bits=2 or pcm:g-max=25,drift-scale=0; models pcm, pcm-table, hermes, rram, gst-st90, "
            + "ideal; "
            + "every key with its unit and default: aimc device --help";

    private static final double INF = Double.POSITIVE_INFINITY;

    /** Statistical PCM, {@link PcmModel}. */
    public static final DeviceType<PcmModel> PCM = new DeviceType<>("pcm",
            "statistical PCM (Nandakumar et al. 2019; Joshi et al. 2020)", PcmModel.class,
            DeviceModels.<PcmModel>pcmParameters(null), v -> new PcmModel(v.real("g-max"), v.real("prog-noise-scale"),
                    v.real("drift-scale"), v.real("read-noise-scale")),
            "prog-noise-scale", "drift-scale", "read-noise-scale");

    /** PCM with measured drift-exponent statistics, {@link PcmTableModel}. */
    public static final DeviceType<PcmTableModel> PCM_TABLE = new DeviceType<>("pcm-table",
            "PCM with nu mean and std from a CSV table g_us,nu_mean,nu_std",
            PcmTableModel.class, pcmParameters(DeviceParameter.<PcmTableModel>file("file",
                    "CSV table of drift-exponent statistics against conductance", m -> m.table().source())),
            v -> new PcmTableModel(NuTable.load(Path.of(v.text("file"))), v.real("g-max"),
                    v.real("prog-noise-scale"), v.real("drift-scale"), v.real("read-noise-scale")),
            "prog-noise-scale", "drift-scale", "read-noise-scale");

    /** Multi-level RRAM, {@link RramModel}. */
    public static final DeviceType<RramModel> RRAM = new DeviceType<>("rram",
            "multi-level RRAM: levels, log-normal spread, stuck-at faults, no drift", RramModel.class, List.of(
                    DeviceParameter.real("g-min", "µS", RramModel.DEFAULT_G_MIN_US, 0, false, INF,
                            "lowest conductance; targets are clipped to [g-min, g-max]",
                            RramModel::gMinMicroSiemens),
                    DeviceParameter.real("g-max", "µS", RramModel.DEFAULT_G_MAX_US, 0, true, INF,
                            "highest conductance, > g-min", RramModel::gMaxMicroSiemens),
                    DeviceParameter.integer("bits", "bits", 0, 0, 16,
                            "bits per cell, 2^bits equally spaced levels; 0 = continuous", RramModel::bitsPerCell),
                    DeviceParameter.real("sigma", "1", RramModel.DEFAULT_LOG_NORMAL_SIGMA, 0, false, INF,
                            "std of ln(g'/g), log-normal programming variation", RramModel::logNormalSigma),
                    DeviceParameter.real("stuck-min", "1", 0, 0, false, 1,
                            "probability that a device is stuck at g-min", RramModel::stuckAtMinRate),
                    DeviceParameter.real("stuck-max", "1", 0, 0, false, 1,
                            "probability that a device is stuck at g-max (stuck-min + stuck-max <= 1)",
                            RramModel::stuckAtMaxRate),
                    DeviceParameter.real("read-noise", "1", 0, 0, false, INF,
                            "read-noise std relative to the conductance, drawn anew on each read",
                            RramModel::readNoiseRelStd)),
            DeviceModels::rram, "sigma", null, "read-noise");

    /**
     * PCM of IBM's 14-nm HERMES chip, {@link HermesModel}, at the unit cell's characterized g_max (1 device per
     * polarity by default, as the differential mapping stores a weight; other g_max values through the Java API).
     */
    public static final DeviceType<HermesModel> HERMES = new DeviceType<>("hermes",
            "PCM of IBM's 14-nm HERMES chip, fits of aihwkit's HermesNoiseModel",
            HermesModel.class, List.of(
                    DeviceParameter.integer("unit-cell", "1", 1, 1, 2,
                            "PCM devices per polarity: 1 (g_max 10.35, t0 200 s) or 2 (20.7, 300 s)",
                            HermesModel::unitCell),
                    DeviceParameter.real("prog-noise-scale", "1", 1, 0, false, INF,
                            "factor on the programming noise sigma_prog; 0 = off", HermesModel::progNoiseScale),
                    DeviceParameter.real("drift-scale", "1", 1, 0, false, INF,
                            "factor on the drift exponent nu; 0 = no drift", HermesModel::driftScale),
                    DeviceParameter.real("read-noise-scale", "1", 1, 0, false, INF,
                            "factor on the 1/f read noise; 0 = off", HermesModel::readNoiseScale)),
            v -> {
                int cell = v.integer("unit-cell");
                return new HermesModel(HermesModel.of(cell).gMaxMicroSiemens(), cell, v.real("prog-noise-scale"),
                        v.real("drift-scale"), v.real("read-noise-scale"));
            }, "prog-noise-scale", "drift-scale", "read-noise-scale");

    /** Ge-rich GST embedded PCM of the 90-nm ST prototype, {@link GstSt90Model}. */
    public static final DeviceType<GstSt90Model> GST_ST90 = new DeviceType<>("gst-st90",
            "Ge-rich GST ePCM, 90-nm ST (Antolini 2023): levels, rigid drift", GstSt90Model.class, List.of(
                    DeviceParameter.real("g-max", "µS", GstSt90Model.DEFAULT_G_MAX_US, 0, true, INF,
                            "top level; levels k*g-max/(levels-1), k = 0 is RESET",
                            GstSt90Model::gMaxMicroSiemens),
                    DeviceParameter.integer("levels", "1", GstSt90Model.DEFAULT_LEVELS, 2, 256,
                            "programmed levels including RESET (Materials 2021: 4)", GstSt90Model::levels),
                    DeviceParameter.real("sigma", "1", GstSt90Model.DEFAULT_SIGMA, 0, false, INF,
                            "std of a programmed level / g-max, the same for every level",
                            GstSt90Model::sigmaRel),
                    DeviceParameter.real("drift", "1", GstSt90Model.DEFAULT_DRIFT, 0, false, INF,
                            "rigid decrease per decade of (t+1s)/1s / g-max, all SET cells",
                            GstSt90Model::driftRelPerDecade),
                    DeviceParameter.real("read-noise", "1", GstSt90Model.DEFAULT_READ_NOISE, 0, false, INF,
                            "read-noise std / g-max on programmed cells, new on each read",
                            GstSt90Model::readNoiseRel)),
            v -> new GstSt90Model(v.real("g-max"), v.integer("levels"), v.real("sigma"), v.real("drift"),
                    v.real("read-noise")),
            "sigma", "drift", "read-noise");

    /** Exact devices, {@link IdealModel}. */
    public static final DeviceType<IdealModel> IDEAL = new DeviceType<>("ideal",
            "exact devices: no programming error, drift or read noise", IdealModel.class, List.of(
                    DeviceParameter.real("g-max", "µS", IdealModel.DEFAULT_G_MAX_US, 0, true, INF,
                            "nominal g_max used to map weights to conductances", IdealModel::gMaxMicroSiemens)),
            v -> new IdealModel(v.real("g-max")), null, null, null);

    /** Every model type, in the order of the help text. */
    public static final List<DeviceType<?>> TYPES = List.of(PCM, PCM_TABLE, HERMES, RRAM, GST_ST90, IDEAL);

    private static <M extends PcmDevice> List<DeviceParameter<M>> pcmParameters(DeviceParameter<M> first) {
        List<DeviceParameter<M>> p = new ArrayList<>();
        if (first != null) {
            p.add(first);
        }
        p.add(DeviceParameter.real("g-max", "µS", PcmModel.DEFAULT_G_MAX_US, 0, true, INF,
                "largest programmed conductance; sigma_prog scales with g-max/25", DeviceModel::gMaxMicroSiemens));
        p.add(DeviceParameter.real("prog-noise-scale", "1", 1, 0, false, INF,
                "factor on the programming noise sigma_prog, eq. (1); 0 = off", PcmDevice::progNoiseScale));
        p.add(DeviceParameter.real("drift-scale", "1", 1, 0, false, INF,
                "factor on the drift exponent nu, eq. (2); 0 = no drift", PcmDevice::driftScale));
        p.add(DeviceParameter.real("read-noise-scale", "1", 1, 0, false, INF,
                "factor on the 1/f read noise sigma_read, eq. (4); 0 = off", PcmDevice::readNoiseScale));
        return p;
    }

    private static RramModel rram(DeviceType.Values v) {
        double gMin = v.real("g-min");
        double gMax = v.real("g-max");
        if (!(gMax > gMin)) {
            throw new ConfigException("g-min must be < g-max, got g-min=" + DeviceParameter.format(gMin)
                    + ", g-max=" + DeviceParameter.format(gMax));
        }
        double s0 = v.real("stuck-min");
        double s1 = v.real("stuck-max");
        if (s0 + s1 > 1) {
            throw new ConfigException("stuck-min + stuck-max must be <= 1, got stuck-min=" + DeviceParameter.format(s0)
                    + ", stuck-max=" + DeviceParameter.format(s1));
        }
        return new RramModel(gMin, gMax, v.integer("bits"), v.real("sigma"), s0, s1, v.real("read-noise"));
    }

    /**
     * The separate options {@code --g-max}, {@code --prog-noise-scale}, {@code --drift-scale} and
     * {@code --read-noise-scale} (experiment files: {@code deviceOptions}), applied on top of a spec:
     * {@code --g-max X} sets the key {@code g-max}; a scale factor f ≠ 1 sets the key it acts on (pcm, pcm-table:
     * prog-noise-scale, drift-scale, read-noise-scale; rram: sigma and read-noise) to f × its default, and has
     * no effect on a model without that key (ideal; rram's drift). Setting a key both ways is an error.
     *
     * @param gMaxMicroSiemens g_max in µS, or NaN to keep the model's default
     * @param progNoiseScale factor on the programming noise (PCM σ_prog, RRAM log-normal σ), ≥ 0
     * @param driftScale factor on the drift exponent ν (no effect on drift-free models), ≥ 0
     * @param readNoiseScale factor on the read noise, ≥ 0
     */
    public record Options(double gMaxMicroSiemens, double progNoiseScale, double driftScale,
            double readNoiseScale) {

        /**
         * Validates; a bad value gives a {@code ConfigException} naming the option.
         *
         * @param gMaxMicroSiemens g_max in µS, or NaN to keep the model's default
         * @param progNoiseScale factor on the programming noise, ≥ 0
         * @param driftScale factor on the drift exponent ν, ≥ 0
         * @param readNoiseScale factor on the read noise, ≥ 0
         */
        public Options {
            if (!Double.isNaN(gMaxMicroSiemens)) {
                Check.positive("--g-max", gMaxMicroSiemens);
            }
            Check.nonNegative("--prog-noise-scale", progNoiseScale);
            Check.nonNegative("--drift-scale", driftScale);
            Check.nonNegative("--read-noise-scale", readNoiseScale);
        }

        /**
         * No overrides: default g_max, all scales 1.
         *
         * @return g_max NaN, every scale 1
         */
        public static Options defaults() {
            return new Options(Double.NaN, 1, 1, 1);
        }

        /**
         * {@code spec} with these overrides applied (see the class documentation).
         *
         * @param spec the spec from --device
         * @return a spec with the overridden keys set
         * @throws ConfigException when an override and the spec set the same key
         */
        public DeviceSpec applyTo(DeviceSpec spec) {
            DeviceSpec s = spec;
            if (!Double.isNaN(gMaxMicroSiemens)) {
                conflict(s, "--g-max", gMaxMicroSiemens, "g-max");
                s = s.with("g-max", gMaxMicroSiemens);
            }
            s = scale(s, "--prog-noise-scale", progNoiseScale, s.type().progNoiseKey());
            s = scale(s, "--drift-scale", driftScale, s.type().driftKey());
            return scale(s, "--read-noise-scale", readNoiseScale, s.type().readNoiseKey());
        }

        private static DeviceSpec scale(DeviceSpec s, String option, double factor, String key) {
            if (key == null || factor == 1) {
                return s;
            }
            conflict(s, option, factor, key);
            return s.with(key, factor * (Double) s.type().parameter(key).defaultValue());
        }

        private static void conflict(DeviceSpec s, String option, double value, String key) {
            if (s.has(key)) {
                throw new ConfigException(option + " " + DeviceParameter.format(value) + " conflicts with " + key
                        + "=" + DeviceParameter.format(s.given().get(key)) + " in the device spec " + s
                        + "; set " + key + " in one place only");
            }
        }
    }

    /**
     * Builds a model from a spec, e.g. "pcm", "rram:sigma=0.3,bits=2", "pcm-table:FILE.csv" (see {@link DeviceSpec}).
     *
     * @param spec the --device value
     * @return the model
     * @throws ConfigException for an unknown name, key or invalid value (one line naming {@code --device})
     * @throws dev.aimc.util.DataFormatException for an unreadable or invalid table file
     */
    public static DeviceModel parse(String spec) {
        return DeviceSpec.parse(spec).build();
    }

    /**
     * Like {@link #parse(String)}, with the separate options {@code o} applied on top ({@link Options}).
     *
     * @param spec the --device value
     * @param o the separate options (--g-max and the scales); {@link Options#defaults()} for none
     * @return the model
     */
    public static DeviceModel parse(String spec, Options o) {
        return o.applyTo(DeviceSpec.parse(spec)).build();
    }

    /**
     * The type of a model built by this class, or null for another implementation.
     *
     * @param model a device model
     * @return its type (PCM, PCM_TABLE, RRAM, GST_ST90, IDEAL), or null
     */
    public static DeviceType<?> typeOf(DeviceModel model) {
        for (DeviceType<?> t : TYPES) {
            if (t.modelClass().isInstance(model)) {
                return t;
            }
        }
        return null;
    }

    /** Longest help line, so that a terminal of 80 columns (picocli's default width) does not wrap it. */
    public static final int HELP_WIDTH = 78;

    /**
     * The help text: every model with every key, unit, default, valid range and meaning, generated from the
     * tables, then examples and how the separate options combine with a spec. Lines of at most
     * {@link #HELP_WIDTH} characters.
     *
     * @return the lines of the text, without line separators
     */
    public static List<String> help() {
        List<String> out = new ArrayList<>();
        out.add("Device models: --device NAME[:KEY=VALUE,...], e.g. rram:sigma=0.3,bits=2.");
        out.add("Experiment files take the same keys in evaluation.device, as a string");
        out.add("\"rram:sigma=0.3,bits=2\" or a map {name: rram, sigma: 0.3, bits: 2}.");
        out.add("Unit 1: dimensionless. Below each key: what it sets.");
        for (DeviceType<?> t : TYPES) {
            out.add("");
            out.add(t.name() + ": " + t.summary());
            out.add(helpRow("KEY", "UNIT", "DEFAULT", "RANGE"));
            for (DeviceParameter<?> p : t.parameters()) {
                out.add(helpRow(p.key(), p.unit(), p.defaultText(), p.range()));
                out.add("      " + p.description());
            }
        }
        out.add("");
        out.add("Examples: rram:sigma=0.3,bits=2,g-min=10,g-max=100   ideal:g-max=25");
        out.add("  pcm:g-max=25,drift-scale=0   pcm-table:nu.csv   gst-st90:levels=4,drift=0");
        out.add("  pcm-table:file=nu.csv,g-max=25");
        out.add("A table path holding ',' or '=' must be given alone: pcm-table:PATH.");
        out.add("--g-max X sets g-max. --prog-noise-scale, --drift-scale, --read-noise-scale f");
        out.add("(f != 1) set the key they act on to f times its default:");
        for (String line : keysActedOn()) {
            out.add("  " + line);
        }
        out.add("Giving a key both in --device and by such an option is an error.");
        return out;
    }

    /**
     * One row of a model's key table in {@link #help()}.
     *
     * @param key the key, e.g. "g-max"
     * @param unit the unit, e.g. "µS"
     * @param dflt the default as text
     * @param range the valid range as text
     * @return the row, columns padded to fixed widths
     */
    public static String helpRow(String key, String unit, String dflt, String range) {
        return String.format(Locale.ROOT, "  %-17s %-5s %-9s %s", key, unit, dflt, range);
    }

    /** Per model with such keys: "rram: sigma, read-noise", from the tables. */
    private static List<String> keysActedOn() {
        List<String> lines = new ArrayList<>();
        for (DeviceType<?> t : TYPES) {
            List<String> keys = new ArrayList<>();
            for (String k : new String[] {t.progNoiseKey(), t.driftKey(), t.readNoiseKey()}) {
                if (k != null) {
                    keys.add(k);
                }
            }
            if (!keys.isEmpty()) {
                lines.add(t.name() + ": " + String.join(", ", keys));
            }
        }
        return lines;
    }
}
