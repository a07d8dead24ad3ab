package dev.aimc.cost;

import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;

/**
 * Energy and area of every component the cost model counts, each with its source. Energies are per event (one
 * conversion, sample, read or operation) in pJ, areas per instance in µm². Values are validated once (finite,
 * ≥ 0; bits in [1, 16]); a figure that is not known is 0 with a source saying so.
 *
 * @param name what the table describes, e.g. "ISAAC (Shafiee et al., ISCA 2016), 32 nm"
 * @param adc the ADC at its reference resolution
 * @param dac the DAC at its reference resolution
 * @param sampleHold one sample-and-hold per column: energy per sample, area per column
 * @param cell one memory cell: read energy per cell and pass, area per cell
 * @param shiftAdd one shift-and-add unit per ADC: energy per operation (one per ADC conversion it accumulates)
 * @param subtractor one current subtractor per column (differential pairs, reference column): energy per
 *     subtraction, area per column
 * @param digital digital post-processing (partial-sum add, scale, bias): energy per output value and row-tile,
 *     area per tile
 * @param buffer on-chip activation buffer: energy per bit moved, area shared by a number of arrays
 * @param bus buffer-to-array bus: energy per bit moved, area shared by a number of arrays
 * @param router network router: energy per bit moved, area shared by a number of arrays
 * @param registers the input and output registers of a group of arrays (ISAAC's IMA): energy per bit moved, area
 *     shared by the arrays of the group
 * @param tileLogic the tile's own digital units beside its arrays (ISAAC: shift-and-add, max-pool, sigmoid, output
 *     register): energy per bit moved, area shared by the tile's arrays
 */
public record CostComponents(String name, Adc adc, Dac dac, PerEvent sampleHold, PerEvent cell, PerEvent shiftAdd,
        PerEvent subtractor, PerEvent digital, Shared buffer, Shared bus, Shared router, Shared registers,
        Shared tileLogic) {

    /**
     * Validates that every part is present.
     *
     * @param name what the table describes, e.g. "ISAAC (Shafiee et al., ISCA 2016), 32 nm"
     * @param adc the ADC at its reference resolution
     * @param dac the DAC at its reference resolution
     * @param sampleHold one sample-and-hold per column: energy per sample, area per column
     * @param cell one memory cell: read energy per cell and pass, area per cell
     * @param shiftAdd one shift-and-add unit per ADC: energy per operation (one per ADC conversion it accumulates)
     * @param subtractor one current subtractor per column (differential pairs, reference column): energy per
     *     subtraction, area per column
     * @param digital digital post-processing (partial-sum add, scale, bias): energy per output value and row-tile,
     *     area per tile
     * @param buffer on-chip activation buffer: energy per bit moved, area shared by a number of arrays
     * @param bus buffer-to-array bus: energy per bit moved, area shared by a number of arrays
     * @param router network router: energy per bit moved, area shared by a number of arrays
 * @param registers the input and output registers of a group of arrays (ISAAC's IMA): energy per bit moved, area
 *     shared by the arrays of the group
 * @param tileLogic the tile's own digital units beside its arrays (ISAAC: shift-and-add, max-pool, sigmoid, output
 *     register): energy per bit moved, area shared by the tile's arrays
     * @throws ConfigException naming the missing part
     */
    public CostComponents {
        Object[] parts = {adc, dac, sampleHold, cell, shiftAdd, subtractor, digital, buffer, bus, router, registers,
            tileLogic};
        String[] names = {"adc", "dac", "sampleHold", "cell", "shiftAdd", "subtractor", "digital", "buffer", "bus",
            "router", "registers", "tileLogic"};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                throw new ConfigException(names[i] + " is missing");
            }
        }
    }

    /**
     * The parts shared by several arrays: buffer, bus, router, registers and tile logic.
     *
     * @return the five shared parts, in that order
     */
    public java.util.List<Shared> sharedParts() {
        return java.util.List.of(buffer, bus, router, registers, tileLogic);
    }

    /**
     * Energy of one activation bit moved through the shared parts (buffer, bus, router, registers, tile logic).
     *
     * @return pJ per bit
     */
    public double sharedEnergyPjPerBit() {
        double e = 0;
        for (Shared p : sharedParts()) {
            e += p.energyPjPerBit();
        }
        return e;
    }

    /**
     * One array's share of the area of the shared parts.
     *
     * @return µm² per array
     */
    public double sharedAreaUm2PerArray() {
        double a = 0;
        for (Shared p : sharedParts()) {
            a += p.areaUm2PerArray();
        }
        return a;
    }

    /**
     * An analog-to-digital converter at its reference resolution.
     *
     * @param bits reference resolution, bits, in [1, 16]
     * @param energyPjPerConversion energy of one conversion at {@code bits}, pJ, ≥ 0
     * @param areaUm2 area of one converter at {@code bits}, µm², ≥ 0
     * @param sampleRateGsps conversions per second, 10⁹/s, &gt; 0
     * @param source where the figures come from
     */
    public record Adc(int bits, double energyPjPerConversion, double areaUm2, double sampleRateGsps, String source) {
        /**
         * Validates the figures ({@link ConfigException} naming adc.KEY).
         *
         * @param bits reference resolution, bits, in [1, 16]
         * @param energyPjPerConversion energy of one conversion at {@code bits}, pJ, ≥ 0
         * @param areaUm2 area of one converter at {@code bits}, µm², ≥ 0
         * @param sampleRateGsps conversions per second, 10⁹/s, &gt; 0
         * @param source where the figures come from
         */
        public Adc {
            Check.range("adc.bits", bits, 1, 16);
            Check.nonNegative("adc.energyPjPerConversion", energyPjPerConversion);
            Check.nonNegative("adc.areaUm2", areaUm2);
            Check.positive("adc.sampleRateGsps", sampleRateGsps);
        }

        /**
         * Energy of one conversion at {@code b} bits.
         *
         * @param b resolution, bits
         * @param scaling how energy follows resolution
         * @return pJ per conversion
         */
        public double energyPj(int b, AdcScaling scaling) {
            return energyPjPerConversion * scaling.factor(b, bits);
        }

        /**
         * Area of one converter at {@code b} bits.
         *
         * @param b resolution, bits
         * @param scaling how area follows resolution
         * @return µm²
         */
        public double areaUm2(int b, AdcScaling scaling) {
            return areaUm2 * scaling.factor(b, bits);
        }
    }

    /**
     * A digital-to-analog converter (one per row) at its reference resolution; energy and area double per added bit
     * (a binary-weighted DAC: MNSIM's DAC table, {@code MNSIM/Hardware_Model/DAC.py}, 1 to 8 bits from ISAAC's
     * 1-bit figure).
     *
     * @param bits reference resolution, bits, in [1, 16]
     * @param energyPjPerConversion energy of one conversion at {@code bits}, pJ, ≥ 0
     * @param areaUm2 area of one converter at {@code bits}, µm², ≥ 0
     * @param source where the figures come from
     */
    public record Dac(int bits, double energyPjPerConversion, double areaUm2, String source) {
        /**
         * Validates the figures ({@link ConfigException} naming dac.KEY).
         *
         * @param bits reference resolution, bits, in [1, 16]
         * @param energyPjPerConversion energy of one conversion at {@code bits}, pJ, ≥ 0
         * @param areaUm2 area of one converter at {@code bits}, µm², ≥ 0
         * @param source where the figures come from
         */
        public Dac {
            Check.range("dac.bits", bits, 1, 16);
            Check.nonNegative("dac.energyPjPerConversion", energyPjPerConversion);
            Check.nonNegative("dac.areaUm2", areaUm2);
        }

        /**
         * Energy of one conversion at {@code b} bits: energyPjPerConversion · 2^(b − bits).
         *
         * @param b resolution, bits
         * @return pJ per conversion
         */
        public double energyPj(int b) {
            return energyPjPerConversion * Math.pow(2, b - bits);
        }

        /**
         * Area of one converter at {@code b} bits: areaUm2 · 2^(b − bits).
         *
         * @param b resolution, bits
         * @return µm²
         */
        public double areaUm2(int b) {
            return areaUm2 * Math.pow(2, b - bits);
        }
    }

    /**
     * A component with an energy per event and an area per instance.
     *
     * @param energyPj energy of one event, pJ, ≥ 0
     * @param areaUm2 area of one instance, µm², ≥ 0
     * @param source where the figures come from
     */
    public record PerEvent(double energyPj, double areaUm2, String source) {
        /**
         * Validates the figures.
         *
         * @param energyPj energy of one event, pJ, ≥ 0
         * @param areaUm2 area of one instance, µm², ≥ 0
         * @param source where the figures come from
         */
        public PerEvent {
            Check.nonNegative("energyPj", energyPj);
            Check.nonNegative("areaUm2", areaUm2);
        }
    }

    /**
     * A component shared by several arrays (buffer, bus, router, registers, tile logic): energy per bit moved, its power in the design it
     * was taken from, and its area divided among the arrays it serves.
     *
     * @param energyPjPerBit energy per bit read, written or sent, pJ, ≥ 0
     * @param powerMw its power in the source design, mW, ≥ 0 (for validation against the source's totals)
     * @param areaUm2 area of one instance, µm², ≥ 0
     * @param arraysServed crossbar arrays one instance serves, ≥ 1
     * @param source where the figures come from
     */
    public record Shared(double energyPjPerBit, double powerMw, double areaUm2, int arraysServed, String source) {
        /**
         * Validates the figures.
         *
         * @param energyPjPerBit energy per bit read, written or sent, pJ, ≥ 0
         * @param powerMw its power in the source design, mW, ≥ 0 (for validation against the source's totals)
         * @param areaUm2 area of one instance, µm², ≥ 0
         * @param arraysServed crossbar arrays one instance serves, ≥ 1
         * @param source where the figures come from
         */
        public Shared {
            Check.nonNegative("energyPjPerBit", energyPjPerBit);
            Check.nonNegative("powerMw", powerMw);
            Check.nonNegative("areaUm2", areaUm2);
            Check.range("arraysServed", arraysServed, 1, 1 << 20);
        }

        /**
         * The share of one array.
         *
         * @return areaUm2 / arraysServed, µm²
         */
        public double areaUm2PerArray() {
            return areaUm2 / arraysServed;
        }
    }
}
