package dev.aimc.search;

import dev.aimc.util.Check;
import java.util.SplittableRandom;

/**
 * A policy-gradient agent for K binary placement decisions (REINFORCE, R. J. Williams, Machine Learning 8, 1992,
 * with a moving-average baseline and a reward scale normalisation).
 *
 * <p><b>Why this algorithm (ours).</b> AMC (He et al., ECCV 2018) and HAQ (Wang et al., CVPR 2019) used DDPG
 * because their per-layer actions are continuous (a pruning ratio, a bit width) and the state (the layer's
 * description) carries over between networks. Placing compensation is a handful of binary decisions (one per analog
 * layer, K = 5 for LeNet-5) with one scalar reward for the whole placement; an actor-critic with replay buffers and
 * target networks has far more hyperparameters than the problem has decisions, and with at most 2^K distinct
 * placements its critic would be fitted to a few dozen points. The honest policy here is a factorised Bernoulli
 * policy π(x) = Π_l σ(θ_l)^{x_l}(1 − σ(θ_l))^{1 − x_l}, one logit per site, updated by
 * θ_l ← θ_l + α·(R − b)/s·(x_l − σ(θ_l)) (the score function of a Bernoulli in its logit), with b an exponential moving
 * average of the reward and s the moving standard deviation (so α does not depend on the reward's units). Every
 * distinct placement is evaluated once (the environment is deterministic for a seed: rewards are cached), so the
 * cost of the search is the number of distinct placements visited, which the result reports; the best placement
 * visited is returned, together with the converged policy's mode (evaluated too).
 *
 * <p><b>Batches (ours).</b> With {@code batch} B &gt; 1 the policy samples B episodes before it updates, so that
 * their placements can be evaluated side by side ({@link PlacementProblem#rewards}); the episodes of a batch then
 * take their steps in order, each with the score at the batch's policy and its weight divided by B (the mean
 * gradient of the batch), the baseline and scale moving after each as before. B = 1 is the agent above, step for
 * step.
 *
 * @param episodes sampled placements, ≥ 1
 * @param learningRate α, &gt; 0
 * @param baselineDecay decay of the moving average baseline and scale, in [0, 1)
 * @param initialProbability σ(θ_l) at the start, in (0, 1)
 * @param seed the seed of the sampling
 * @param batch episodes sampled from one policy before it is updated, ≥ 1
 */
public record ReinforcePlacement(int episodes, double learningRate, double baselineDecay, double initialProbability,
        long seed, int batch) {

    /**
     * Validates ({@link dev.aimc.util.ConfigException} naming the setting).
     *
     * @param episodes sampled placements, ≥ 1
     * @param learningRate α, &gt; 0
     * @param baselineDecay decay of the moving average baseline and scale, in [0, 1)
     * @param initialProbability σ(θ_l) at the start, in (0, 1)
     * @param seed the seed of the sampling
     * @param batch episodes sampled from one policy before it is updated, ≥ 1
     */
    public ReinforcePlacement {
        Check.range("--episodes", episodes, 1, 1_000_000);
        Check.positive("--rl-lr", learningRate);
        Check.range("baseline-decay", baselineDecay, 0, 0.999999);
        Check.range("initial-probability", initialProbability, 1e-6, 1 - 1e-6);
        Check.range("--rl-batch", batch, 1, 1_000_000);
    }

    /**
     * The agent that updates after every episode (batch 1).
     *
     * @param episodes sampled placements, ≥ 1
     * @param learningRate α, &gt; 0
     * @param baselineDecay decay of the moving average baseline and scale, in [0, 1)
     * @param initialProbability σ(θ_l) at the start, in (0, 1)
     * @param seed the seed of the sampling
     */
    public ReinforcePlacement(int episodes, double learningRate, double baselineDecay, double initialProbability,
            long seed) {
        this(episodes, learningRate, baselineDecay, initialProbability, seed, 1);
    }

    /**
     * Defaults: learning rate 0.5, baseline decay 0.8, initial probability 0.5.
     *
     * @param episodes sampled placements, ≥ 1
     * @param seed the seed of the sampling
     * @return the agent
     */
    public static ReinforcePlacement of(int episodes, long seed) {
        return new ReinforcePlacement(episodes, 0.5, 0.8, 0.5, seed);
    }

    /**
     * Runs the agent.
     *
     * @param problem the environment
     * @return the best placement visited (the policy's mode included), every distinct placement's reward
     */
    public PlacementResult search(PlacementProblem problem) {
        int k = problem.sites();
        Check.range("sites", k, 1, 62);
        RewardCache cache = new RewardCache(problem);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] theta = new double[k];
        double logit0 = Math.log(initialProbability / (1 - initialProbability));
        java.util.Arrays.fill(theta, logit0);
        double baseline = Double.NaN;
        double var = 0;
        for (int e = 0; e < episodes; ) {
            int n = Math.min(batch, episodes - e);
            double[] p = new double[k];
            boolean[][] xs = new boolean[n][k];
            for (int l = 0; l < k; l++) {
                p[l] = 1 / (1 + Math.exp(-theta[l]));
            }
            for (boolean[] x : xs) {
                for (int l = 0; l < k; l++) {
                    x[l] = rnd.nextDouble() < p[l];
                }
            }
            cache.evaluate(java.util.Arrays.asList(xs)); // the batch's new placements, side by side
            for (boolean[] x : xs) {
                double r = cache.reward(x);
                if (Double.isNaN(baseline)) {
                    baseline = r;
                    continue;
                }
                double adv = r - baseline;
                var = baselineDecay * var + (1 - baselineDecay) * adv * adv;
                double scale = Math.sqrt(var) + 1e-12;
                for (int l = 0; l < k; l++) {
                    theta[l] += learningRate * adv / scale * ((x[l] ? 1 : 0) - p[l]) / n;
                }
                baseline = baselineDecay * baseline + (1 - baselineDecay) * r;
            }
            e += n;
        }
        boolean[] mode = new boolean[k];
        for (int l = 0; l < k; l++) {
            mode[l] = theta[l] > 0;
        }
        cache.reward(mode);
        return cache.result(episodes);
    }
}
