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
 * rates the organisation implies (cycle 100 ns).
 *
 * <p>Published rows, as quoted by hwcomponents-library {@code isaac.py}, MNSIM {@code ADC.py}/{@code DAC.py} and
 * puma-simulator {@code include/constants.py} (see {@code isaac-32nm.yaml}): ADC 16 mW, 9600 µm² (8 ADCs); DAC 4 mW,
 * 170 µm² (8 × 128); sample-and-hold 9.7e-6 mW and 0.00004/1024 mm² each (8 × 128: 0.0099 mW, 40 µm²); memristor
 * arrays 0.3 mW and 25 µm² each (8: 2.4 mW, 200 µm²); S+A 0.2 mW, 240 µm² (4); eDRAM 20.7 mW, 83,000 µm²; bus 7 mW,
 * 90,000 µm²; router 42 mW and 150,000 µm² shared by 4 tiles. The paper's IMA input and output registers, the tile's
 * output register and max-pool unit and its IMA, tile and chip totals were not found in any source that could be
 * read (docs/results/cost/README.md), so the totals checked here are the sums over the sourced rows.
 */
class IsaacValidationTest {
    static final CostComponents ISAAC = CostComponentsFile.isaac();
    static final CrossbarUnit IMA = new CrossbarUnit(8, 128, 128, 1, 8, 8, 4);

    /** Sum of the sourced IMA rows: ADC, DAC, S+H (1024 × 9.7e-6 mW), arrays, S+A; mW. */
    static final double IMA_ROWS_MW = 16 + 4 + 1024 * 9.7e-6 + 8 * 0.3 + 0.2;
    /** Sum of the sourced IMA rows' areas; µm². */
    static final double IMA_ROWS_UM2 = 9600 + 170 + 40 + 8 * 25 + 240;

    @Test
    void imaRowsFromEnergiesAndRates() {
        assertEquals(100.0, IMA.cycleNs(ISAAC), 1e-9); // 1024 columns / (8 ADCs x 1.28 GS/s)
        double[] p = IMA.powerMw(ISAAC, AdcScaling.WALDEN);
        assertEquals(16.0, p[0], 1e-9); // ADC
        assertEquals(4.0, p[1], 1e-9); // DAC
        assertEquals(1024 * 9.7e-6, p[2], 1e-12); // S+H
        assertEquals(2.4, p[3], 1e-9); // memristor arrays
        assertEquals(0.2, p[4], 1e-9); // S+A
        double[] a = IMA.areaUm2(ISAAC, AdcScaling.WALDEN);
        assertEquals(9600.0, a[0], 1e-9);
        assertEquals(170.0, a[1], 1e-9);
        assertEquals(40.0, a[2], 1e-9);
        assertEquals(200.0, a[3], 1e-9);
        assertEquals(240.0, a[4], 1e-9);
    }

    @Test
    void imaTotalsAreTheSumOfTheSourcedRows() {
        assertEquals(22.6099328, IMA_ROWS_MW, 1e-12);
        assertEquals(IMA_ROWS_MW, IMA.totalPowerMw(ISAAC, AdcScaling.WALDEN), 1e-9);
        assertEquals(10_250.0, IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN), 1e-9);
        assertEquals(IMA_ROWS_UM2, IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN), 1e-9);
    }

    @Test
    void tileFromTwelveImasAndSharedRows() {
        double power = 12 * IMA.totalPowerMw(ISAAC, AdcScaling.WALDEN) + ISAAC.buffer().powerMw()
                + ISAAC.bus().powerMw() + ISAAC.router().powerMw();
        double area = 12 * IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN) + 96 * (ISAAC.buffer().areaUm2PerArray()
                + ISAAC.bus().areaUm2PerArray() + ISAAC.router().areaUm2PerArray());
        assertEquals(12 * IMA_ROWS_MW + 20.7 + 7 + 42 / 4.0, power, 1e-9); // 309.52 mW
        assertEquals(12 * IMA_ROWS_UM2 + 83_000 + 90_000 + 150_000 / 4.0, area, 1e-6); // 333,500 µm²
    }
}
