package dev.aimc.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The placement agents on a small synthetic problem whose optimum is known by enumeration. */
class PlacementAgentTest {
    /**
     * Six sites: single gains g minus a cost of 0.1 per placed site, and a synergy of +0.5 when sites 2 and 4 are
     * both placed (each alone loses). The optimum, by enumeration of the 64 placements, is {0, 2, 3, 4}: 0.1 + 0.02 −
     * 0.05 − 0.06 + 0.5 = 0.51. Greedy ranks 0, 3, 5, 1, 2, 4 by single gain, so its prefixes reach the synergy only
     * with every site placed (0.45).
     */
    static final class Synthetic implements PlacementProblem {
        static final double[] GAIN = {0.2, 0.06, 0.05, 0.12, 0.04, 0.08};
        int calls;

        @Override
        public int sites() {
            return GAIN.length;
        }

        @Override
        public double reward(boolean[] x) {
            calls++;
            double r = 0;
            for (int l = 0; l < x.length; l++) {
                r += x[l] ? GAIN[l] - 0.1 : 0;
            }
            return r + (x[2] && x[4] ? 0.5 : 0);
        }
    }

    static boolean[] bruteForce(PlacementProblem p) {
        boolean[] best = null;
        double br = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < 1 << p.sites(); m++) {
            boolean[] x = new boolean[p.sites()];
            for (int l = 0; l < x.length; l++) {
                x[l] = (m >> l & 1) == 1;
            }
            double r = p.reward(x);
            if (r > br) {
                br = r;
                best = x;
            }
        }
        return best;
    }

    @Test
    void reinforceFindsTheKnownOptimumThatGreedyMisses() {
        boolean[] opt = bruteForce(new Synthetic());
        assertArrayEquals(new boolean[] {true, false, true, true, true, false}, opt);
        Synthetic env = new Synthetic();
        PlacementResult rl = ReinforcePlacement.of(200, 1).search(env);
        assertArrayEquals(opt, rl.best(), rl.toString());
        assertEquals(0.51, rl.bestReward(), 1e-12);
        assertEquals(env.calls, rl.evaluated().size(), "each distinct placement is evaluated once");
        assertTrue(rl.evaluated().size() < 64, "fewer evaluations than enumeration: " + rl.evaluated().size());

        PlacementResult greedy = GreedyPlacement.search(new Synthetic());
        assertNotEquals(PlacementResult.key(opt), PlacementResult.key(greedy.best()));
        assertArrayEquals(new boolean[] {true, true, true, true, true, true}, greedy.best());
        assertEquals(0.45, greedy.bestReward(), 1e-12);
    }

    /** The synthetic problem, recording the size of every batch of placements handed to it. */
    static final class Batched implements PlacementProblem {
        final Synthetic inner = new Synthetic();
        final List<Integer> batches = new ArrayList<>();

        @Override
        public int sites() {
            return inner.sites();
        }

        @Override
        public double reward(boolean[] x) {
            return rewards(List.of(x))[0];
        }

        @Override
        public double[] rewards(List<boolean[]> xs) {
            batches.add(xs.size());
            return xs.stream().mapToDouble(inner::reward).toArray();
        }
    }

    @Test
    void greedyIsTwoBatchesAndReinforceSamplesABatchPerUpdate() {
        Batched g = new Batched();
        assertEquals(GreedyPlacement.search(new Synthetic()), GreedyPlacement.search(g));
        assertEquals(List.of(7, 5), g.batches, "∅ and the six single sites, then the new prefixes");

        // batch 1 is the agent that updates after every episode: one placement at a time, the same search
        Batched one = new Batched();
        assertEquals(ReinforcePlacement.of(60, 5).search(new Synthetic()),
                new ReinforcePlacement(60, 0.5, 0.8, 0.5, 5, 1).search(one));
        assertTrue(one.batches.stream().allMatch(n -> n == 1), one.batches.toString());
        // batch 8: at most 8 new placements per update, and still the known optimum
        Batched eight = new Batched();
        PlacementResult r8 = new ReinforcePlacement(200, 0.5, 0.8, 0.5, 1, 8).search(eight);
        assertTrue(eight.batches.stream().allMatch(n -> n <= 8) && eight.batches.stream().anyMatch(n -> n > 1),
                eight.batches.toString());
        assertEquals(r8.evaluated().size(), eight.batches.stream().mapToInt(Integer::intValue).sum());
        assertEquals(0.51, r8.bestReward(), 1e-12, r8.toString());
        assertEquals(r8, new ReinforcePlacement(200, 0.5, 0.8, 0.5, 1, 8).search(new Synthetic()), "seeded");
    }

    @Test
    void seededRunsAreIdenticalAndSeedsDiffer() {
        PlacementResult a = ReinforcePlacement.of(60, 5).search(new Synthetic());
        PlacementResult b = ReinforcePlacement.of(60, 5).search(new Synthetic());
        assertEquals(a, b);
        PlacementResult c = ReinforcePlacement.of(60, 6).search(new Synthetic());
        assertNotEquals(a.evaluated().keySet().stream().toList(), c.evaluated().keySet().stream().toList());
    }
}
