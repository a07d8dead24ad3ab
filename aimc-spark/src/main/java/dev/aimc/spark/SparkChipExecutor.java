package dev.aimc.spark;

import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.runner.ChipExecutor;
import dev.aimc.runner.ChipJob;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs the chips of an evaluation as the tasks of a Spark job: one task per chip (programming repeat r, seed
 * {@code Rng.derive(seed, r)}, every time and compensation), {@link ChipJob#chip(int)} on an executor. The job's
 * checkpoint and images travel as one broadcast, so workers need no shared file system. Results come back in repeat
 * order into the same {@link dev.aimc.results.EvaluationResult} as the in-process run; at the same threads per task
 * they are bit-identical to it. A task whose executor dies is run again by Spark (spark.task.maxFailures, 4 on a
 * cluster); nothing is written before every task has succeeded. The driver prints one line per finished or failed
 * task ({@code spark: ...}) and drives the progress display ({@link SparkJobs}).
 */
public final class SparkChipExecutor implements ChipExecutor {
    /** Found by {@link java.util.ServiceLoader} (META-INF/services). */
    public static final class Provider implements ChipExecutor.Provider {
        /** For the service loader. */
        public Provider() {}

        @Override
        public ChipExecutor open(String option, String master, int threadsPerTask) {
            return new SparkChipExecutor(SparkJobs.open(option, master, threadsPerTask));
        }
    }

    private final SparkJobs jobs;

    private SparkChipExecutor(SparkJobs jobs) {
        this.jobs = jobs;
    }

    /** The unit of work: chip r of the broadcast job. */
    static final class ChipTask implements Function<Integer, ChipJob.ChipResult> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ChipJob> job;

        ChipTask(Broadcast<ChipJob> job) {
            this.job = job;
        }

        @Override
        public ChipJob.ChipResult call(Integer rep) {
            return job.value().chip(rep);
        }
    }

    @Override
    public InferenceExperiment.Chips chips(ChipJob job) {
        return (int repeats, IntFunction<InferenceExperiment.Chip> local, InferenceExperiment.Progress progress) ->
                run(job, repeats, progress);
    }

    private List<InferenceExperiment.Chip> run(ChipJob job, int repeats, InferenceExperiment.Progress progress) {
        jobs.checkMemory(job.bytes(), "this network and its images");
        Broadcast<ChipJob> b = jobs.sc.broadcast(job);
        List<Integer> reps = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            reps.add(r);
        }
        int steps = job.evaluationsPerChip();
        List<ChipJob.ChipResult> results;
        try {
            String carried = String.format(java.util.Locale.ROOT, "%.1f MiB broadcast", job.bytes() / 1048576.0);
            results = jobs.run(reps, new ChipTask(b), "chip", carried, (index, done, total) -> {
                for (int i = 0; i < steps; i++) {
                    progress.step(i == 0 ? "chip " + index + " done (" + done + " of " + total + " tasks)"
                            : "chip " + index);
                }
            });
        } finally {
            b.destroy();
        }
        List<InferenceExperiment.Chip> chips = new ArrayList<>();
        for (ChipJob.ChipResult r : results) {
            chips.add(job.toChip(r));
        }
        return chips;
    }

    @Override
    public void close() {
        jobs.close();
    }
}
