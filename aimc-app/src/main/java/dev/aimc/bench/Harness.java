package dev.aimc.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A small in-process benchmark harness: warm-up, then repeated timed runs, reported as medians.
 *
 * <p>Why not JMH: the quantities are whole batches (milliseconds to seconds of native PyTorch work), where
 * JIT and dead-code effects that JMH guards against are negligible, and what matters is comparing analog and
 * digital <em>in the same process under the same load</em>. JMH forks a JVM per benchmark (each reloading the
 * PyTorch native library and re-warming its allocator) and needs annotation processing in the build; a hand
 * harness ships inside {@code aimc} and runs on any installation.
 *
 * <p>{@link #interleaved} alternates the variants within every round (A, D, A, D, … with the order flipped
 * each round), so slow phases of a shared machine hit all variants alike and the ratio of medians stays
 * meaningful even when the absolute times are noisy.
 */
public final class Harness {
    private Harness() {}

    /**
     * How much to run.
     *
     * @param warmup untimed runs of every variant first
     * @param reps timed rounds wanted
     * @param minReps timed rounds always run, even over budget
     * @param budgetNanos stop after the round that exceeds this total timed time (Long.MAX_VALUE: no budget)
     */
    public record Plan(int warmup, int reps, int minReps, long budgetNanos) {
        /**
         * Validates the counts.
         *
         * @param warmup untimed runs of every variant first, ≥ 0
         * @param reps timed rounds wanted, ≥ 1
         * @param minReps timed rounds always run, in [1, reps]
         * @param budgetNanos total timed time after which no round starts, ns
         * @throws IllegalArgumentException when a count is out of range
         */
        public Plan {
            if (warmup < 0 || reps < 1 || minReps < 1 || minReps > reps) {
                throw new IllegalArgumentException("need warmup >= 0 and 1 <= minReps <= reps");
            }
        }

        /**
         * A plan without a time budget.
         *
         * @param warmup untimed runs first, ≥ 0
         * @param reps timed rounds, ≥ 1
         * @return the plan
         */
        public static Plan of(int warmup, int reps) {
            return new Plan(warmup, reps, reps, Long.MAX_VALUE);
        }
    }

    /**
     * Times {@code bodies} (each one unit of work, e.g. one batch) interleaved; one {@link Stats} per body.
     *
     * @param plan warm-up, repetitions and budget
     * @param bodies the variants, each run once per round
     * @return the timings, in the order of {@code bodies}
     */
    public static List<Stats> interleaved(Plan plan, List<Runnable> bodies) {
        int n = bodies.size();
        for (int w = 0; w < plan.warmup(); w++) {
            for (Runnable b : bodies) {
                b.run();
            }
        }
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new long[plan.reps()]);
        }
        long spent = 0;
        int done = 0;
        for (int r = 0; r < plan.reps(); r++) {
            for (int k = 0; k < n; k++) {
                int i = (r % 2 == 0) ? k : n - 1 - k;
                long t0 = System.nanoTime();
                bodies.get(i).run();
                long dt = System.nanoTime() - t0;
                samples.get(i)[r] = dt;
                spent += dt;
            }
            done = r + 1;
            if (done >= plan.minReps() && spent > plan.budgetNanos()) {
                break;
            }
        }
        List<Stats> out = new ArrayList<>();
        for (long[] s : samples) {
            out.add(new Stats(java.util.Arrays.copyOf(s, done)));
        }
        return out;
    }

    /**
     * Times one body.
     *
     * @param plan warm-up, repetitions and budget
     * @param body the unit of work
     * @return its timings
     */
    public static Stats single(Plan plan, Runnable body) {
        return interleaved(plan, List.of(body)).get(0);
    }
}
