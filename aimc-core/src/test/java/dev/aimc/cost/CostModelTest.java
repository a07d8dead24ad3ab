package dev.aimc.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counting of the cost model on layer shapes checked by hand (comments give the arithmetic). */
public class CostModelTest {
    /** Figures chosen so that each component's energy equals its event count (1 pJ each; ADC at 8 bits). */
    public static final CostComponents UNIT = new CostComponents("unit",
            new CostComponents.Adc(8, 1, 10, 1, "test"), new CostComponents.Dac(8, 1, 1, "test"),
            new CostComponents.PerEvent(1, 1, "test"), new CostComponents.PerEvent(1, 0.01, "test"),
            new CostComponents.PerEvent(1, 2, "test"), new CostComponents.PerEvent(1, 3, "test"),
            new CostComponents.PerEvent(1, 100, "test"), new CostComponents.Shared(1, 0, 960, 96, "test"),
            new CostComponents.Shared(0, 0, 0, 1, "test"), new CostComponents.Shared(0, 0, 0, 1, "test"),
            new CostComponents.Shared(0, 0, 0, 1, "test"), new CostComponents.Shared(0, 0, 0, 1, "test"));
    static final TileConfig T512 = TileConfig.builder().build();
    static final LayerDesign BASE = LayerDesign.of(T512);

    static LayerCost cost(LayerShape s, LayerDesign d) {
        return new CostModel(T512, UNIT, AdcScaling.WALDEN).layer(s, d);
    }

    @Test
    void differentialLinearOnTwoRowTiles() {
        // 1000 inputs on 512-row tiles: R = 2; 300 outputs: C = 1
        LayerCost c = cost(LayerShape.linear("fc", 1000, 300), BASE);
        assertEquals(2, c.rowTiles());
        assertEquals(1, c.colTiles());
        assertEquals(1000L * 300 * 2, c.cells()); // a device pair per weight
        assertEquals(300_000.0 / (2 * 512 * 512), c.occupancy(), 1e-12);
        assertEquals(1000, c.dacConversions()); // every input once (one column-tile, one pass)
        assertEquals(600, c.adcConversions()); // 300 columns x 2 row-tiles
        assertEquals(600, c.sampleHolds());
        assertEquals(0, c.shiftAdds()); // one pass, one slice: nothing to shift-add
        assertEquals(600, c.subtractions()); // G+ - G- before every conversion
        assertEquals(600, c.digitalOps()); // 300 x (1 partial-sum add + 1 scale-and-bias)
        assertEquals(600_000, c.cellReads());
        assertEquals((1000 + 300) * 8, c.bufferBits());
        assertEquals(600, c.adcEnergyPj(), 1e-9);
        assertEquals(1000, c.dacEnergyPj(), 1e-9);
        // area per tile: 512x512x2 cells of 0.01; 512 DACs of 1, 512 ADCs of 10 + 512 S+A of 2, 512 S+H of 1,
        // 512 subtractors of 3, a digital unit of 100, 960/96 = 10 of buffer
        assertEquals(2 * 512 * 512 * 2 * 0.01, c.arrayAreaUm2(), 1e-6);
        assertEquals(2 * (512 + 512 * 12 + 512 * 4 + 100 + 10), c.peripheryAreaUm2(), 1e-6);
        assertEquals(1, c.latencyNs(), 1e-12); // one pass, one column per ADC at 1 GS/s
    }

    /**
     * Registers and tile logic are shared parts like the buffer: every activation bit passes them, and each tile
     * carries its share of their area. Before, the table had no rows for them and ISAAC's tile came out 6 % low in
     * power and 10 % low in area.
     */
    @Test
    void registersAndTileLogicAreChargedPerBitAndPerArray() {
        CostComponents k = new CostComponents("unit+regs", UNIT.adc(), UNIT.dac(), UNIT.sampleHold(), UNIT.cell(),
                UNIT.shiftAdd(), UNIT.subtractor(), UNIT.digital(), UNIT.buffer(), UNIT.bus(), UNIT.router(),
                new CostComponents.Shared(0.5, 0, 80, 8, "test"), new CostComponents.Shared(0.25, 0, 960, 96, "test"));
        LayerShape s = LayerShape.linear("fc", 1000, 300);
        LayerCost base = cost(s, BASE);
        LayerCost c = new CostModel(T512, k, AdcScaling.WALDEN).layer(s, BASE);
        // (1000 + 300) x 8 bits through buffer (1 pJ/bit), registers (0.5) and tile logic (0.25)
        assertEquals(10_400 * 1.75, c.dataMovementEnergyPj(), 1e-9);
        assertEquals(base.dataMovementEnergyPj() * 1.75, c.dataMovementEnergyPj(), 1e-9);
        // two tiles, each with 80/8 of registers and 960/96 of tile logic
        assertEquals(base.peripheryAreaUm2() + 2 * (10 + 10), c.peripheryAreaUm2(), 1e-9);
        assertEquals(1.75, k.sharedEnergyPjPerBit(), 1e-12);
        assertEquals(30, k.sharedAreaUm2PerArray(), 1e-12);
    }

    @Test
    void perTileSignsCountOneDevicePerWeightAndNoSubtractorOnSignedTiles() {
        // 600 inputs x 700 outputs on 512 x 512 tiles: R = 2, C = 2; tiles (rows used x columns used):
        // (0,0) 512 x 512 "+", (0,1) 512 x 188 bipolar, (1,0) 88 x 512 "-", (1,1) 88 x 188 bipolar
        LayerDesign d = BASE.withMapping(TileConfig.Mapping.PER_TILE_SIGN, 1);
        LayerShape s = LayerShape.linear("fc", 600, 700);
        int[][] signs = {{1, 0}, {-1, 0}};
        LayerCost c = new CostModel(T512, UNIT, AdcScaling.WALDEN).layer(s, d, signs);
        // cells: 512*512*1 + 512*188*2 + 88*512*1 + 88*188*2 = 262144 + 192512 + 45056 + 33088
        assertEquals(532_800, c.cells());
        assertEquals(532_800, c.cellReads()); // one pass
        assertEquals(700 * 2, c.adcConversions()); // every used column of both row-tiles, signed or not
        assertEquals(188 + 188, c.subtractions()); // only the columns of the two bipolar tiles
        // arrays: 1 + 2 + 1 + 2 = 6 tile arrays of 512 x 512 positions of 0.01 um2
        assertEquals(6 * 512 * 512 * 0.01, c.arrayAreaUm2(), 1e-6);
        // periphery per tile as the differential test above, minus the 512 subtractors (3 um2) of the 2 signed tiles
        assertEquals(4 * (512 + 512 * 12 + 512 * 4 + 100 + 10) - 2 * 512 * 3, c.peripheryAreaUm2(), 1e-6);
        // all-bipolar signs cost exactly what the differential mapping costs; all-signed what unipolar costs
        LayerCost pairs = new CostModel(T512, UNIT, AdcScaling.WALDEN).layer(s, d, new int[][] {{0, 0}, {0, 0}});
        LayerCost diff = cost(s, BASE);
        assertEquals(diff.cells(), pairs.cells());
        assertEquals(diff.subtractions(), pairs.subtractions());
        assertEquals(diff.areaUm2(), pairs.areaUm2(), 1e-6);
        assertEquals(diff.energyPj(), pairs.energyPj(), 1e-6);
        LayerCost one = new CostModel(T512, UNIT, AdcScaling.WALDEN).layer(s, d, new int[][] {{1, -1}, {-1, 1}});
        LayerCost uni = cost(s, BASE.withMapping(TileConfig.Mapping.UNIPOLAR, 1));
        assertEquals(uni.cells(), one.cells());
        assertEquals(0, one.subtractions());
        assertEquals(uni.areaUm2(), one.areaUm2(), 1e-6);
        assertEquals(uni.energyPj(), one.energyPj(), 1e-6);
        // without signs a per-tile-sign layer is costed as pairs throughout (the upper bound)
        assertEquals(diff.cells(), cost(s, d).cells());
        ConfigException e = assertThrows(ConfigException.class,
                () -> new CostModel(T512, UNIT, AdcScaling.WALDEN).layer(s, d, new int[][] {{1, 0}}));
        assertEquals(true, e.getMessage().contains("tile-signs"), e.getMessage());
    }

    @Test
    void digitalPairReadoutConvertsBothDevicesAndHasNoSubtractor() {
        // 1000 x 300 differential as in differentialLinearOnTwoRowTiles, each pair column converted twice
        CostModel digital = new CostModel(T512, UNIT, AdcScaling.WALDEN, PairReadout.DIGITAL);
        LayerCost c = digital.layer(LayerShape.linear("fc", 1000, 300), BASE);
        assertEquals(1200, c.adcConversions()); // 300 columns x 2 devices x 2 row-tiles
        assertEquals(1200, c.sampleHolds());
        assertEquals(0, c.subtractions());
        assertEquals(600 + 600, c.digitalOps()); // partial sums and scale as before, plus one subtraction per pair
        assertEquals(1000L * 300 * 2, c.cells());
        // per tile: 512 DACs of 1, 2 x 512 ADCs of 10 + S+A of 2, 2 x 512 S+H of 1, no subtractor, 100 + 10
        assertEquals(2 * (512 + 2 * 512 * 12 + 2 * 512 + 100 + 10), c.peripheryAreaUm2(), 1e-6);
        // unipolar layers are costed the same either way
        LayerDesign uni = BASE.withMapping(TileConfig.Mapping.UNIPOLAR, 1);
        LayerCost a = cost(LayerShape.linear("fc", 1000, 300), uni);
        LayerCost b = digital.layer(LayerShape.linear("fc", 1000, 300), uni);
        assertEquals(a.areaUm2(), b.areaUm2(), 1e-9);
        assertEquals(a.energyPj(), b.energyPj(), 1e-9);
        // per-tile signs: rows 0..511 on a "+" tile, rows 512..999 (488) on a bipolar tile
        LayerDesign pts = BASE.withMapping(TileConfig.Mapping.PER_TILE_SIGN, 1);
        LayerCost t = digital.layer(LayerShape.linear("fc", 1000, 300), pts, new int[][] {{1}, {0}});
        assertEquals(300 + 2 * 300, t.adcConversions());
        assertEquals(0, t.subtractions());
        assertEquals(512L * 300 + 488L * 300 * 2, t.cells());
        assertEquals((512 + 512 * 12 + 512 + 110) + (512 + 2 * 512 * 12 + 2 * 512 + 110), t.peripheryAreaUm2(),
                1e-6);
        assertEquals(PairReadout.DIGITAL, PairReadout.parse("--pair-readout", "Digital"));
        ConfigException e = assertThrows(ConfigException.class, () -> PairReadout.parse("--pair-readout", "x"));
        assertEquals("--pair-readout must be analog or digital, got x", e.getMessage());
    }

    /** The ratio readout's reference cells: a fixed number per tile, read with every multiply; nothing else moves. */
    @Test
    void ratioReadoutAddsItsReferenceCellsToEveryTile() {
        LayerShape s = LayerShape.linear("fc", 1000, 300); // 2 row-tiles x 1 column-tile
        LayerCost base = cost(s, BASE);
        LayerCost c = new CostModel(T512, UNIT, AdcScaling.WALDEN).withRatioReferenceCells(8).layer(s, BASE);
        assertEquals(base.cells() + 2 * 8, c.cells());
        assertEquals(base.cellReads() + 2 * 8, c.cellReads(), 1e-9);
        assertEquals(base.cellEnergyPj() + 16 * UNIT.cell().energyPj(), c.cellEnergyPj(), 1e-9);
        assertEquals(base.adcConversions(), c.adcConversions(), 0);
        assertEquals(base.peripheryAreaUm2(), c.peripheryAreaUm2(), 0);
        assertThrows(ConfigException.class, () -> new CostModel(T512, UNIT, AdcScaling.WALDEN)
                .withRatioReferenceCells(-1));
    }

    @Test
    void bitStreamingAndSlicesMultiplyConversions() {
        // 1-bit DAC for 8-bit inputs: 8 passes; 2-bit cells for 8-bit weights: 4 slices (1200 columns, C = 3)
        LayerDesign d = BASE.withDacBits(1).withCellBits(2);
        LayerCost c = cost(LayerShape.linear("fc", 1000, 300), d);
        assertEquals(8, d.passes());
        assertEquals(4, d.slices());
        assertEquals(2, c.rowTiles());
        assertEquals(3, c.colTiles());
        assertEquals(1000L * 1200 * 2, c.cells());
        assertEquals(1000.0 * 3 * 8, c.dacConversions()); // each column-tile drives its own rows, 8 passes
        assertEquals(1200.0 * 2 * 8, c.adcConversions());
        assertEquals(c.adcConversions(), c.shiftAdds()); // every conversion is shift-added
        assertEquals(1000.0 * 1200 * 2 * 8, c.cellReads());
        assertEquals(1000.0 * 3 * 8 * Math.pow(2, 1 - 8), c.dacEnergyPj(), 1e-9); // DAC energy halves per bit
        assertEquals(8, c.latencyNs(), 1e-12);
    }

    @Test
    void offsetMappingHasAReferenceColumnPerTile() {
        LayerDesign d = BASE.withMapping(TileConfig.Mapping.UNIPOLAR_OFFSET, 1);
        LayerCost fits = cost(LayerShape.linear("fc", 100, 511), d); // 511 weight columns + the reference column
        assertEquals(1, fits.colTiles());
        assertEquals(100L * 511 + 100, fits.cells());
        assertEquals(511, fits.subtractions()); // the reference current is subtracted before each conversion
        LayerCost spills = cost(LayerShape.linear("fc", 100, 512), d);
        assertEquals(2, spills.colTiles());
        assertEquals(100L * 512 + 2 * 100, spills.cells());
        LayerCost unipolar = cost(LayerShape.linear("fc", 100, 512),
                BASE.withMapping(TileConfig.Mapping.UNIPOLAR, 1));
        assertEquals(1, unipolar.colTiles());
        assertEquals(100L * 512, unipolar.cells());
        assertEquals(0, unipolar.subtractions());
        LayerCost multi = cost(LayerShape.linear("fc", 100, 10), BASE.withMapping(TileConfig.Mapping.MULTI, 2));
        assertEquals(100L * 10 * 4, multi.cells()); // two pairs per weight, combined in analog: one conversion
        assertEquals(10, multi.adcConversions());
    }

    @Test
    void convolutionTilesWholeChannelsAndCountsOutputPixels() {
        // 16 channels x 3x3 = 144 rows; 64-row tiles hold 7 channels (63 rows): R = 3; 100 output pixels
        TileConfig t64 = TileConfig.builder().tileSize(64, 64).build();
        LayerCost c = new CostModel(t64, UNIT, AdcScaling.WALDEN).layer(LayerShape.conv("conv", 16, 32, 3, 100),
                LayerDesign.of(t64));
        assertEquals(3, c.rowTiles());
        assertEquals(1, c.colTiles());
        assertEquals(100.0 * 144, c.dacConversions());
        assertEquals(100.0 * 32 * 3, c.adcConversions());
        assertEquals(100.0 * 32 * 3, c.digitalOps());
        assertEquals(144.0 * 32 / (3 * 64 * 64), c.occupancy(), 1e-12);
    }

    @Test
    void adcScalingsFollowTheirLaws() {
        LayerShape s = LayerShape.linear("fc", 64, 64);
        double e8 = cost(s, BASE).adcEnergyPj();
        assertEquals(e8 / 16, cost(s, BASE.withAdcBits(4)).adcEnergyPj(), 1e-12); // Walden: 2^-4
        CostModel thermal = new CostModel(T512, UNIT, AdcScaling.THERMAL);
        assertEquals(e8 / 256, thermal.layer(s, BASE.withAdcBits(4)).adcEnergyPj(), 1e-12); // thermal: 4^-4
        assertEquals(4 * e8, thermal.layer(s, BASE.withAdcBits(9)).adcEnergyPj(), 1e-12);
        assertEquals(10.0 / 16, UNIT.adc().areaUm2(4, AdcScaling.WALDEN), 1e-12);
    }

    @Test
    void sharedAdcsAreFewerButSlower() {
        LayerCost c = cost(LayerShape.linear("fc", 512, 512), BASE.withColsPerAdc(128));
        assertEquals(128, c.latencyNs(), 1e-9); // one ADC converts 128 columns at 1 GS/s
        // 4 ADCs (+4 shift-adds) instead of 512
        assertEquals(512 + 4 * 12 + 512 * 4 + 100 + 10, c.peripheryAreaUm2(), 1e-6);
    }

    @Test
    void networkTotalsAreSumsOfRows() {
        CostModel m = new CostModel(T512, UNIT, AdcScaling.WALDEN);
        NetworkCost n = m.cost(List.of(LayerShape.linear("a", 1000, 300), LayerShape.linear("b", 300, 10)),
                s -> BASE);
        assertEquals(3, n.tiles());
        assertEquals(600 + 10, n.adcConversions());
        assertEquals(n.layers().get(0).energyPj() + n.layers().get(1).energyPj(), n.energyPj(), 1e-9);
        assertEquals(2, n.latencyNs(), 1e-12);
    }

    @Test
    void badSettingsNameTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> BASE.withAdcBits(0));
        assertEquals("adc-bits must be in [1, 16], got 0", e.getMessage());
        e = assertThrows(ConfigException.class, () -> new CostComponents.PerEvent(-1, 0, "x"));
        assertEquals("energyPj must be a finite number >= 0, got -1.0", e.getMessage());
    }
}
