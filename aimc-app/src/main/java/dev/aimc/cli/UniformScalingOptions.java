package dev.aimc.cli;

import dev.aimc.nn.uniform.CellLevels;
import dev.aimc.nn.uniform.ConverterDesign;
import dev.aimc.nn.uniform.UniformTraining;
import picocli.CommandLine.Option;

/**
 * Options of quantization-aware training with uniform scaling (one weight quantizer, DAC and ADC for every layer) or
 * per-layer tuned converters, mixed into {@code aimc train}.
 */
public final class UniformScalingOptions {

    @Option(names = "--uniform-scaling", description = "Quantization-aware training on one analog design for every "
            + "layer: weights on the values of b-bit cells, one DAC and one ADC at fixed ranges, straight-through "
            + "gradients (fully connected layers and 2-D convolutions, a convolution as its unrolled matrix "
            + "[out, in·k²]). Not with --hwa.")
    boolean enabled;

    @Option(names = "--converter-design", paramLabel = "DESIGN", description = "uniform (one design for all layers) "
            + "or per-layer (each layer's ranges calibrated on that layer, same resolutions). Default: uniform.")
    String design = ConverterDesign.UNIFORM.label();

    @Option(names = "--cell-bits", paramLabel = "B", description = "Bits per cell, 2^B levels per cell (1 … 8). "
            + "Default: 2.")
    int cellBits = 2;

    @Option(names = "--weight-polarity", paramLabel = "P", description = "bipolar (differential pair of cells: "
            + "2^(B+1) − 1 weight values), positive or negative (one cell: 2^B values). Default: bipolar.")
    String polarity = CellLevels.Polarity.BIPOLAR.label();

    @Option(names = "--tile-signs", paramLabel = "PATH=SIGNS", description = "Sign of every 512 × 512 tile of a "
            + "layer, repeatable: + (weights ≥ 0, one cell per weight), - (≤ 0, one cell, sign applied digitally) or "
            + "0 (bipolar pair) per column-tile, row-tiles separated by '/', e.g. --tile-signs 1=+ --tile-signs 5=0; "
            + "a convolution's row-tiles hold whole input channels (⌊512/k²⌋ of them). "
            + "Needs --weight-polarity bipolar; evaluated on per-tile-sign tiles.")
    java.util.Map<String, String> tileSigns;

    @Option(names = "--uniform-dac-bits", paramLabel = "BITS", description = "DAC resolution, 0 = off. Default: 8.")
    int dacBits = 8;

    @Option(names = "--uniform-adc-bits", paramLabel = "BITS", description = "ADC resolution, 0 = off. Default: 8.")
    int adcBits = 8;

    @Option(names = "--uniform-weight-range", paramLabel = "W", description = "Weight of the largest cell level "
            + "(uniform design). Default: max|w| over all layers before training.")
    Double weightRange;

    @Option(names = "--uniform-input-range", paramLabel = "A", description = "DAC clip range of every layer's "
            + "inputs (uniform design). Default: max|x| over all layers on 1,024 training samples before training.")
    Double inputRange;

    @Option(names = "--uniform-adc-range", paramLabel = "R", description = "ADC full scale, in input units (tile "
            + "output Σx·w/W; uniform design). Default: max|x·wᵀ|/W over all layers on the calibration samples.")
    Double outputRange;

    @Option(names = "--uniform-out-noise", paramLabel = "STD", description = "Output noise std before the ADC, in "
            + "its units. Default: 0.")
    double outNoise;

    /**
     * Whether {@code --uniform-scaling} was given.
     *
     * @return true when uniform-scaling training is on
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The validated options (bad values are ConfigExceptions naming the option).
     *
     * @return the options of {@link UniformTraining}
     */
    public UniformTraining.Options toOptions() {
        return new UniformTraining.Options(ConverterDesign.parse("--converter-design", design), cellBits,
                CellLevels.Polarity.parse("--weight-polarity", polarity), dacBits, adcBits, weightRange, inputRange,
                outputRange, outNoise, tileSigns);
    }
}
