package dev.aimc.search;

/**
 * A set of binary decisions, one per site (e.g. "place error compensation after layer l"), scored as a whole: the
 * environment of {@link ReinforcePlacement} and {@link GreedyPlacement}. Implementations may be expensive (train and
 * evaluate a network); the agents cache rewards by placement, so {@link #reward} is called once per distinct
 * placement and should be deterministic for a given placement.
 */
public interface PlacementProblem {
    /**
     * The number of sites.
     *
     * @return K ≥ 1
     */
    int sites();

    /**
     * The reward of a placement (higher is better), e.g. Monte-Carlo accuracy minus a weighted overhead.
     *
     * @param placement one flag per site, length {@link #sites()} (not modified)
     * @return the reward, finite
     */
    double reward(boolean[] placement);

    /**
     * The rewards of several placements, which an implementation may evaluate side by side (e.g. as the tasks of a
     * cluster job); the agents hand it each batch of distinct placements their algorithm knows before it needs any
     * of their rewards. Default: {@link #reward} of each, in order.
     *
     * @param placements distinct placements, each one flag per site (not modified)
     * @return their rewards, in order, finite
     */
    default double[] rewards(java.util.List<boolean[]> placements) {
        double[] r = new double[placements.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = reward(placements.get(i));
        }
        return r;
    }

    /**
     * A label of a site for logs and reports.
     *
     * @param site the site index in [0, sites())
     * @return its label (default: the index)
     */
    default String label(int site) {
        return Integer.toString(site);
    }
}
