package dev.aimc.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The greedy baseline of placement: rank the sites by their sensitivity, the gain of placing at that site alone
 * (r({l}) − r(∅)), then evaluate the prefixes of that ranking (the top 1, top 2, … sites) and keep the best. Costs
 * 1 + K + (K − 1) evaluations at most, in two batches ({@link PlacementProblem#rewards}): the empty placement and
 * the K single sites, then the prefixes. It misses placements whose sites only pay off together.
 */
public final class GreedyPlacement {
    private GreedyPlacement() {}

    /**
     * Runs the greedy placement.
     *
     * @param problem the environment
     * @return the best placement evaluated (the empty one included), every distinct placement's reward
     */
    public static PlacementResult search(PlacementProblem problem) {
        int k = problem.sites();
        RewardCache cache = new RewardCache(problem);
        List<boolean[]> singles = new ArrayList<>();
        singles.add(new boolean[k]);
        for (int l = 0; l < k; l++) {
            boolean[] one = new boolean[k];
            one[l] = true;
            singles.add(one);
        }
        cache.evaluate(singles); // the empty placement and every site alone: one batch
        double none = cache.reward(singles.get(0));
        double[] gain = new double[k];
        List<Integer> order = new ArrayList<>();
        for (int l = 0; l < k; l++) {
            gain[l] = cache.reward(singles.get(l + 1)) - none;
            order.add(l);
        }
        order.sort(Comparator.comparingDouble((Integer l) -> -gain[l]).thenComparingInt(l -> l));
        List<boolean[]> prefixes = new ArrayList<>();
        boolean[] prefix = new boolean[k];
        for (int l : order) {
            prefix[l] = true;
            prefixes.add(prefix.clone());
        }
        cache.evaluate(prefixes); // the prefixes of the ranking: the second batch
        return cache.result(0);
    }

    /**
     * The sensitivity ranking alone: the gain of each site placed alone.
     *
     * @param problem the environment (evaluated 1 + K times)
     * @return r({l}) − r(∅) per site
     */
    public static double[] singleSiteGains(PlacementProblem problem) {
        int k = problem.sites();
        double none = problem.reward(new boolean[k]);
        double[] g = new double[k];
        for (int l = 0; l < k; l++) {
            boolean[] one = new boolean[k];
            one[l] = true;
            g[l] = problem.reward(one) - none;
        }
        return g;
    }
}
