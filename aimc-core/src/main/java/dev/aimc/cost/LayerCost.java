package dev.aimc.cost;

/**
 * The cost of one layer per inference: the mapping (tiles, occupancy, cells), the counted events, the energy of
 * each component, the area of its tiles and its latency.
 *
 * @param name the layer's path
 * @param inFeatures matrix inputs
 * @param outFeatures matrix outputs
 * @param mvmsPerInference matrix-vector multiplies per inference
 * @param design the settings it was costed with
 * @param rowTiles R, tiles along the inputs
 * @param colTiles C, tiles along the outputs (slices included)
 * @param occupancy weight cells used / weight cells provided by its tiles, in (0, 1]
 * @param cells devices holding the layer (pairs, slices, reference columns included)
 * @param dacConversions DAC conversions per inference
 * @param adcConversions ADC conversions per inference
 * @param sampleHolds samples taken per inference (one per ADC conversion)
 * @param shiftAdds shift-and-add operations per inference
 * @param subtractions current subtractions per inference
 * @param digitalOps digital post-processing operations per inference (partial-sum adds, scale and bias)
 * @param cellReads cell reads per inference (every device of the used rows, every pass)
 * @param bufferBits activation bits read and written per inference (inputs and outputs of every multiply)
 * @param cellEnergyPj crossbar read energy, pJ
 * @param adcEnergyPj ADC energy, pJ
 * @param dacEnergyPj DAC energy, pJ
 * @param sampleHoldEnergyPj sample-and-hold energy, pJ
 * @param shiftAddEnergyPj shift-and-add energy, pJ
 * @param subtractorEnergyPj current-subtractor energy, pJ
 * @param digitalEnergyPj digital post-processing energy, pJ
 * @param dataMovementEnergyPj buffer, bus, router, register and tile-logic energy, pJ
 * @param arrayAreaUm2 area of the crossbar arrays of its tiles, µm²
 * @param peripheryAreaUm2 area of their converters, sample-and-holds, shift-and-adds, subtractors, digital units
 *     and their share of buffer, bus, router, registers and tile logic, µm²
 * @param latencyNs time of one inference through this layer under {@link CostModel}'s pipeline assumption, ns
 */
public record LayerCost(String name, int inFeatures, int outFeatures, long mvmsPerInference, LayerDesign design,
        int rowTiles, int colTiles, double occupancy, long cells,
        double dacConversions, double adcConversions, double sampleHolds, double shiftAdds, double subtractions,
        double digitalOps, double cellReads, double bufferBits, double cellEnergyPj, double adcEnergyPj,
        double dacEnergyPj, double sampleHoldEnergyPj, double shiftAddEnergyPj, double subtractorEnergyPj,
        double digitalEnergyPj, double dataMovementEnergyPj, double arrayAreaUm2, double peripheryAreaUm2,
        double latencyNs) {

    /**
     * Tiles used.
     *
     * @return R·C
     */
    public int tiles() {
        return rowTiles * colTiles;
    }

    /**
     * Energy per inference, all components.
     *
     * @return the sum of the component energies, pJ
     */
    public double energyPj() {
        return cellEnergyPj + adcEnergyPj + dacEnergyPj + sampleHoldEnergyPj + shiftAddEnergyPj + subtractorEnergyPj
                + digitalEnergyPj + dataMovementEnergyPj;
    }

    /**
     * Area of its tiles.
     *
     * @return arrays plus periphery, µm²
     */
    public double areaUm2() {
        return arrayAreaUm2 + peripheryAreaUm2;
    }
}
