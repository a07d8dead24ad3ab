package dev.aimc.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a placement agent found: the best placement it evaluated, its reward, and every distinct placement it
 * evaluated with its reward (in order of first evaluation).
 *
 * @param best the best placement evaluated (ties: the first evaluated)
 * @param bestReward its reward
 * @param evaluated every distinct placement evaluated, in order, with its reward
 * @param episodes episodes (sampled placements, with repeats) the agent ran; for greedy the evaluations
 */
public record PlacementResult(boolean[] best, double bestReward, Map<String, Double> evaluated, int episodes) {
    /**
     * The key of a placement in {@link #evaluated}: one character per site, '1' placed, '0' not.
     *
     * @param placement the flags
     * @return e.g. "01001"
     */
    public static String key(boolean[] placement) {
        StringBuilder b = new StringBuilder(placement.length);
        for (boolean x : placement) {
            b.append(x ? '1' : '0');
        }
        return b.toString();
    }

    /**
     * The placement of a key.
     *
     * @param key one character per site, '1' placed
     * @return the flags
     */
    public static boolean[] parse(String key) {
        boolean[] p = new boolean[key.length()];
        for (int i = 0; i < p.length; i++) {
            p[i] = key.charAt(i) == '1';
        }
        return p;
    }

    /**
     * The labels of the placed sites.
     *
     * @param problem gives the labels
     * @param placement the flags
     * @return the labels of the sites placed, in site order
     */
    public static List<String> labels(PlacementProblem problem, boolean[] placement) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < placement.length; i++) {
            if (placement[i]) {
                l.add(problem.label(i));
            }
        }
        return l;
    }

    @Override
    public String toString() {
        return key(best) + " reward " + bestReward + " (" + evaluated.size() + " placements evaluated, " + episodes
                + " episodes)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlacementResult r && Arrays.equals(best, r.best) && bestReward == r.bestReward
                && evaluated.equals(r.evaluated) && episodes == r.episodes;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(best) * 31 + evaluated.hashCode();
    }
}
