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

    /**
     * Parses "cosine", "step" or "none".
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
            case "none": return constant(lr);
            default: throw new ConfigException("--schedule must be one of cosine, step, none, got " + name);
        }
    }
}
