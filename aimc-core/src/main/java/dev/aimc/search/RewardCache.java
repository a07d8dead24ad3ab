package dev.aimc.search;

import java.util.LinkedHashMap;
import java.util.Map;

/** Rewards of a {@link PlacementProblem} by placement, each distinct placement evaluated once, in order. */
final class RewardCache {
    private final PlacementProblem problem;
    private final Map<String, Double> rewards = new LinkedHashMap<>();
    private boolean[] best;
    private double bestReward = Double.NEGATIVE_INFINITY;

    RewardCache(PlacementProblem problem) {
        this.problem = problem;
    }

    double reward(boolean[] p) {
        String k = PlacementResult.key(p);
        Double r = rewards.get(k);
        if (r == null) {
            r = problem.reward(p.clone());
            if (!Double.isFinite(r)) {
                throw new IllegalStateException("reward of " + k + " is not finite: " + r);
            }
            rewards.put(k, r);
            if (r > bestReward) {
                bestReward = r;
                best = p.clone();
            }
        }
        return r;
    }

    PlacementResult result(int episodes) {
        return new PlacementResult(best.clone(), bestReward, new LinkedHashMap<>(rewards), episodes);
    }
}
