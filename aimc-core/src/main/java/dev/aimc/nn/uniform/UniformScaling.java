package dev.aimc.nn.uniform;

import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.tile.Converters;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analog design of a layer under uniform scaling: its weight quantizer (the values of its cells, range W) and
 * its converters, with fixed ranges: the DAC clips the layer's inputs to ±A (A = {@code converters.inputRange()}, in
 * input units, no per-vector scaling) and quantizes them; each tile's output, Σ x·w/W in input units, saturates at
 * ±R ({@code converters.outputRange()}) and is quantized by the ADC; the digital periphery multiplies by W. A
 * network is uniformly scaled when every layer has the same {@code UniformScaling} (one block design reused by
 * every layer, the paper's "uniform scaling"); {@link ConverterDesign#PER_LAYER} gives each layer its own.
 *
 * @param weights the weight quantizer (cell bits, polarity, weight range W)
 * @param converters DAC (bits, range A), ADC (bits, range R) and output noise, in the units above; input scaling
 *     must be {@link TileConfig.InputScaling#NONE} (fixed ranges)
 */
public record UniformScaling(CellLevels weights, Converters.Settings converters) {

    /**
     * Validates.
     *
     * @param weights the weight quantizer (not null)
     * @param converters the converters (not null), input scaling NONE
     */
    public UniformScaling {
        if (weights == null || converters == null) {
            throw new ConfigException("uniform scaling needs a weight quantizer and converters, got null");
        }
        Check.that(converters.inputScaling() == TileConfig.InputScaling.NONE, "input-scaling",
                "must be none under uniform scaling (one fixed DAC range for all inputs)", converters.inputScaling());
    }

    /**
     * The design with every range given.
     *
     * @param cellBits bits per cell b (1 … 8)
     * @param polarity which signs the weights may take
     * @param weightRange W, weight units, &gt; 0
     * @param dacBits DAC resolution, 0 (off) or 2 … 24
     * @param inputRange A, the activation clip range of the DAC in input units, &gt; 0
     * @param adcBits ADC resolution, 0 (off) or 2 … 24
     * @param outputRange R, the ADC full scale in input units (tile output Σ x·w/W), &gt; 0
     * @param outputNoise std of the output noise in the ADC's units, ≥ 0
     * @return the validated design
     */
    public static UniformScaling of(int cellBits, CellLevels.Polarity polarity, double weightRange, int dacBits,
            double inputRange, int adcBits, double outputRange, double outputNoise) {
        return new UniformScaling(new CellLevels(cellBits, polarity, weightRange), new Converters.Settings(dacBits,
                inputRange, TileConfig.InputScaling.NONE, adcBits, outputRange, outputNoise));
    }

    /**
     * The hardware-aware settings a uniform layer trains with: no weight noise, latent weights clipped to ±W after
     * every step (so they stay where the quantizer's gradient is non-zero), these converters, no per-vector input
     * scaling.
     *
     * @return the settings of the layer's {@link dev.aimc.nn.hwa.HwaLinear} base
     */
    public HwaConfig hwaConfig() {
        Converters.Settings c = converters;
        return new HwaConfig(HwaConfig.NoiseKind.NONE, 0, HwaConfig.ClipMode.VALUE, weights.weightRange(),
                c.dacBits(), c.adcBits(), c.inputRange(), c.outputRange(), c.outputNoise(), false,
                TileConfig.InputScaling.NONE);
    }

    /**
     * The crossbar tiles that realise this design at inference ({@code aimc evaluate}): the tile size the layer
     * trained on ({@link TileConfig#defaults()}, 512 × 512), no per-vector input scaling, the DAC at
     * {@code dacBits} over ±A, the ADC at {@code adcBits} over ±R with this output noise, the weight scale fixed at W
     * on every tile ({@link TileConfig.WeightScaling#FIXED}), and a differential pair per weight (bipolar) or one
     * device per weight with the sign applied digitally ({@link TileConfig.Mapping#UNIPOLAR}: positive, negative).
     * With an ideal device and the weights on their cells' values the tiles compute what {@link UniformLinear}
     * computes.
     *
     * @return the tile configuration
     * @throws ConfigException when a converter is off (0 bits): the tiles always quantize, so the design cannot be
     *     put on them
     */
    public TileConfig tileConfig() {
        Converters.Settings c = converters;
        if (c.dacBits() == 0 || c.adcBits() == 0) {
            throw new ConfigException("uniform scaling: the design has the " + (c.dacBits() == 0 ? "DAC" : "ADC")
                    + " off (0 bits), which analog tiles cannot do; train with --uniform-dac-bits and"
                    + " --uniform-adc-bits of 2 or more to evaluate it on tiles");
        }
        TileConfig d = TileConfig.defaults();
        return TileConfig.builder().tileSize(d.maxRows(), d.maxCols()).inputScaling(TileConfig.InputScaling.NONE)
                .inputBits(c.dacBits()).inputRange(c.inputRange()).outputBits(c.adcBits())
                .outputRange(c.outputRange()).outputNoise(c.outputNoise())
                .boundManagement(TileConfig.BoundManagement.NONE).fixedWeightScale(weights.weightRange())
                .mapping(weights.polarity() == CellLevels.Polarity.BIPOLAR ? TileConfig.Mapping.DIFFERENTIAL
                        : TileConfig.Mapping.UNIPOLAR)
                .build();
    }

    /**
     * Checkpoint form: cellBits, polarity, weightRange, dacBits, inputRange, adcBits, outputRange, outputNoise.
     *
     * @return an insertion-ordered map of numbers and strings
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cellBits", weights.cellBits());
        m.put("polarity", weights.polarity().label());
        m.put("weightRange", weights.weightRange());
        m.put("dacBits", converters.dacBits());
        m.put("inputRange", converters.inputRange());
        m.put("adcBits", converters.adcBits());
        m.put("outputRange", converters.outputRange());
        m.put("outputNoise", converters.outputNoise());
        return m;
    }

    /**
     * Reads {@link #toMap()}'s form; every key is required.
     *
     * @param m the map, e.g. parsed from a checkpoint
     * @return the validated design
     * @throws ConfigException naming a missing key or a value of the wrong type
     */
    public static UniformScaling fromMap(Map<String, ?> m) {
        return of(integer(m, "cellBits"), CellLevels.Polarity.parse("polarity", str(m, "polarity")),
                num(m, "weightRange"), integer(m, "dacBits"), num(m, "inputRange"), integer(m, "adcBits"),
                num(m, "outputRange"), num(m, "outputNoise"));
    }

    private static Object value(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new ConfigException(key + " must be given in the uniform-scaling record, got none");
        }
        return v;
    }

    private static String str(Map<String, ?> m, String key) {
        Object v = value(m, key);
        Check.that(v instanceof String, key, "must be a string", v);
        return (String) v;
    }

    private static double num(Map<String, ?> m, String key) {
        Object v = value(m, key);
        Check.that(v instanceof Number, key, "must be a number", v);
        return ((Number) v).doubleValue();
    }

    private static int integer(Map<String, ?> m, String key) {
        Object v = value(m, key);
        Check.that(v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue()), key,
                "must be an integer", v);
        return ((Number) v).intValue();
    }
}
