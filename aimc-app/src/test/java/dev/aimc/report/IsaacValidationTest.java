package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CrossbarUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped component table, configured as ISAAC's in-situ multiply-accumulate unit (IMA: 8 arrays of 128 x 128,
 * 1-bit DACs on every row, 8 ADCs of 8 bits at 1.28 GS/s, 4 shift-and-add units) and tile (12 IMAs, eDRAM buffer,
 * bus, a quarter router), reproduces ISAAC's component rows and their sums from per-event energies and the event
 * rates the organisation implies.
 *
 * <p>Published rows, as quoted by hwcomponents-library {@code isaac.py} and MNSIM {@code ADC.py}/{@code DAC.py}
 * (see {@code isaac-32nm.yaml}): ADC 16 mW, 9600 µm² (8 ADCs); DAC 4 mW, 170 µm² (8 × 128); S+A 0.2 mW, 240 µm²
 * (4); eDRAM 20.7 mW, 83,000 µm²; bus 7 mW, 90,000 µm² (7,500 per IMA); router 42 mW and 150,000 µm² shared by 4
 * tiles. The paper's S+H, memristor-array, register, sigmoid and max-pool rows and its IMA and tile totals were not
 * found in the sources searched, so the totals checked here are the sums over the verified rows only.
 */
class IsaacValidationTest {
    static final CostComponents ISAAC = CostComponentsFile.isaac();
    static final CrossbarUnit IMA = new CrossbarUnit(8, 128, 128, 1, 8, 8, 4);

    @Test
    void imaRowsFromEnergiesAndRates() {
        assertEquals(100.0, IMA.cycleNs(ISAAC), 1e-9); // 1024 columns / (8 ADCs x 1.28 GS/s)
        double[] p = IMA.powerMw(ISAAC, AdcScaling.WALDEN);
        assertEquals(16.0, p[0], 1e-9); // ADC
        assertEquals(4.0, p[1], 1e-9); // DAC
        assertEquals(0.2, p[4], 1e-9); // S+A
        double[] a = IMA.areaUm2(ISAAC, AdcScaling.WALDEN);
        assertEquals(9600.0, a[0], 1e-9);
        assertEquals(170.0, a[1], 1e-9);
        assertEquals(240.0, a[4], 1e-9);
        assertEquals(20.2, IMA.totalPowerMw(ISAAC, AdcScaling.WALDEN), 1e-9);
        assertEquals(10_010.0, IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN), 1e-9);
    }

    @Test
    void tileFromTwelveImasAndSharedRows() {
        double power = 12 * IMA.totalPowerMw(ISAAC, AdcScaling.WALDEN) + ISAAC.buffer().powerMw()
                + ISAAC.bus().powerMw() + ISAAC.router().powerMw();
        double area = 12 * IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN) + 96 * (ISAAC.buffer().areaUm2PerArray()
                + ISAAC.bus().areaUm2PerArray() + ISAAC.router().areaUm2PerArray());
        assertEquals(12 * 20.2 + 20.7 + 7 + 42 / 4.0, power, 1e-9); // 280.6 mW
        assertEquals(12 * 10_010 + 83_000 + 90_000 + 150_000 / 4.0, area, 1e-6); // 330,620 µm²
    }
}
