package dev.aimc.cost;

import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;

/**
 * The hardware choices of one layer, the ones a per-layer search picks: converter resolutions, cell resolution,
 * weight mapping and ADC sharing.
 *
 * <ul>
 *   <li>Input bit-streaming: an input of {@code inputBits} bits through a {@code dacBits}-bit DAC takes
 *       P = ⌈inputBits / dacBits⌉ passes, each read, converted and shift-added.</li>
 *   <li>Multi-cell slices: a weight of {@code weightBits} bits on cells of {@code cellBits} bits takes
 *       S = ⌈weightBits / cellBits⌉ slices, each on its own column, converted separately and shift-added
 *       ({@code cellBits ≥ weightBits}: one analog cell per weight, S = 1, as aimc's device models). Bit-sliced
 *       cells whose slices are summed in analog before one conversion (what aimc's tiles simulate for
 *       {@link TileConfig.Filling#BIT_SLICED}) are instead {@link TileConfig.Mapping#MULTI} with one cell pair per
 *       slice and S = 1: see {@code dev.aimc.robust.RramVariation#costDesign}.</li>
 *   <li>Mapping: devices per weight position D = 2 (differential), 1 (unipolar: one sign, kept digitally, García-
 *       Redondo et al.), 1 plus one reference column per tile (unipolar offset), 2·cellPairs (multi-pair, combined
 *       in analog before one conversion).</li>
 *   <li>Column sharing: one ADC converts {@code colsPerAdc} columns one after the other.</li>
 * </ul>
 *
 * @param adcBits ADC resolution, bits, in [1, 16]
 * @param dacBits DAC resolution, bits, in [1, 16]
 * @param inputBits activation (input) resolution, bits, in [1, 32]
 * @param weightBits weight resolution, bits, in [1, 32]
 * @param cellBits bits one cell stores, in [1, 32]
 * @param mapping how a signed weight becomes devices
 * @param cellPairs differential pairs per weight for {@link TileConfig.Mapping#MULTI} (1 otherwise), in [1, 8]
 * @param colsPerAdc columns one ADC converts, in [1, 2^20]
 */
public record LayerDesign(int adcBits, int dacBits, int inputBits, int weightBits, int cellBits,
        TileConfig.Mapping mapping, int cellPairs, int colsPerAdc) {

    /**
     * Validates the settings ({@link ConfigException} naming the setting).
     *
     * @param adcBits ADC resolution, bits, in [1, 16]
     * @param dacBits DAC resolution, bits, in [1, 16]
     * @param inputBits activation (input) resolution, bits, in [1, 32]
     * @param weightBits weight resolution, bits, in [1, 32]
     * @param cellBits bits one cell stores, in [1, 32]
     * @param mapping how a signed weight becomes devices
     * @param cellPairs differential pairs per weight for {@link TileConfig.Mapping#MULTI} (1 otherwise), in [1, 8]
     * @param colsPerAdc columns one ADC converts, in [1, 2^20]
     */
    public LayerDesign {
        Check.range("adc-bits", adcBits, 1, 16);
        Check.range("dac-bits", dacBits, 1, 16);
        Check.range("input-bits", inputBits, 1, 32);
        Check.range("weight-bits", weightBits, 1, 32);
        Check.range("cell-bits", cellBits, 1, 32);
        if (mapping == null) {
            throw new ConfigException("mapping must be given");
        }
        Check.range("cell-pairs", cellPairs, 1, 8);
        Check.range("cols-per-adc", colsPerAdc, 1, 1 << 20);
    }

    /**
     * The design of a tile configuration: its DAC and ADC bits, mapping and cell pairs; 8-bit inputs and weights on
     * analog cells (cellBits = weightBits), one ADC per column.
     *
     * @param cfg the tile configuration
     * @return the design
     */
    public static LayerDesign of(TileConfig cfg) {
        int pairs = cfg.mapping() == TileConfig.Mapping.MULTI ? cfg.significance().size() : 1;
        return new LayerDesign(Math.min(16, cfg.outputBits()), Math.min(16, cfg.inputBits()), 8, 8, 8,
                cfg.mapping(), pairs, 1);
    }

    /**
     * Input passes P = ⌈inputBits / dacBits⌉.
     *
     * @return passes per multiply, ≥ 1
     */
    public int passes() {
        return (inputBits + dacBits - 1) / dacBits;
    }

    /**
     * Weight slices S = ⌈weightBits / cellBits⌉.
     *
     * @return columns per weight, ≥ 1
     */
    public int slices() {
        return (weightBits + cellBits - 1) / cellBits;
    }

    /**
     * Devices per weight position and slice: 2 differential, 1 unipolar and unipolar offset, 2·cellPairs multi.
     *
     * @return D ≥ 1
     */
    public int devicesPerWeight() {
        return switch (mapping) {
            case DIFFERENTIAL -> 2;
            case UNIPOLAR, UNIPOLAR_OFFSET -> 1;
            case MULTI -> 2 * cellPairs;
            // without the signs, per-tile signs are costed as differential pairs (an upper bound); with them
            // CostModel.layer(shape, design, signs) counts 1 device on + and - tiles and 2 on bipolar ones
            case PER_TILE_SIGN -> 2;
        };
    }

    /**
     * True when every column's current passes a subtractor before its ADC (differential and multi-pair: G+ − G−;
     * unipolar offset: minus the reference column).
     *
     * @return false only for {@link TileConfig.Mapping#UNIPOLAR}
     */
    public boolean subtracts() {
        return mapping != TileConfig.Mapping.UNIPOLAR;
    }

    /**
     * A copy with another ADC resolution.
     *
     * @param bits ADC bits
     * @return the new design
     */
    public LayerDesign withAdcBits(int bits) {
        return new LayerDesign(bits, dacBits, inputBits, weightBits, cellBits, mapping, cellPairs, colsPerAdc);
    }

    /**
     * A copy with another DAC resolution.
     *
     * @param bits DAC bits
     * @return the new design
     */
    public LayerDesign withDacBits(int bits) {
        return new LayerDesign(adcBits, bits, inputBits, weightBits, cellBits, mapping, cellPairs, colsPerAdc);
    }

    /**
     * A copy with another cell resolution.
     *
     * @param bits bits per cell
     * @return the new design
     */
    public LayerDesign withCellBits(int bits) {
        return new LayerDesign(adcBits, dacBits, inputBits, weightBits, bits, mapping, cellPairs, colsPerAdc);
    }

    /**
     * A copy with another mapping.
     *
     * @param m the mapping
     * @param pairs cell pairs (used by {@link TileConfig.Mapping#MULTI})
     * @return the new design
     */
    public LayerDesign withMapping(TileConfig.Mapping m, int pairs) {
        return new LayerDesign(adcBits, dacBits, inputBits, weightBits, cellBits, m, pairs, colsPerAdc);
    }

    /**
     * A copy with other input and weight resolutions.
     *
     * @param input input bits
     * @param weight weight bits
     * @return the new design
     */
    public LayerDesign withPrecision(int input, int weight) {
        return new LayerDesign(adcBits, dacBits, input, weight, cellBits, mapping, cellPairs, colsPerAdc);
    }

    /**
     * A copy with another ADC sharing.
     *
     * @param cols columns per ADC
     * @return the new design
     */
    public LayerDesign withColsPerAdc(int cols) {
        return new LayerDesign(adcBits, dacBits, inputBits, weightBits, cellBits, mapping, cellPairs, cols);
    }
}
