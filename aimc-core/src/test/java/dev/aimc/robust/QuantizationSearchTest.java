package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.util.ConfigException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The cost of the simulated bit-sliced periphery and the quantization search on a synthetic accuracy model. */
class QuantizationSearchTest {
    /** 1 pJ per event, ADC 1 pJ at 8 bits: the cost model's own test table. */
    static final CostComponents UNIT = dev.aimc.cost.CostModelTest.UNIT;
    static final List<LayerShape> SHAPES = List.of(LayerShape.linear("a", 100, 50), LayerShape.linear("b", 50, 10));

    @Test
    void costCountsOneAdcConversionPerColumnWhateverTheSlices() {
        // the simulated periphery sums the slices in analog before one ADC: 50 + 10 conversions per inference
        for (int cell = 1; cell <= 4; cell++) {
            RramVariation hw = RramVariation.of(0.3, cell, 9);
            NetworkCost c = hw.cost(SHAPES, UNIT, AdcScaling.WALDEN);
            assertEquals(60, c.adcConversions(), 1e-9, "cell bits " + cell);
            assertEquals(60, c.adcEnergyPj(), 1e-9, "8-bit ADC, 1 pJ per conversion");
            int p = (8 + cell - 1) / cell; // slices of a 9-bit weight
            assertEquals((100 * 50 + 50 * 10) * 2L * p, c.cells(), "2 devices per pair, " + p + " pairs");
        }
        // a 6-bit ADC in layer a: 50 conversions at 2^-2 pJ + 10 at 1 pJ
        RramVariation six = RramVariation.of(0.3, 2, 9).withLayerAdcBits(java.util.Map.of("a", 6));
        assertEquals(50 * 0.25 + 10, six.cost(SHAPES, UNIT, AdcScaling.WALDEN).adcEnergyPj(), 1e-9);
        assertEquals(50 * 0.0625 + 10, six.cost(SHAPES, UNIT, AdcScaling.THERMAL).adcEnergyPj(), 1e-9);
    }

    /**
     * Accuracy 0.9 minus 0.05 per ADC bit below 6 in layer b, nothing for layer a down to 3 bits, and 0.004 for 4-bit
     * cells (2:9 is exact) in either layer: with a margin of 2 points the cheapest feasible design is a at 3 bits
     * (the minimum) and b at 6, on 2-bit cells (the 4-bit cells cost accuracy and save no ADC energy).
     */
    static ChipMonteCarlo.Result synthetic(RramVariation hw) {
        double acc = 0.9 - 0.05 * Math.max(0, 6 - hw.bitsOf("b").adcBits())
                - (hw.bitsOf("a").cellBits() == 4 ? 0.004 : 0) - (hw.bitsOf("b").cellBits() == 4 ? 0.004 : 0);
        return ChipMonteCarlo.Result.of(new double[] {acc, acc});
    }

    @Test
    void greedySearchFindsTheCheapestDesignWithinTheMargin() {
        RramVariation base = RramVariation.of(0.3, 2, 9);
        QuantizationSearch.Space space = new QuantizationSearch.Space(List.of("a", "b"),
                List.of(new QuantizationSearch.CellChoice(2, 9), new QuantizationSearch.CellChoice(4, 9)), 3, 0.02,
                1000);
        Function<RramVariation, double[]> cost = hw -> {
            NetworkCost c = hw.cost(SHAPES, UNIT, AdcScaling.WALDEN);
            return new double[] {c.adcEnergyPj(), c.cells()};
        };
        QuantizationSearch.Result r = QuantizationSearch.run(base, space, cost, QuantizationSearchTest::synthetic,
                null);
        assertEquals(0.9, r.target(), 1e-12);
        assertEquals(60, r.baseline().adcEnergyPj(), 1e-9);
        RramVariation.LayerBits a = r.chosen().hw().bitsOf("a");
        RramVariation.LayerBits b = r.chosen().hw().bitsOf("b");
        assertEquals(List.of(3, 2, 6, 2), List.of(a.adcBits(), a.cellBits(), b.adcBits(), b.cellBits()),
                QuantizationSearch.describeLayers(r.chosen().hw(), space));
        assertEquals(50 / 32.0 + 10 / 4.0, r.chosen().adcEnergyPj(), 1e-9);
        // the front: cheapest first, accuracy rising, the chosen design on it
        assertTrue(r.front().contains(r.chosen()));
        for (int i = 1; i < r.front().size(); i++) {
            assertTrue(r.front().get(i).adcEnergyPj() > r.front().get(i - 1).adcEnergyPj());
            assertTrue(r.front().get(i).mean() > r.front().get(i - 1).mean());
        }
        // each design evaluated once; a budget of 3 stops early with the best found so far
        assertEquals(r.evaluated().stream().map(c -> c.hw().describe()).distinct().count(), r.evaluated().size());
        QuantizationSearch.Result small = QuantizationSearch.run(base, new QuantizationSearch.Space(space.layers(),
                space.cells(), 3, 0.02, 3), cost, QuantizationSearchTest::synthetic, null);
        assertEquals(3, small.evaluated().size());
    }

    @Test
    void eachDescentStepIsOneBatchAndTheSearchIsTheSame() {
        RramVariation base = RramVariation.of(0.3, 2, 9);
        QuantizationSearch.Space space = new QuantizationSearch.Space(List.of("a", "b"),
                List.of(new QuantizationSearch.CellChoice(2, 9), new QuantizationSearch.CellChoice(4, 9)), 3, 0.02,
                1000);
        Function<RramVariation, double[]> cost = hw -> {
            NetworkCost c = hw.cost(SHAPES, UNIT, AdcScaling.WALDEN);
            return new double[] {c.adcEnergyPj(), c.cells()};
        };
        for (int budget : new int[] {1000, 3}) {
            QuantizationSearch.Space sp = new QuantizationSearch.Space(space.layers(), space.cells(), 3, 0.02, budget);
            List<Integer> batches = new java.util.ArrayList<>();
            QuantizationSearch.Result batched = QuantizationSearch.runInBatches(base, sp, cost, hws -> {
                batches.add(hws.size());
                return hws.stream().map(hw -> new QuantizationSearch.Measured(synthetic(hw), 0)).toList();
            }, null);
            QuantizationSearch.Result one = QuantizationSearch.run(base, sp, cost, QuantizationSearchTest::synthetic,
                    null);
            assertEquals(one.evaluated().stream().map(c -> c.hw().describe() + " " + c.mean()).toList(),
                    batched.evaluated().stream().map(c -> c.hw().describe() + " " + c.mean()).toList());
            assertEquals(one.chosen().hw(), batched.chosen().hw());
            // the baseline alone, then every new move of a step together (two layers × two cells), cut at the budget
            assertEquals(1, batches.get(0));
            assertEquals(batched.evaluated().size(), batches.stream().mapToInt(Integer::intValue).sum());
            assertEquals(budget == 3 ? List.of(1, 2) : batches.subList(0, 2), batches.subList(0, 2));
            assertTrue(budget == 3 || batches.get(1) == 4 && batches.size() > 2, batches.toString());
        }
    }

    @Test
    void badInputNamesTheOption() {
        RramVariation base = RramVariation.of(0.3, 2, 9);
        ConfigException e = assertThrows(ConfigException.class, () -> QuantizationSearch.run(base,
                new QuantizationSearch.Space(List.of("a"), List.of(new QuantizationSearch.CellChoice(2, 9)), 9, 0.01,
                        10), hw -> new double[2], QuantizationSearchTest::synthetic, null));
        assertTrue(e.getMessage().startsWith("--adc-bits"), e.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> QuantizationSearch.CellChoice.parse("5:9"))
                .getMessage().contains("--cell-options"));
        assertTrue(assertThrows(ConfigException.class, () -> QuantizationSearch.CellChoice.parse("2-9"))
                .getMessage().contains("--cell-options"));
        assertTrue(assertThrows(ConfigException.class, () -> new QuantizationSearch.Space(List.of("a"),
                List.of(new QuantizationSearch.CellChoice(2, 9)), 1, 0.01, 10)).getMessage()
                .startsWith("--min-adc-bits"));
    }
}
