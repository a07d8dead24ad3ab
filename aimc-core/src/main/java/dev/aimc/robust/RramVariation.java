package dev.aimc.robust;

import dev.aimc.device.RramModel;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The RRAM hardware setting of CorrectNet / CorrectNet+ (Eldebiky et al., DATE 2023; IEEE TCAD 2024), one design
 * of a network on crossbars that a Monte-Carlo evaluation, the regularizer's measurements and (later) a per-layer
 * quantization search share.
 *
 * <ul>
 *   <li><b>Variation (the paper's model).</b> Every device's conductance is g' = g·e^θ, θ ~ N(0, σ²), drawn
 *       independently per device, once per chip instance ({@link RramModel} with {@code logNormalSigma} σ). g_min
 *       is 0 so an unused device stays at 0 and a one-pair weight varies exactly as w' = w·e^θ; σ = 0 is exact (no
 *       draw at all).</li>
 *   <li><b>Cells (the journal version's limited levels).</b> A weight of {@code weightBits} bits (sign and
 *       magnitude) is stored on P = ⌈(weightBits − 1)/cellBits⌉ differential pairs of b-bit cells by bit slicing
 *       ({@link TileConfig.Filling#BIT_SLICED}): each device holds one base-2^b digit as one of its 2^b levels, and
 *       each device varies on its own. The weight is quantized per tile column (its max|w| is full scale).</li>
 *   <li><b>Periphery (ours where the paper gives no detail).</b> The slices of a weight are combined in analog
 *       (significance 2^(b·k)) before one ADC per column, as aimc's multi-pair mapping does; the ADC range
 *       {@code adcRange} is given in the units of a one-pair differential weight and multiplied by F = Σ 2^(b·k)
 *       internally, so the ADC's step relative to the signal does not depend on the slicing. ADC noise is the tile's
 *       output noise (Gaussian, std {@code adcNoise} in normalized output units, before the ADC). The ADC
 *       resolution can differ per layer; the DAC is the tile default (8 bits, per-vector abs-max scaling).</li>
 *   <li><b>Per layer.</b> Cell bits, weight bits and ADC bits can differ per layer ({@link LayerBits} by dotted
 *       path, {@link #withLayer}); a per-layer quantization search sets them there and evaluates with
 *       {@link #convert} and {@link ChipMonteCarlo}.</li>
 * </ul>
 *
 * @param sigma σ of θ = ln(g'/g), ≥ 0
 * @param bits cell, weight and ADC bits of every layer not in {@code layers}
 * @param adcRange ADC half-range in normalized one-pair output units, &gt; 0 (tile default 12)
 * @param adcNoise std of the ADC input noise in normalized one-pair output units, ≥ 0
 * @param layers cell, weight and ADC bits by dotted layer path (empty: every layer uses {@code bits}); copied
 *
 * @serial exclude
 */
public record RramVariation(double sigma, LayerBits bits, double adcRange, double adcNoise,
        Map<String, LayerBits> layers) implements java.io.Serializable {

    /** The largest cell resolution supported, bits. */
    public static final int MAX_CELL_BITS = 4;
    /** Conductance of a full-scale device, µS (only the ratio to g_min = 0 matters). */
    public static final double G_MAX_US = 100;

    /**
     * The resolutions of one layer.
     *
     * @param cellBits bits per cell b, in [1, 4]
     * @param weightBits bits per weight including the sign, in [2, 1 + min(24, 8·b)] (at most 8 slices)
     * @param adcBits ADC resolution, in [2, 24]
     *
     * @serial exclude
     */
    public record LayerBits(int cellBits, int weightBits, int adcBits)
            implements java.io.Serializable {
        /**
         * Validates ({@link dev.aimc.util.ConfigException} naming --cell-bits, --weight-bits or --adc-bits).
         *
         * @param cellBits bits per cell b, in [1, 4]
         * @param weightBits bits per weight including the sign
         * @param adcBits ADC resolution, in [2, 24]
         */
        public LayerBits {
            Check.range("--cell-bits", cellBits, 1, MAX_CELL_BITS);
            Check.range("--weight-bits", weightBits, 2, 1 + Math.min(24, 8 * cellBits));
            Check.range("--adc-bits", adcBits, 2, 24);
        }

        /**
         * Slices (differential cell pairs) per weight, P = ⌈(weightBits − 1)/cellBits⌉.
         *
         * @return P in [1, 8]
         */
        public int slices() {
            return (weightBits - 1 + cellBits - 1) / cellBits;
        }

        /**
         * The bits the slices actually store, 1 + b·P (≥ weightBits: the last slice may hold more than the weight
         * needs; the quantization uses all of them).
         *
         * @return stored bits per weight including the sign
         */
        public int storedBits() {
            return 1 + cellBits * slices();
        }

        /**
         * F = Σ_k 2^(b·k), the factor by which the analog sum of the slices exceeds a one-pair weight's current.
         *
         * @return F ≥ 1
         */
        public double significanceSum() {
            double f = 0;
            for (int k = 0; k < slices(); k++) {
                f += Math.pow(2, cellBits * k);
            }
            return f;
        }

        /**
         * A copy with another ADC resolution.
         *
         * @param b ADC bits
         * @return the copy
         */
        public LayerBits withAdcBits(int b) {
            return new LayerBits(cellBits, weightBits, b);
        }

        /**
         * "2-bit cells × 4 slices (9-bit weights), 8-bit ADC".
         *
         * @return the description
         */
        public String describe() {
            return cellBits + "-bit cells × " + slices() + " slices (" + storedBits() + "-bit weights), " + adcBits
                    + "-bit ADC";
        }
    }

    /**
     * Validates (a {@link dev.aimc.util.ConfigException} names the option) and copies the per-layer map.
     *
     * @param sigma σ of θ = ln(g'/g), ≥ 0
     * @param bits cell, weight and ADC bits of every layer not in {@code layers}
     * @param adcRange ADC half-range in normalized one-pair output units, &gt; 0
     * @param adcNoise std of the ADC input noise in normalized one-pair output units, ≥ 0
     * @param layers cell, weight and ADC bits by dotted layer path; copied
     */
    public RramVariation {
        Check.nonNegative("--sigma", sigma);
        if (bits == null) {
            throw new IllegalArgumentException("bits must be given");
        }
        Check.positive("--adc-range", adcRange);
        Check.nonNegative("--adc-noise", adcNoise);
        layers = layers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /**
     * The setting with 8-bit ADCs of range 12 and no ADC noise, the same resolutions in every layer.
     *
     * @param sigma σ of ln(g'/g), ≥ 0
     * @param cellBits bits per cell, in [1, 4]
     * @param weightBits bits per weight with sign
     * @return the setting
     */
    public static RramVariation of(double sigma, int cellBits, int weightBits) {
        return new RramVariation(sigma, new LayerBits(cellBits, weightBits, 8), 12, 0, Map.of());
    }

    /**
     * The same hardware at another variation level.
     *
     * @param s σ of ln(g'/g), ≥ 0
     * @return a copy with σ = s
     */
    public RramVariation withSigma(double s) {
        return new RramVariation(s, bits, adcRange, adcNoise, layers);
    }

    /**
     * The same hardware with the resolutions of one layer set.
     *
     * @param path the layer's dotted path (checked by {@link #convert})
     * @param b its resolutions
     * @return a copy
     */
    public RramVariation withLayer(String path, LayerBits b) {
        Map<String, LayerBits> m = new LinkedHashMap<>(layers);
        m.put(path, b);
        return new RramVariation(sigma, bits, adcRange, adcNoise, m);
    }

    /**
     * The same hardware with other ADC resolutions in some layers (their cell and weight bits as {@link #bits}).
     *
     * @param perLayer ADC bits by dotted layer path
     * @return a copy
     */
    public RramVariation withLayerAdcBits(Map<String, Integer> perLayer) {
        RramVariation v = this;
        for (Map.Entry<String, Integer> e : perLayer.entrySet()) {
            Check.range("--layer-adc-bits " + e.getKey(), e.getValue(), 2, 24);
            v = v.withLayer(e.getKey(), v.bitsOf(e.getKey()).withAdcBits(e.getValue()));
        }
        return v;
    }

    /**
     * The resolutions of a layer.
     *
     * @param path the layer's dotted path
     * @return its own, or {@link #bits}
     */
    public LayerBits bitsOf(String path) {
        return layers.getOrDefault(path, bits);
    }

    /**
     * The device model: continuous RRAM from g_min = 0 to {@link #G_MAX_US} with log-normal variation σ (the levels
     * come from the bit slicing of the tiles), no stuck-at faults, no read noise.
     *
     * @return the device model
     */
    public RramModel device() {
        return RramModel.builder().gMinMicroSiemens(0).gMaxMicroSiemens(G_MAX_US).bitsPerCell(0)
                .logNormalSigma(sigma).build();
    }

    /**
     * The tile configuration of a layer with resolutions {@code b}.
     *
     * @param b the layer's resolutions
     * @return tile defaults with bit-sliced cells, the ADC range and noise scaled by F
     */
    public TileConfig tileConfig(LayerBits b) {
        double f = b.significanceSum();
        return TileConfig.defaults().toBuilder().bitSliced(b.slices(), b.cellBits()).outputBits(b.adcBits())
                .outputRange(adcRange * f).outputNoise(adcNoise * f).build();
    }

    /**
     * The tile configuration of every layer without its own resolutions.
     *
     * @return {@link #tileConfig(LayerBits)} of {@link #bits}
     */
    public TileConfig tileConfig() {
        return tileConfig(bits);
    }

    /**
     * Converts every Linear/Conv2d layer of {@code net} (in place) to analog tiles of this setting, per-layer
     * resolutions applied.
     *
     * @param net the digital network, converted in place (closing the result restores it)
     * @return the analog network, not yet programmed
     * @throws dev.aimc.util.ConfigException when a per-layer path names no Linear/Conv2d layer
     */
    public AnalogNetwork convert(Module net) {
        Map<String, TileConfig> per = new LinkedHashMap<>();
        layers.forEach((p, b) -> per.put(p, tileConfig(b)));
        return AnalogConverter.convert(net, Set.of(), tileConfig(), per, device());
    }

    /**
     * The cost-model design ({@link dev.aimc.cost.LayerDesign}) of a layer with resolutions {@code b}, following the
     * simulated periphery (one definition): the P slices of a weight are P differential pairs combined in analog
     * before <b>one</b> ADC conversion per column and row-tile ({@link TileConfig.Mapping#MULTI} with P cell pairs,
     * 2P devices per weight), not P conversions shift-added digitally. In the cost model's terms the P pairs form
     * one multi-pair "cell" of 1 + b·P bits, so its weight bits and cell bits are both the stored bits and its
     * slice count S is 1; its DAC and ADC are the tile's (8-bit DAC, 8-bit inputs; the ADC bits capped at the cost
     * model's 16).
     *
     * @param b the layer's resolutions
     * @return the design the cost model counts
     */
    public dev.aimc.cost.LayerDesign costDesign(LayerBits b) {
        int stored = b.storedBits();
        return dev.aimc.cost.LayerDesign.of(tileConfig(b)).withPrecision(8, stored).withCellBits(stored)
                .withAdcBits(Math.min(16, b.adcBits()));
    }

    /**
     * The hardware cost of the network's layers on this setting's tiles, every layer with its own resolutions
     * ({@link #costDesign}).
     *
     * @param shapes the layer shapes (names: dotted paths), e.g. {@code LayerShape.of(net, inputShape)}
     * @param components energy and area of the components
     * @param scaling how ADC energy follows resolution
     * @return per-layer and total cost per inference
     */
    public dev.aimc.cost.NetworkCost cost(java.util.List<dev.aimc.cost.LayerShape> shapes,
            dev.aimc.cost.CostComponents components, dev.aimc.cost.AdcScaling scaling) {
        return new dev.aimc.cost.CostModel(tileConfig(), components, scaling).cost(shapes,
                s -> costDesign(bitsOf(s.name())));
    }

    /**
     * A one-line description for logs and reports.
     *
     * @return e.g. "σ=0.4, 2-bit cells × 4 slices (9-bit weights), 8-bit ADC, ADC noise 0.0"
     */
    public String describe() {
        StringBuilder per = new StringBuilder();
        layers.forEach((p, b) -> per.append(per.length() == 0 ? " (layer " : "; ").append(p).append(": ")
                .append(b.describe()));
        return "σ=" + sigma + ", " + bits.describe() + (per.length() == 0 ? "" : per + ")") + ", ADC noise "
                + adcNoise;
    }
}
