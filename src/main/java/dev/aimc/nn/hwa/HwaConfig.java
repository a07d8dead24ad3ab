package dev.aimc.nn.hwa;

import dev.aimc.tile.Converters;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings of hardware-aware (HWA) training; validated on construction, each bad value reported as a
 * {@link ConfigException} naming its CLI option.
 *
 * @param noiseKind weight-noise kind ({@code --noise-kind})
 * @param noiseEta η: std factor of the additive (η·max|W|) and multiplicative (η·|w|) noise, the factor on
 *     σ_prog for "pcm" ({@code --noise-eta}), ≥ 0
 * @param clipMode weight clipping after each optimizer step
 * @param clipValue α of ±α·σ_W for {@link ClipMode#SIGMA} ({@code --clip-sigma}), c of ±c for
 *     {@link ClipMode#VALUE} ({@code --clip-value}); &gt; 0, ignored for {@link ClipMode#NONE}
 * @param dacBits input DAC resolution, 0 (off) or 2 … 24 ({@code --hwa-dac-bits})
 * @param adcBits output ADC resolution, 0 (off) or 2 … 24 ({@code --hwa-adc-bits})
 * @param inputRange DAC range R ({@code --hwa-input-range}): with {@link InputScaling#NONE} inputs are clipped to
 *     ±R in input units; with {@link InputScaling#ABS_MAX} the scaled input x/α is clipped to ±R (no clipping
 *     for R ≥ 1)
 * @param outputRange ADC range in normalized output units, the inference tile's unit (aihwkit {@code out_bound}):
 *     each tile's partial sums saturate at ±outputRange before the digital scaling ({@code --hwa-output-range})
 * @param outputNoise std of the additive output noise in normalized output units, aihwkit's {@code out_noise}
 *     ({@code --hwa-out-noise}), ≥ 0
 * @param learnedOutScale a trainable per-output scale ("outScale", initialised to 1) multiplies the
 *     analog product ({@code --hwa-learn-out-scale})
 * @param inputScaling how the DAC scales each input vector before quantizing ({@code --hwa-input-scaling});
 *     {@link InputScaling#ABS_MAX} by default, as the inference tile ({@link dev.aimc.tile.TileConfig}) does
 */
public record HwaConfig(NoiseKind noiseKind, double noiseEta, ClipMode clipMode, double clipValue, int dacBits,
        int adcBits, double inputRange, double outputRange, double outputNoise, boolean learnedOutScale,
        InputScaling inputScaling) {

    /** Joshi et al. 2020: additive noise std 3.8 % of max|W|. */
    public static final double JOSHI_ETA = 0.038;
    /** Default clipping: ±2.5 σ_W. */
    public static final double DEFAULT_CLIP_SIGMA = 2.5;
    public static final double DEFAULT_INPUT_RANGE = 1.0;
    /** The inference tile's default ADC range ({@code TileConfig}), normalized output units. */
    public static final double DEFAULT_OUTPUT_RANGE = 12.0;

    /** Weight-noise kinds. */
    public enum NoiseKind {
        NONE, ADDITIVE, MULTIPLICATIVE, PCM;

        /** Lower-case name as used on the command line and in metadata. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a label; a bad one is a ConfigException naming {@code option}. */
        public static NoiseKind parse(String option, String s) {
            for (NoiseKind k : values()) {
                if (k.label().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new ConfigException(option + " must be one of " + labels(values()) + ", got " + s);
        }
    }

    /** Weight-clipping modes. */
    public enum ClipMode {
        NONE, SIGMA, VALUE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ClipMode parse(String option, String s) {
            for (ClipMode k : values()) {
                if (k.label().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new ConfigException(option + " must be one of " + labels(values()) + ", got " + s);
        }
    }

    /**
     * Input scaling of the DAC in the training forward (only with dacBits &gt; 0), mirroring
     * {@link dev.aimc.tile.TileConfig.InputScaling}: NONE quantizes x itself (clipped to ±inputRange, the
     * behaviour before this setting existed); ABS_MAX quantizes x/α with α = max|x| of each input vector and
     * multiplies back by α, so large inputs are never clipped. See {@link dev.aimc.tile.Converters#dac}.
     */
    public enum InputScaling {
        NONE, ABS_MAX;

        /** Lower-case CLI/metadata label: "none", "abs-max". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses a label ("abs-max"; "abs_max" is accepted too); a bad one is a ConfigException naming {@code option}. */
        public static InputScaling parse(String option, String s) {
            String t = s == null ? null : s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (InputScaling k : values()) {
                if (k.label().equals(t)) {
                    return k;
                }
            }
            throw new ConfigException(option + " must be one of none, abs-max, got " + s);
        }
    }

    private static String labels(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /** Validates every field. */
    public HwaConfig {
        if (noiseKind == null) {
            throw new ConfigException("noise-kind must be given, got null");
        }
        if (clipMode == null) {
            throw new ConfigException("clip mode must be given, got null");
        }
        Check.nonNegative("noise-eta", noiseEta);
        if (clipMode == ClipMode.SIGMA) {
            Check.positive("clip-sigma", clipValue);
        } else if (clipMode == ClipMode.VALUE) {
            Check.positive("clip-value", clipValue);
        }
        checkBits("hwa-dac-bits", dacBits);
        checkBits("hwa-adc-bits", adcBits);
        Check.positive("hwa-input-range", inputRange);
        Check.positive("hwa-output-range", outputRange);
        Check.nonNegative("hwa-out-noise", outputNoise);
        if (inputScaling == null) {
            throw new ConfigException("hwa-input-scaling must be one of none, abs-max, got null");
        }
    }

    private static void checkBits(String option, int bits) {
        Check.that(bits == 0 || (bits >= Converters.MIN_BITS && bits <= Converters.MAX_BITS), option,
                "must be 0 (off) or in [" + Converters.MIN_BITS + ", " + Converters.MAX_BITS + "]", bits);
    }

    /**
     * The converters of the training forward, in tile units: the same {@link Converters} as the inference tile, so
     * the DAC, output noise and ADC act on each tile's normalized partial sums (issue 12 item 2; before 2026-12-06
     * they acted on the raw layer outputs, which differ from the tile's units by a factor per layer).
     */
    public Converters.Settings converters() {
        return new Converters.Settings(dacBits, inputRange, inputScaling == InputScaling.ABS_MAX
                ? TileConfig.InputScaling.ABS_MAX : TileConfig.InputScaling.NONE, adcBits, outputRange, outputNoise);
    }

    /** The default η for a noise kind: 0.038 (Joshi) for additive/multiplicative, 1 (σ_prog as fitted) for pcm. */
    public static double defaultEta(NoiseKind kind) {
        return kind == NoiseKind.PCM ? 1.0 : kind == NoiseKind.NONE ? 0.0 : JOSHI_ETA;
    }

    /**
     * Joshi et al. 2020 recipe: additive noise η = 3.8 %, clipping at ±2.5 σ_W, no converters; ABS_MAX input
     * scaling (used once a DAC is configured), as the tile's default.
     */
    public static HwaConfig defaults() {
        return new HwaConfig(NoiseKind.ADDITIVE, JOSHI_ETA, ClipMode.SIGMA, DEFAULT_CLIP_SIGMA, 0, 0,
                DEFAULT_INPUT_RANGE, DEFAULT_OUTPUT_RANGE, 0.0, false, InputScaling.ABS_MAX);
    }

    public HwaConfig withNoise(NoiseKind kind, double eta) {
        return new HwaConfig(kind, eta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    public HwaConfig withClip(ClipMode mode, double value) {
        return new HwaConfig(noiseKind, noiseEta, mode, value, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    public HwaConfig withDac(int bits, double range) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, bits, adcBits, range, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    public HwaConfig withAdc(int bits, double range) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, bits, inputRange, range,
                outputNoise, learnedOutScale, inputScaling);
    }

    public HwaConfig withOutputNoise(double relStd) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                relStd, learnedOutScale, inputScaling);
    }

    public HwaConfig withLearnedOutScale(boolean on) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, on, inputScaling);
    }

    public HwaConfig withInputScaling(InputScaling scaling) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, scaling);
    }

    /** Metadata form (JSON-friendly: strings, numbers, booleans), keys as in {@link #fromMap}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("noiseKind", noiseKind.label());
        m.put("noiseEta", noiseEta);
        m.put("clipMode", clipMode.label());
        m.put("clipValue", clipValue);
        m.put("dacBits", dacBits);
        m.put("adcBits", adcBits);
        m.put("inputRange", inputRange);
        m.put("outputRange", outputRange);
        m.put("outputNoise", outputNoise);
        m.put("learnedOutScale", learnedOutScale);
        m.put("inputScaling", inputScaling.label());
        m.put("converterUnits", "tile"); // ranges and noise in the tile's normalized units (since 2026-12-06)
        return m;
    }

    /**
     * Reads {@link #toMap()}'s form (e.g. parsed from checkpoint JSON); missing keys take {@link #defaults()}'s
     * values, unknown keys are ignored, a value of the wrong type is a ConfigException naming the key.
     * Exception: a missing "inputScaling" means {@link InputScaling#NONE}, not the ABS_MAX default, because
     * checkpoints written before the key existed were trained with the fixed-range (unscaled) DAC; a resumed
     * run of such a checkpoint keeps that behaviour.
     */
    public static HwaConfig fromMap(Map<String, ?> m) {
        HwaConfig d = defaults();
        return new HwaConfig(
                NoiseKind.parse("noiseKind", str(m, "noiseKind", d.noiseKind.label())),
                num(m, "noiseEta", d.noiseEta),
                ClipMode.parse("clipMode", str(m, "clipMode", d.clipMode.label())),
                num(m, "clipValue", d.clipValue),
                integer(m, "dacBits", d.dacBits),
                integer(m, "adcBits", d.adcBits),
                num(m, "inputRange", d.inputRange),
                num(m, "outputRange", d.outputRange),
                num(m, "outputNoise", d.outputNoise),
                bool(m, "learnedOutScale", d.learnedOutScale),
                InputScaling.parse("inputScaling", str(m, "inputScaling", InputScaling.NONE.label())));
    }

    private static String str(Map<String, ?> m, String key, String dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        Check.that(v instanceof String, key, "must be a string", v);
        return (String) v;
    }

    private static double num(Map<String, ?> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        Check.that(v instanceof Number, key, "must be a number", v);
        return ((Number) v).doubleValue();
    }

    private static int integer(Map<String, ?> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        Check.that(v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue()),
                key, "must be an integer", v);
        return ((Number) v).intValue();
    }

    private static boolean bool(Map<String, ?> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        Check.that(v instanceof Boolean, key, "must be true or false", v);
        return (Boolean) v;
    }
}
