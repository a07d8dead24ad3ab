package dev.aimc.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewards of a {@link PlacementProblem} by placement, each distinct placement evaluated once, in order; a batch's new
 * placements go to {@link PlacementProblem#rewards} together.
 */
final class RewardCache {
    private final PlacementProblem problem;
    private final Map<String, Double> rewards = new LinkedHashMap<>();
    private boolean[] best;
    private double bestReward = Double.NEGATIVE_INFINITY;

    RewardCache(PlacementProblem problem) {
        this.problem = problem;
    }

    double reward(boolean[] p) {
        evaluate(List.of(p));
        return rewards.get(PlacementResult.key(p));
    }

    /** Evaluates the placements not cached yet as one batch; afterwards every one of {@code ps} is cached. */
    void evaluate(List<boolean[]> ps) {
        List<boolean[]> fresh = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (boolean[] p : ps) {
            String k = PlacementResult.key(p);
            if (!rewards.containsKey(k) && keys.add(k)) {
                fresh.add(p.clone());
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        double[] r = problem.rewards(fresh);
        if (r.length != fresh.size()) {
            throw new IllegalStateException(fresh.size() + " placements evaluated as " + r.length);
        }
        for (int i = 0; i < r.length; i++) {
            String k = PlacementResult.key(fresh.get(i));
            if (!Double.isFinite(r[i])) {
                throw new IllegalStateException("reward of " + k + " is not finite: " + r[i]);
            }
            rewards.put(k, r[i]);
            if (r[i] > bestReward) {
                bestReward = r[i];
                best = fresh.get(i).clone();
            }
        }
    }

    PlacementResult result(int episodes) {
        return new PlacementResult(best.clone(), bestReward, new LinkedHashMap<>(rewards), episodes);
    }
}
