package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.search.ParetoEvolution;
import dev.aimc.util.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link LeNetDesign}: its layers as the cost model sees them, its tile signs, its graph, training and space. */
class LeNetDesignTest {
    static final int[] LENET5 = {6, 16, 120, 84};

    static LeNetDesign cifar(int[] widths, String signs) {
        return new LeNetDesign(3, 32, 0, widths, 10, signs);
    }

    static NetworkCost cost(SearchDesign d) {
        return new CostModel(DesignSpaceTest.T128, DesignSpaceTest.UNIT, AdcScaling.WALDEN).cost(d.layerShapes(),
                s -> DesignSpaceTest.DESIGN, s -> d.tileSignArray(d.layerShapes().indexOf(s), 128, 128));
    }

    @Test
    void layerShapesAreTheUnrolledMatricesAndOutputPixelsOfTheNetwork() {
        LeNetDesign d = cifar(LENET5, "0+-+0");
        assertEquals("lenet5 6-16-120-84 0+-+0", d.label());
        assertEquals(List.of(LayerShape.conv("0", 3, 6, 5, 28 * 28), LayerShape.conv("3", 6, 16, 5, 10 * 10),
                LayerShape.linear("7", 400, 120), LayerShape.linear("9", 120, 84), LayerShape.linear("11", 84, 10)),
                d.layerShapes());
        try (NDManager m = NDManager.newBaseManager()) {
            GraphNetwork net = new GraphNetwork(d.graph(), m);
            assertEquals(62_006L, net.parameterCount());
            assertEquals(LayerShape.of(net, new Shape(3, 32, 32)), d.layerShapes(), "as a forward pass finds them");
            LeNetDesign wide = cifar(new int[] {32, 24, 240, 48}, "00000");
            GraphNetwork w = new GraphNetwork(wide.graph(), m);
            assertEquals(LayerShape.of(w, new Shape(3, 32, 32)), wide.layerShapes());
            assertEquals(new Shape(2, 10), w.forward(m.zeros(new Shape(2, 3, 32, 32)), false).getShape());
            LeNetDesign mnist = new LeNetDesign(1, 28, 2, LENET5, 10, "00000");
            assertEquals(LayerShape.of(new GraphNetwork(mnist.graph(), m), new Shape(1, 28, 28)),
                    mnist.layerShapes());
        }
    }

    @Test
    void tileSignsCutConvolutionsByWholeInputChannels() {
        // 128-row tiles hold 5 input channels of a 5x5 kernel (125 rows): conv2's 32 x 25 = 800 inputs take 7
        // row-tiles; fc1's 24 x 5 x 5 = 600 inputs 5 row-tiles of 128 and its 240 outputs 2 column-tiles
        LeNetDesign d = cifar(new int[] {32, 24, 240, 84}, "0+-+0");
        assertEquals(Map.of("0", "0", "3", "+/+/+/+/+/+/+", "7", "--/--/--/--/--", "9", "+/+", "11", "0"),
                d.tileSigns(128, 128));
        assertArrayEquals(new int[][] {{-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}, {-1, -1}}, d.tileSignArray(2, 128,
                128));
        // 512-row tiles: 20 channels (500 rows) per row-tile
        assertEquals(Map.of("0", "0", "3", "+/+", "7", "-/-", "9", "+", "11", "0"), d.tileSigns(512, 512));
        // LeNet-5: cells 75 x 6 x 2 + 150 x 16 + 400 x 120 + 120 x 84 + 84 x 10 x 2 (bipolar: a pair per weight)
        LeNetDesign l = cifar(LENET5, "0+-+0");
        assertEquals(75L * 6 * 2 + 150 * 16 + 400 * 120 + 120 * 84 + 84 * 10 * 2, cost(l).cells());
        assertEquals(1 + 2 + 4 + 1 + 1, cost(l).layers().stream().mapToLong(c -> c.rowTiles()).sum());
        NetworkCost all = cost(cifar(LENET5, "00000"));
        assertEquals(2 * (75L * 6 + 150 * 16 + 400 * 120 + 120 * 84 + 84 * 10), all.cells());
        assertTrue(cost(l).areaUm2() < all.areaUm2());
        ConfigException e = assertThrows(ConfigException.class, () -> cifar(LENET5, "0+-+"));
        assertTrue(e.getMessage().startsWith("sign modes must give one of +, - or 0 per layer (5)"), e.getMessage());
        assertThrows(ConfigException.class, () -> cifar(new int[] {6, 16, 120}, "00000"));
        assertThrows(ConfigException.class, () -> cifar(new int[] {6, 0, 120, 84}, "00000"));
    }

    @Test
    void proxyTrainingTrainsASignedLenetReproducibly() {
        Dataset all = DataSets.embeddedMnist(Split.TRAIN);
        Dataset train = all.subset("t", IntStream.range(0, 192).toArray());
        Dataset val = all.subset("v", IntStream.range(9_872, 10_000).toArray());
        ProxyTraining p = new ProxyTraining(1, 1, 0.05, 0.05, 2, 8, 8, 3);
        LeNetDesign d = new LeNetDesign(1, 28, 2, new int[] {4, 8, 32, 16}, 10, "0+-+0");
        double a = p.score(d, train, val, "mnist-subset");
        assertEquals(a, p.score(d, train, val, "mnist-subset"), 0.0, "the same seed, the same accuracy");
        assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        assertEquals(Map.of("3", "+", "7", "-", "9", "+"), p.options(d, 512, 512).tileSigns(),
                "bipolar layers left unsigned");
    }

    /** A synthetic accuracy: signed layers cost 0.02 each, narrow convolutions 0.01 per step below 16 channels. */
    static ParetoEvolution.Score synthetic(LeNetDesign d) {
        double v = 1;
        for (char c : d.signs().toCharArray()) {
            v -= c == '0' ? 0 : 0.02;
        }
        int[] w = d.widths();
        v -= 0.01 * (Math.max(0, 4 - Integer.numberOfTrailingZeros(w[0])) + Math.max(0,
                4 - Integer.numberOfTrailingZeros(w[1])));
        return new ParetoEvolution.Score(cost(d).areaUm2(), v);
    }

    @Test
    void lenetSpaceSearchesWithinItsChoicesReproducibly() {
        Function<LeNetDesign, ParetoEvolution.Score> f = LeNetDesignTest::synthetic;
        LeNetDesign like = cifar(LENET5, "00000");
        DesignSpace<LeNetDesign> space = DesignSpace.lenet(like, new int[] {16, 4, 8}, new int[] {32, 64}, "+-0", f);
        assertEquals(3 * 3 * 2 * 2 * Math.pow(3, 5), space.size());
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            LeNetDesign d = space.mutate(space.crossover(space.random(r), space.random(r), r), r);
            int[] w = d.widths();
            assertTrue(List.of(4, 8, 16).contains(w[0]) && List.of(4, 8, 16).contains(w[1]), d.label());
            assertTrue(List.of(32, 64).contains(w[2]) && List.of(32, 64).contains(w[3]), d.label());
            assertEquals(5, d.signs().length());
        }
        ParetoEvolution evo = new ParetoEvolution(40, 8, 0.9, 2);
        LeNetDesign base = space.baseline(new int[] {8, 16, 64, 32});
        assertEquals("lenet5 8-16-64-32 00000", base.label());
        ParetoEvolution.Result<LeNetDesign> a = evo.run(space, List.of(base), null);
        ParetoEvolution.Result<LeNetDesign> b = evo.run(space, List.of(base), null);
        assertEquals(40, a.evaluated().size());
        assertEquals(a.evaluated().stream().map(ParetoEvolution.Evaluated::key).toList(),
                b.evaluated().stream().map(ParetoEvolution.Evaluated::key).toList());
        assertNotEquals(a.front().get(0).key(), base.label(), "a cheaper signed design is on the front");
        assertTrue(assertThrows(ConfigException.class, () -> space.baseline(LENET5)).getMessage()
                .startsWith("--baseline width 1 must be one of the searched widths [4, 8, 16], got 6"));
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.lenet(like, new int[] {}, new int[] {8},
                "+", f)).getMessage().startsWith("--conv-widths"));
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.lenet(like, new int[] {4}, new int[] {0},
                "+", f)).getMessage().startsWith("--fc-widths"));
        assertTrue(assertThrows(ConfigException.class, () -> DesignSpace.lenet(like, new int[] {4, 4},
                new int[] {8}, "+", f)).getMessage().startsWith("--conv-widths must be distinct"));
    }
}
