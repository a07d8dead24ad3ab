package dev.aimc.cost;

import dev.aimc.util.Check;

/**
 * A unit of crossbar arrays sharing ADCs, running at full rate: ISAAC's in-situ multiply-accumulate unit (IMA) is
 * {@code new CrossbarUnit(8, 128, 128, 1, 8, 8, 4)}. Its power is the energy of each event times the event rate the
 * organisation implies, and its area the sum of its instances; this is what checks the component table against the
 * totals of the design it was taken from.
 *
 * <p>Rates: the ADCs convert arrays·cols columns per cycle, so a cycle takes t = arrays·cols / (adcs · sampleRate);
 * every DAC converts once per cycle (one input bit per cycle), every column is sampled once per cycle, every ADC
 * conversion is shift-added once, every cell is read once per cycle.
 *
 * @param arrays crossbar arrays in the unit, ≥ 1
 * @param rows rows per array, ≥ 1
 * @param cols columns per array, ≥ 1
 * @param dacBits DAC resolution, bits (one DAC per row)
 * @param adcBits ADC resolution, bits
 * @param adcs ADCs in the unit, ≥ 1
 * @param shiftAdds shift-and-add units in the unit, ≥ 0
 */
public record CrossbarUnit(int arrays, int rows, int cols, int dacBits, int adcBits, int adcs, int shiftAdds) {

    /**
     * Validates the organisation.
     *
     * @param arrays crossbar arrays in the unit, ≥ 1
     * @param rows rows per array, ≥ 1
     * @param cols columns per array, ≥ 1
     * @param dacBits DAC resolution, bits (one DAC per row)
     * @param adcBits ADC resolution, bits
     * @param adcs ADCs in the unit, ≥ 1
     * @param shiftAdds shift-and-add units in the unit, ≥ 0
     */
    public CrossbarUnit {
        Check.range("arrays", arrays, 1, 1 << 20);
        Check.range("rows", rows, 1, 1 << 20);
        Check.range("cols", cols, 1, 1 << 20);
        Check.range("dacBits", dacBits, 1, 16);
        Check.range("adcBits", adcBits, 1, 16);
        Check.range("adcs", adcs, 1, 1 << 20);
        Check.range("shiftAdds", shiftAdds, 0, 1 << 20);
    }

    /**
     * Duration of one cycle (every column converted once).
     *
     * @param k the component figures (ADC sample rate)
     * @return arrays·cols / (adcs · sampleRate), ns
     */
    public double cycleNs(CostComponents k) {
        return (double) arrays * cols / (adcs * k.adc().sampleRateGsps());
    }

    /**
     * Power of each component at full rate, in the order ADC, DAC, sample-and-hold, cells, shift-and-add.
     *
     * @param k the component figures
     * @param scaling how ADC energy follows resolution
     * @return mW per component (pJ per ns)
     */
    public double[] powerMw(CostComponents k, AdcScaling scaling) {
        double t = cycleNs(k);
        double conversionsPerNs = adcs * k.adc().sampleRateGsps();
        return new double[] {
            conversionsPerNs * k.adc().energyPj(adcBits, scaling),
            (double) arrays * rows * k.dac().energyPj(dacBits) / t,
            (double) arrays * cols * k.sampleHold().energyPj() / t,
            (double) arrays * rows * cols * k.cell().energyPj() / t,
            shiftAdds == 0 ? 0 : conversionsPerNs * k.shiftAdd().energyPj()
        };
    }

    /**
     * Area of each component, in the order of {@link #powerMw}.
     *
     * @param k the component figures
     * @param scaling how ADC area follows resolution
     * @return µm² per component
     */
    public double[] areaUm2(CostComponents k, AdcScaling scaling) {
        return new double[] {
            adcs * k.adc().areaUm2(adcBits, scaling),
            (double) arrays * rows * k.dac().areaUm2(dacBits),
            (double) arrays * cols * k.sampleHold().areaUm2(),
            (double) arrays * rows * cols * k.cell().areaUm2(),
            shiftAdds * k.shiftAdd().areaUm2()
        };
    }

    /**
     * Total power at full rate.
     *
     * @param k the component figures
     * @param scaling how ADC energy follows resolution
     * @return mW
     */
    public double totalPowerMw(CostComponents k, AdcScaling scaling) {
        double s = 0;
        for (double p : powerMw(k, scaling)) {
            s += p;
        }
        return s;
    }

    /**
     * Total area.
     *
     * @param k the component figures
     * @param scaling how ADC area follows resolution
     * @return µm²
     */
    public double totalAreaUm2(CostComponents k, AdcScaling scaling) {
        double s = 0;
        for (double a : areaUm2(k, scaling)) {
            s += a;
        }
        return s;
    }
}
