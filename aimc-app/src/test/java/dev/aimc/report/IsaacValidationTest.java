package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CrossbarUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped component table, configured as ISAAC's in-situ multiply-accumulate unit (IMA: 8 arrays of 128 x 128,
 * 1-bit DACs on every row, 8 ADCs of 8 bits at 1.28 GS/s, 4 shift-and-add units, input and output registers) and
 * tile (12 IMAs, eDRAM buffer, bus, a quarter router, tile logic), reproduces the paper's published IMA and tile
 * power and area totals from its component rows, each power computed as energy per event times the event rate the
 * organisation implies (cycle 100 ns).
 *
 * <p>Published figures: Table I of Shafiee et al., ISCA 2016, as transcribed in dyigitpolat/mimarsinan
 * {@code src/mimarsinan/deployment_record/platform_physics/profiles/isaac_like.md} (see {@code isaac-32nm.yaml}):
 * IMA rows ADC 16 mW, 0.0096 mm²; DAC 4 mW, 0.00017 mm²; S+H 10 µW, 0.00004 mm²; arrays 2.4 mW, 0.0002 mm²; S+A
 * 0.2 mW, 0.00024 mm²; IR 1.24 mW, 0.0021 mm²; OR 0.23 mW, 0.00077 mm²; "IMA Total (12)" 289 mW, 0.157 mm². Tile
 * rows eDRAM 20.7 mW, 0.083 mm²; bus 7 mW, 0.090 mm²; router 42 mW, 0.151 mm² shared by 4 tiles; sigmoid 0.52 mW,
 * 0.0006 mm²; S+A 0.05 mW, 0.00006 mm²; max-pool 0.4 mW, 0.00024 mm²; OR 1.68 mW, 0.0032 mm²; "Total" 40.9 mW,
 * 0.215 mm²; "1 Tile Total" 330 mW, 0.372 mm². The totals are printed to three significant figures, so aimc's sums
 * must round to them (half a unit in the last printed digit).
 */
class IsaacValidationTest {
    static final CostComponents ISAAC = CostComponentsFile.isaac();
    static final CrossbarUnit IMA = new CrossbarUnit(8, 128, 128, 1, 8, 8, 4);

    /** One IMA's power from the analog rows (computed from energies and rates) plus its registers; mW. */
    static double imaPowerMw() {
        return IMA.totalPowerMw(ISAAC, AdcScaling.WALDEN) + ISAAC.registers().powerMw();
    }

    /** One IMA's area; µm². */
    static double imaAreaUm2() {
        return IMA.totalAreaUm2(ISAAC, AdcScaling.WALDEN) + ISAAC.registers().areaUm2();
    }

    /** The tile's own rows (buffer, bus, a quarter router, tile logic): power mW, area µm². */
    static double[] tileRows() {
        double p = 0;
        double a = 0;
        for (CostComponents.Shared s : java.util.List.of(ISAAC.buffer(), ISAAC.bus(), ISAAC.router(),
                ISAAC.tileLogic())) {
            p += s.powerMw();
            a += s.areaUm2PerArray() * 96; // each serves the tile's 12 x 8 arrays
        }
        return new double[] {p, a};
    }

    @Test
    void imaRowsFromEnergiesAndRates() {
        assertEquals(100.0, IMA.cycleNs(ISAAC), 1e-9); // 1024 columns / (8 ADCs x 1.28 GS/s)
        double[] p = IMA.powerMw(ISAAC, AdcScaling.WALDEN);
        assertEquals(16.0, p[0], 1e-9); // ADC
        assertEquals(4.0, p[1], 1e-9); // DAC
        assertEquals(0.010, p[2], 1e-12); // S+H
        assertEquals(2.4, p[3], 1e-9); // memristor arrays
        assertEquals(0.2, p[4], 1e-9); // S+A
        double[] a = IMA.areaUm2(ISAAC, AdcScaling.WALDEN);
        assertEquals(9600.0, a[0], 1e-9);
        assertEquals(170.0, a[1], 1e-9);
        assertEquals(40.0, a[2], 1e-9);
        assertEquals(200.0, a[3], 1e-9);
        assertEquals(240.0, a[4], 1e-9);
        assertEquals(1.24 + 0.23, ISAAC.registers().powerMw(), 1e-12); // IR + OR
        assertEquals(2100 + 770, ISAAC.registers().areaUm2(), 1e-9);
    }

    /** Published "IMA Total (12)": 289 mW, 0.157 mm². aimc: 288.96 mW, 0.15744 mm². */
    @Test
    void twelveImasMatchThePublishedImaTotal() {
        assertEquals(24.08, imaPowerMw(), 1e-9);
        assertEquals(13_120, imaAreaUm2(), 1e-9);
        assertEquals(289, 12 * imaPowerMw(), 0.5);
        assertEquals(0.157, 12 * imaAreaUm2() / 1e6, 0.0005);
    }

    /** Published tile rows "Total": 40.9 mW, 0.215 mm²; "1 Tile Total": 330 mW, 0.372 mm². */
    @Test
    void tileMatchesThePublishedTileTotals() {
        double[] rows = tileRows();
        assertEquals(20.7 + 7 + 42 / 4.0 + 2.65, rows[0], 1e-9); // 40.85 mW
        assertEquals(83_000 + 90_000 + 151_000 / 4.0 + 4_100, rows[1], 1e-6); // 214,850 µm²
        assertEquals(40.9, rows[0], 0.05);
        assertEquals(0.215, rows[1] / 1e6, 0.0005);
        double power = 12 * imaPowerMw() + rows[0];
        double area = 12 * imaAreaUm2() + rows[1];
        assertEquals(329.81, power, 1e-9);
        assertEquals(372_290, area, 1e-6);
        assertEquals(330, power, 0.5);
        assertEquals(0.372, area / 1e6, 0.0005);
    }

    /** The cost model charges each array its share of the shared rows: a tile's 96 shares make the tile's rows. */
    @Test
    void costModelSharesAddUpToTheTile() {
        assertEquals(tileRows()[1] + 12 * ISAAC.registers().areaUm2(), 96 * ISAAC.sharedAreaUm2PerArray(), 1e-6);
    }
}
