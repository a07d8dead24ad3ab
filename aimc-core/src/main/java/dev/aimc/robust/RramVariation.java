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
 *       resolution can differ per layer ({@code layerAdcBits}); the DAC is the tile default (8 bits,
 *       per-vector abs-max scaling).</li>
 * </ul>
 *
 * @param sigma σ of θ = ln(g'/g), ≥ 0
 * @param cellBits bits per cell b, in [1, 4]
 * @param weightBits bits per weight including the sign, in [2, 1 + 8·b] (at most 8 slices, and 1 + 24 bits)
 * @param adcBits ADC resolution of every layer not in {@code layerAdcBits}, in [2, 24]
 * @param adcRange ADC half-range in normalized one-pair output units, &gt; 0 (tile default 12)
 * @param adcNoise std of the ADC input noise in normalized one-pair output units, ≥ 0
 * @param layerAdcBits ADC bits by dotted layer path (empty: all layers use {@code adcBits}); copied
 */
public record RramVariation(double sigma, int cellBits, int weightBits, int adcBits, double adcRange, double adcNoise,
        Map<String, Integer> layerAdcBits) {

    /** The largest cell resolution supported, bits. */
    public static final int MAX_CELL_BITS = 4;
    /** Conductance of a full-scale device, µS (only the ratio to g_min = 0 matters). */
    public static final double G_MAX_US = 100;

    /** Validates (a {@link dev.aimc.util.ConfigException} names the option) and copies the per-layer map. */
    public RramVariation {
        Check.nonNegative("--sigma", sigma);
        Check.range("--cell-bits", cellBits, 1, MAX_CELL_BITS);
        Check.range("--weight-bits", weightBits, 2, 1 + Math.min(24, 8 * cellBits));
        Check.range("--adc-bits", adcBits, 2, 24);
        Check.positive("--adc-range", adcRange);
        Check.nonNegative("--adc-noise", adcNoise);
        layerAdcBits = layerAdcBits == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(layerAdcBits));
        for (Map.Entry<String, Integer> e : layerAdcBits.entrySet()) {
            Check.range("--layer-adc-bits " + e.getKey(), e.getValue(), 2, 24);
        }
    }

    /**
     * The setting with 8-bit ADCs of range 12 and no ADC noise.
     *
     * @param sigma σ of ln(g'/g), ≥ 0
     * @param cellBits bits per cell, in [1, 4]
     * @param weightBits bits per weight with sign
     * @return the setting
     */
    public static RramVariation of(double sigma, int cellBits, int weightBits) {
        return new RramVariation(sigma, cellBits, weightBits, 8, 12, 0, Map.of());
    }

    /**
     * The same hardware at another variation level.
     *
     * @param s σ of ln(g'/g), ≥ 0
     * @return a copy with σ = s
     */
    public RramVariation withSigma(double s) {
        return new RramVariation(s, cellBits, weightBits, adcBits, adcRange, adcNoise, layerAdcBits);
    }

    /**
     * The same hardware with other per-layer ADC resolutions.
     *
     * @param perLayer ADC bits by dotted layer path
     * @return a copy
     */
    public RramVariation withLayerAdcBits(Map<String, Integer> perLayer) {
        return new RramVariation(sigma, cellBits, weightBits, adcBits, adcRange, adcNoise, perLayer);
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
     * The tile configuration of a layer with {@code bits}-bit ADCs.
     *
     * @param bits ADC bits
     * @return tile defaults with bit-sliced cells, the ADC range scaled by F, ADC noise as set
     */
    public TileConfig tileConfig(int bits) {
        double f = significanceSum();
        return TileConfig.defaults().toBuilder().bitSliced(slices(), cellBits).outputBits(bits)
                .outputRange(adcRange * f).outputNoise(adcNoise * f).build();
    }

    /**
     * The tile configuration of every layer without its own ADC resolution.
     *
     * @return {@link #tileConfig(int)} at {@link #adcBits()}
     */
    public TileConfig tileConfig() {
        return tileConfig(adcBits);
    }

    /**
     * Converts every Linear/Conv2d layer of {@code net} (in place) to analog tiles of this setting, per-layer ADC bits
     * applied.
     *
     * @param net the digital network, converted in place (closing the result restores it)
     * @return the analog network, not yet programmed
     * @throws dev.aimc.util.ConfigException when a per-layer path names no Linear/Conv2d layer
     */
    public AnalogNetwork convert(Module net) {
        Map<String, TileConfig> per = new LinkedHashMap<>();
        layerAdcBits.forEach((p, b) -> per.put(p, tileConfig(b)));
        return AnalogConverter.convert(net, Set.of(), tileConfig(), per, device());
    }

    /**
     * A one-line description for logs and reports.
     *
     * @return e.g. "σ=0.4, 2-bit cells × 4 slices (9-bit weights), 8-bit ADC, ADC noise 0"
     */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "σ=%s, %d-bit cells × %d slices (%d-bit weights), %d-bit ADC%s,"
                + " ADC noise %s", sigma, cellBits, slices(), storedBits(), adcBits,
                layerAdcBits.isEmpty() ? "" : " (per layer " + layerAdcBits + ")", adcNoise);
    }
}
