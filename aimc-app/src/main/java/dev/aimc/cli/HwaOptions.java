package dev.aimc.cli;

import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.OptionLabels;
import picocli.CommandLine.Option;

/**
 * Hardware-aware training options, to be mixed into a command with {@code @CommandLine.Mixin HwaOptions hwa;}.
 * {@link #enabled()} tells whether {@code --hwa} was given; {@link #toConfig()} builds the validated
 * {@link HwaConfig} (bad values are ConfigExceptions naming the option).
 */
public final class HwaOptions {

    @Option(names = "--hwa", description = "Hardware-aware training: weight noise, clipping, DAC/ADC in the forward.")
    boolean hwa;

    @Option(names = "--noise-kind", paramLabel = "KIND",
            description = "Weight noise: additive (η·max|W|), multiplicative (η·|w|), pcm (η × PCM σ_prog), "
                    + "gst-st90 (the gst-st90 device's levels and η × its spread), none. "
                    + "Default: additive.")
    String noiseKind = "additive";

    @Option(names = "--noise-eta", paramLabel = "η",
            description = "Noise factor. Default: 0.038 (Joshi 2020) for additive/multiplicative, 1 for pcm and gst-st90.")
    Double noiseEta;

    @Option(names = "--clip-sigma", paramLabel = "α",
            description = "Clip weights to ±α·σ_W of each layer after every step. Default: 2.5 unless --clip-value.")
    Double clipSigma;

    @Option(names = "--clip-value", paramLabel = "C", description = "Clip weights to ±C after every step.")
    Double clipValue;

    @Option(names = "--no-clip", description = "No weight clipping.")
    boolean noClip;

    @Option(names = "--hwa-dac-bits", paramLabel = "BITS", description = "Input DAC bits, 0 = off (default).")
    int dacBits;

    @Option(names = "--hwa-adc-bits", paramLabel = "BITS", description = "Output ADC bits, 0 = off (default).")
    int adcBits;

    @Option(names = "--hwa-input-range", paramLabel = "R",
            description = "DAC range: clips x/α (abs-max scaling) or x (none) to ±R. Default: 1.")
    double inputRange = HwaConfig.DEFAULT_INPUT_RANGE;

    @Option(names = "--hwa-input-scaling", paramLabel = "MODE",
            description = "DAC input scaling: abs-max (quantize x/max|x| per input vector, as the tile does) or "
                    + "none (fixed range). Default: abs-max.")
    String inputScaling = OptionLabels.label(TileConfig.InputScaling.ABS_MAX);

    @Option(names = "--hwa-output-range", paramLabel = "R", description = "ADC range in normalized output units, as "
            + "the inference tile's --adc-range: each tile's partial sums saturate at ±R. Default: 12.")
    double outputRange = HwaConfig.DEFAULT_OUTPUT_RANGE;

    @Option(names = "--hwa-out-noise", paramLabel = "STD",
            description = "Output noise std in normalized output units (aihwkit's out_noise), as the inference "
                    + "tile's --out-noise. Default: 0.")
    double outNoise;

    @Option(names = "--hwa-learn-out-scale", description = "Learn a per-output scale (initialised to 1).")
    boolean learnOutScale;

    @Option(names = "--hwa-digital-first-last",
            description = "Keep the first and the last Linear/Conv2d layer digital (no HWA).")
    boolean digitalFirstLast;

    /**
     * True when {@code --hwa} was given.
     *
     * @return whether hardware-aware training is on
     */
    public boolean enabled() {
        return hwa;
    }

    /**
     * True when {@code --hwa-digital-first-last} was given.
     *
     * @return whether the first and last layer stay digital
     */
    public boolean keepFirstLastDigital() {
        return digitalFirstLast;
    }

    /**
     * The validated configuration described by the options (whether or not {@code --hwa} was given).
     *
     * @return the HWA settings
     */
    public HwaConfig toConfig() {
        HwaConfig.NoiseKind kind = HwaConfig.NoiseKind.parse("noise-kind", noiseKind);
        double eta = noiseEta != null ? noiseEta : HwaConfig.defaultEta(kind);
        int clipOptions = (clipSigma != null ? 1 : 0) + (clipValue != null ? 1 : 0) + (noClip ? 1 : 0);
        if (clipOptions > 1) {
            throw new ConfigException("clip-sigma, clip-value and no-clip are mutually exclusive, got "
                    + clipOptions + " of them");
        }
        HwaConfig.ClipMode mode;
        double clip;
        if (noClip) {
            mode = HwaConfig.ClipMode.NONE;
            clip = 0;
        } else if (clipValue != null) {
            mode = HwaConfig.ClipMode.VALUE;
            clip = clipValue;
        } else {
            mode = HwaConfig.ClipMode.SIGMA;
            clip = clipSigma != null ? clipSigma : HwaConfig.DEFAULT_CLIP_SIGMA;
        }
        return new HwaConfig(kind, eta, mode, clip, dacBits, adcBits, inputRange, outputRange, outNoise,
                learnOutScale, OptionLabels.parse("hwa-input-scaling", TileConfig.InputScaling.class, inputScaling));
    }
}
