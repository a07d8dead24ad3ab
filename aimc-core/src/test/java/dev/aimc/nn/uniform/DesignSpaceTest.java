package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerDesign;
import dev.aimc.cost.NetworkCost;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.search.ParetoEvolution;
import dev.aimc.search.ParetoFront;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link MlpDesign} and the search over {@link DesignSpace#mlp} with a synthetic objective (no training). */
class DesignSpaceTest {
    /** Every figure 1 pJ (cells 0.01 um2, subtractor 3 um2), so cost differences are countable. */
    static final CostComponents UNIT = dev.aimc.cost.CostModelTest.UNIT;
    static final TileConfig T128 = TileConfig.builder().tileSize(128, 128).build();
    static final LayerDesign DESIGN = new LayerDesign(8, 8, 8, 2, 2, TileConfig.Mapping.PER_TILE_SIGN, 1, 1);

    static NetworkCost cost(MlpDesign d) {
        return new CostModel(T128, UNIT, AdcScaling.WALDEN).cost(d.layerShapes(), s -> DESIGN,
                s -> d.tileSignArray(d.layerShapes().indexOf(s), 128, 128));
    }

    @Test
    void designNamesItsLayersTilesAndGraph() {
        MlpDesign d = new MlpDesign(265, new int[] {128, 64}, 6, "+0-");
        assertEquals("265-128-64-6 +0-", d.label());
        assertArrayEquals(new int[] {265, 128, 64, 6}, d.widths());
        // 265 inputs on 128-row tiles: 3 row-tiles of fc1; one tile each for fc2 and fc3
        assertEquals(Map.of("fc1", "+/+/+", "fc2", "0", "fc3", "-"), d.tileSigns(128, 128));
        assertEquals(Map.of("fc1", "+", "fc2", "0", "fc3", "-"), d.tileSigns(512, 512));
        assertArrayEquals(new int[][] {{1}, {1}, {1}}, d.tileSignArray(0, 128, 128));
        assertArrayEquals(new int[][] {{-1}}, d.tileSignArray(2, 128, 128));
        // cells: fc1 265 x 128 x 1, fc2 128 x 64 x 2, fc3 64 x 6 x 1
        assertEquals(265L * 128 + 128L * 64 * 2 + 64L * 6, cost(d).cells());
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork net = new GraphNetwork(d.graph(), m);
            assertEquals(265L * 128 + 128 + 128L * 64 + 64 + 64L * 6 + 6, net.parameterCount());
            NDArray y = net.forward(m.zeros(new Shape(3, 265)), false);
            assertEquals(new Shape(3, 6), y.getShape());
        }
        assertEquals('0', SearchDesign.parseMode("--sign-modes", "bipolar"));
        ConfigException e = assertThrows(ConfigException.class, () -> SearchDesign.parseMode("--sign-modes", "x"));
        assertEquals("--sign-modes must be +, - or bipolar, got x", e.getMessage());
        assertThrows(ConfigException.class, () -> new MlpDesign(265, new int[] {128}, 6, "+x"));
    }

    /**
     * A synthetic accuracy: best at widths (64, 32) and all bipolar; each signed layer costs 0.02, each width step
     * away from the optimum 0.01. The cost is the real area of the cost model on unit figures.
     */
    static ParetoEvolution.Score synthetic(MlpDesign d) {
        int[] h = d.hidden();
        double v = 1 - 0.01 * (Math.abs(Integer.numberOfTrailingZeros(h[0]) - 6)
                + Math.abs(Integer.numberOfTrailingZeros(h[1]) - 5));
        for (char c : d.signs().toCharArray()) {
            v -= c == '0' ? 0 : 0.02;
        }
        return new ParetoEvolution.Score(cost(d).areaUm2(), v);
    }

    @Test
    void searchFindsTheBruteForceFrontReproducibly() {
        int[] widths = {16, 32, 64, 128, 256};
        Function<MlpDesign, ParetoEvolution.Score> f = DesignSpaceTest::synthetic;
        DesignSpace<MlpDesign> space = DesignSpace.mlp(265, 6, 2, widths, "+-0", f);
        assertEquals(25 * 27, space.size());
        List<ParetoEvolution.Score> all = new ArrayList<>();
        for (int a : widths) {
            for (int b : widths) {
                for (String s : List.of("+", "-", "0")) {
                    for (String t : List.of("+", "-", "0")) {
                        for (String u : List.of("+", "-", "0")) {
                            all.add(synthetic(space.design(new int[] {a, b}, s + t + u)));
                        }
                    }
                }
            }
        }
        List<ParetoEvolution.Score> truth = ParetoFront.of(all, ParetoEvolution.Score::cost,
                ParetoEvolution.Score::value);
        // a budget of 150 (22 % of the space): reproducible for a seed, and the front found is the true front
        ParetoEvolution evo = new ParetoEvolution(150, 20, 0.9, 4);
        MlpDesign base = space.design(new int[] {128, 64}, "000");
        ParetoEvolution.Result<MlpDesign> a = evo.run(space, List.of(base), null);
        ParetoEvolution.Result<MlpDesign> b = evo.run(space, List.of(base), null);
        assertEquals("265-128-64-6 000", a.evaluated().get(0).key(), "the baseline is evaluated first");
        assertEquals(a.evaluated().stream().map(ParetoEvolution.Evaluated::key).toList(),
                b.evaluated().stream().map(ParetoEvolution.Evaluated::key).toList());
        int optimal = 0;
        for (ParetoEvolution.Evaluated<MlpDesign> e : a.front()) {
            boolean dominated = truth.stream().anyMatch(t -> ParetoFront.dominates(t.cost(), t.value(), e.cost(),
                    e.value()));
            optimal += dominated ? 0 : 1;
        }
        assertEquals(a.front().size(), optimal, "every front member is optimal in the whole space");
        // the area front has one point per tile count (4 here), and this seed finds all of them
        assertEquals(truth.stream().map(s -> s.cost() + "/" + s.value()).toList(),
                a.front().stream().map(e -> e.cost() + "/" + e.value()).toList());
    }

    @Test
    void badSpacesAreOneLineErrorsNamingTheOption() {
        Function<MlpDesign, ParetoEvolution.Score> f = DesignSpaceTest::synthetic;
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.mlp(265, 6, 2, new int[] {16}, "+x", f))
                .getMessage().startsWith("--sign-modes"));
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.mlp(265, 6, 2, new int[] {}, "+", f))
                .getMessage().startsWith("--widths"));
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.mlp(265, 6, 0, new int[] {8}, "+", f))
                .getMessage().startsWith("--hidden-layers"));
    }
}
