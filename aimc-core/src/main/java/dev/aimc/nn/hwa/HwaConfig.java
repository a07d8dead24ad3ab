package dev.aimc.nn.hwa;

import dev.aimc.tile.Converters;
import dev.aimc.tile.TileConfig.InputScaling;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.OptionLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of hardware-aware (HWA) training; validated on construction, each bad value reported as a
 * {@link ConfigException} naming its CLI option.
 *
 * @param noiseKind weight-noise kind ({@code --noise-kind})
 * @param noiseEta η: std factor of the additive (η·max|W|) and multiplicative (η·|w|) noise, the factor on
 *     σ_prog for "pcm", on the spread σ for "gst-st90" ({@code --noise-eta}), ≥ 0
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
    /** Default DAC range R (inputs in tile units). */
    public static final double DEFAULT_INPUT_RANGE = 1.0;
    /** The inference tile's default ADC range ({@code TileConfig}), normalized output units. */
    public static final double DEFAULT_OUTPUT_RANGE = 12.0;

    /** Weight-noise kinds. */
    public enum NoiseKind {
        /** No weight noise. */
        NONE,
        /** Gaussian with std η·max|W| of the layer (Joshi et al. 2020). */
        ADDITIVE,
        /** Gaussian with std η·|w| per weight. */
        MULTIPLICATIVE,
        /** Device-shaped: η·σ_prog(g) of the PCM model's eq. (1), mapped to weight units. */
        PCM,
        /**
         * Device-sampled: the programming of {@link dev.aimc.device.GstSt90Model} (its default levels, spread η·σ),
         * program(g) − g mapped to weight units.
         */
        GST_ST90;

        /**
         * Lower-case name as used on the command line and in metadata.
         *
         * @return "none", "additive", "multiplicative", "pcm" or "gst-st90"
         */
        public String label() {
            return OptionLabels.label(this);
        }

        /**
         * Parses a label; a bad one is a ConfigException naming {@code option}.
         *
         * @param option the option named in the error, e.g. "--noise-kind"
         * @param s the label (any case)
         * @return the kind
         */
        public static NoiseKind parse(String option, String s) {
            return OptionLabels.parse(option, NoiseKind.class, s);
        }
    }

    /** Weight-clipping modes. */
    public enum ClipMode {
        /** No clipping. */
        NONE,
        /** Clip to ±α·σ_W, σ_W the standard deviation of the layer's weights. */
        SIGMA,
        /** Clip to ±c, a fixed bound in weight units. */
        VALUE;

        /**
         * Lower-case name as used on the command line and in metadata.
         *
         * @return "none", "sigma" or "value"
         */
        public String label() {
            return OptionLabels.label(this);
        }

        /**
         * Parses a label (any case).
         *
         * @param option the option named in the error, e.g. "--clip-mode"
         * @param s the label
         * @return the mode
         * @throws ConfigException naming {@code option} for any other label
         */
        public static ClipMode parse(String option, String s) {
            return OptionLabels.parse(option, ClipMode.class, s);
        }
    }

    /**
     * Validates every field.
     *
     * @param noiseKind weight-noise kind ({@code --noise-kind})
     * @param noiseEta η, the noise std factor ({@code --noise-eta}), ≥ 0
     * @param clipMode weight clipping after each optimizer step
     * @param clipValue α of ±α·σ_W (SIGMA) or c of ±c (VALUE), &gt; 0; ignored for NONE
     * @param dacBits input DAC resolution, 0 (off) or 2 … 24
     * @param adcBits output ADC resolution, 0 (off) or 2 … 24
     * @param inputRange DAC range R, &gt; 0
     * @param outputRange ADC range in normalized output units, &gt; 0
     * @param outputNoise std of the additive output noise in normalized output units, ≥ 0
     * @param learnedOutScale whether a trainable per-output scale multiplies the analog product
     * @param inputScaling how the DAC scales each input vector (not null)
     */
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
        Converters.checkBits("hwa-dac-bits", dacBits);
        Converters.checkBits("hwa-adc-bits", adcBits);
        Check.positive("hwa-input-range", inputRange);
        Check.positive("hwa-output-range", outputRange);
        Check.nonNegative("hwa-out-noise", outputNoise);
        if (inputScaling == null) {
            throw new ConfigException("hwa-input-scaling must be " + OptionLabels.labels(InputScaling.class) + ", got null");
        }
    }

    /**
     * The converters of the training forward, in tile units: the same {@link Converters} as the inference tile, so
     * the DAC, output noise and ADC act on each tile's normalized partial sums (issue 12 item 2; before 2026-12-06
     * they acted on the raw layer outputs, which differ from the tile's units by a factor per layer).
     *
     * @return DAC, ADC, output noise and input scaling as the tile's converters use them (bits 0: converter off)
     */
    public Converters.Settings converters() {
        return new Converters.Settings(dacBits, inputRange, inputScaling == InputScaling.ABS_MAX
                ? TileConfig.InputScaling.ABS_MAX : TileConfig.InputScaling.NONE, adcBits, outputRange, outputNoise);
    }

    /**
     * The default η for a noise kind: 0.038 (Joshi) for additive/multiplicative, 1 (the device as modelled) for pcm
     * and gst-st90.
     *
     * @param kind the noise kind
     * @return η for that kind; 0 for NONE
     */
    public static double defaultEta(NoiseKind kind) {
        return kind == NoiseKind.PCM || kind == NoiseKind.GST_ST90 ? 1.0 : kind == NoiseKind.NONE ? 0.0 : JOSHI_ETA;
    }

    /**
     * Joshi et al. 2020 recipe: additive noise η = 3.8 %, clipping at ±2.5 σ_W, no converters; ABS_MAX input
     * scaling (used once a DAC is configured), as the tile's default.
     *
     * @return the defaults
     */
    public static HwaConfig defaults() {
        return new HwaConfig(NoiseKind.ADDITIVE, JOSHI_ETA, ClipMode.SIGMA, DEFAULT_CLIP_SIGMA, 0, 0,
                DEFAULT_INPUT_RANGE, DEFAULT_OUTPUT_RANGE, 0.0, false, InputScaling.ABS_MAX);
    }

    /**
     * This configuration with another weight noise.
     *
     * @param kind the noise kind
     * @param eta its std factor η, ≥ 0
     * @return a new, validated configuration
     */
    public HwaConfig withNoise(NoiseKind kind, double eta) {
        return new HwaConfig(kind, eta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    /**
     * This configuration with another weight clipping.
     *
     * @param mode the clipping mode
     * @param value α (SIGMA) or c (VALUE), &gt; 0
     * @return a new, validated configuration
     */
    public HwaConfig withClip(ClipMode mode, double value) {
        return new HwaConfig(noiseKind, noiseEta, mode, value, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    /**
     * This configuration with another input DAC.
     *
     * @param bits resolution, 0 (off) or 2 … 24
     * @param range DAC range R, &gt; 0
     * @return a new, validated configuration
     */
    public HwaConfig withDac(int bits, double range) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, bits, adcBits, range, outputRange,
                outputNoise, learnedOutScale, inputScaling);
    }

    /**
     * This configuration with another output ADC.
     *
     * @param bits resolution, 0 (off) or 2 … 24
     * @param range ADC range in normalized output units, &gt; 0
     * @return a new, validated configuration
     */
    public HwaConfig withAdc(int bits, double range) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, bits, inputRange, range,
                outputNoise, learnedOutScale, inputScaling);
    }

    /**
     * This configuration with another output noise.
     *
     * @param relStd std in normalized output units, ≥ 0
     * @return a new, validated configuration
     */
    public HwaConfig withOutputNoise(double relStd) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                relStd, learnedOutScale, inputScaling);
    }

    /**
     * This configuration with or without the learned per-output scale.
     *
     * @param on whether the scale is trained
     * @return a new configuration
     */
    public HwaConfig withLearnedOutScale(boolean on) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, on, inputScaling);
    }

    /**
     * This configuration with another DAC input scaling.
     *
     * @param scaling NONE or ABS_MAX
     * @return a new configuration
     */
    public HwaConfig withInputScaling(InputScaling scaling) {
        return new HwaConfig(noiseKind, noiseEta, clipMode, clipValue, dacBits, adcBits, inputRange, outputRange,
                outputNoise, learnedOutScale, scaling);
    }

    /**
     * Metadata form (JSON-friendly: strings, numbers, booleans), keys as in {@link #fromMap}.
     *
     * @return an insertion-ordered map
     */
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
        m.put("inputScaling", OptionLabels.label(inputScaling));
        m.put("converterUnits", "tile"); // ranges and noise in the tile's normalized units (since 2026-12-06)
        return m;
    }

    /**
     * Reads {@link #toMap()}'s form (e.g. parsed from checkpoint JSON); missing keys take {@link #defaults()}'s
     * values, unknown keys are ignored, a value of the wrong type is a ConfigException naming the key.
     * Exception: a missing "inputScaling" means {@link InputScaling#NONE}, not the ABS_MAX default, because
     * checkpoints written before the key existed were trained with the fixed-range (unscaled) DAC; a resumed
     * run of such a checkpoint keeps that behaviour.
     *
     * @param m the map, e.g. a checkpoint's {@code hwa} entry
     * @return the validated configuration
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
                OptionLabels.parse("inputScaling", InputScaling.class, str(m, "inputScaling", OptionLabels.label(InputScaling.NONE))));
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
