package dev.aimc.train;

import dev.aimc.util.ConfigException;

/** Learning rate as a function of training progress, evaluated every step. */
@FunctionalInterface
public interface LrSchedule {
    /**
     * Learning rate at global step {@code step} of {@code totalSteps}.
     *
     * @param step global step, 0-based
     * @param totalSteps steps in the whole run
     * @return the learning rate, ≥ 0
     */
    double lr(long step, long totalSteps);

    /**
     * A constant rate.
     *
     * @param lr the rate
     * @return a schedule returning {@code lr} at every step
     */
    static LrSchedule constant(double lr) {
        return (s, n) -> lr;
    }

    /**
     * Cosine annealing from {@code lr} to 0 over the run (per step).
     *
     * @param lr the initial rate
     * @return lr·(1 + cos(π·step/totalSteps))/2
     */
    static LrSchedule cosine(double lr) {
        return (s, n) -> 0.5 * lr * (1 + Math.cos(Math.PI * s / (double) n));
    }

    /**
     * Step decay: ×0.1 at 50 % and again at 75 % of the run (He et al. 2016's schedule, scaled to the run).
     *
     * @param lr the initial rate
     * @return the step-decay schedule
     */
    static LrSchedule step(double lr) {
        return (s, n) -> s < n / 2 ? lr : s < n * 3 / 4 ? lr * 0.1 : lr * 0.01;
    }

    /** One-cycle: fraction of the run spent warming up to the peak rate. */
    double ONE_CYCLE_WARMUP = 0.3;
    /** One-cycle: the rate starts at peak / {@value}. */
    double ONE_CYCLE_START_DIVISOR = 25;
    /** One-cycle: the rate ends at peak / ({@value #ONE_CYCLE_START_DIVISOR} · {@value}). */
    double ONE_CYCLE_END_DIVISOR = 1e4;

    /**
     * One-cycle (Smith &amp; Topin 2019, "super-convergence"): the rate rises linearly from lr/25 to {@code lr} over
     * the first 30 % of the steps, then falls along a half cosine to lr/(25·10⁴) at the last step. (Momentum is not
     * cycled; the optimizer keeps its constant μ.)
     *
     * @param lr the peak rate
     * @return the one-cycle schedule
     */
    static LrSchedule oneCycle(double lr) {
        double start = lr / ONE_CYCLE_START_DIVISOR;
        double end = start / ONE_CYCLE_END_DIVISOR;
        return (s, n) -> {
            double peakStep = ONE_CYCLE_WARMUP * n;
            if (s < peakStep) {
                return start + (lr - start) * s / peakStep;
            }
            double t = n - 1 > peakStep ? Math.min(1.0, (s - peakStep) / (n - 1 - peakStep)) : 1.0;
            return end + (lr - end) * 0.5 * (1 + Math.cos(Math.PI * t));
        };
    }

    /**
     * Parses "cosine", "step", "onecycle" or "none".
     *
     * @param name the schedule name; "none" is constant
     * @param lr the initial rate
     * @return the schedule
     * @throws ConfigException for any other name
     */
    static LrSchedule parse(String name, double lr) {
        switch (name) {
            case "cosine": return cosine(lr);
            case "step": return step(lr);
            case "onecycle": return oneCycle(lr);
            case "none": return constant(lr);
            default: throw new ConfigException("--schedule must be one of cosine, step, onecycle, none, got " + name);
        }
    }
}
