package dev.aimc.spark;

import dev.aimc.runner.TaskExecutor;
import dev.aimc.train.TrainRun;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs the candidates of a design search (quant-search, place-compensation, arch-search) as the tasks of Spark jobs:
 * one job per batch the search hands over (a descent step, a generation, a batch of episodes), one task per
 * candidate. A search's {@link TaskExecutor.Job} (its checkpoint, images and settings) is broadcast once, at its
 * first batch, and reused by the later ones, so workers need no shared file system and read no data directory. Each
 * task readies its thread as the driver's ({@link TrainRun#prepareThread}, the threads per task) and runs the job on
 * its candidate: at the same threads per task the results are bit-identical to the in-process run. Faults, progress
 * lines and errors are those of {@link SparkJobs}.
 */
public final class SparkTaskExecutor implements TaskExecutor {
    /** Found by {@link java.util.ServiceLoader} (META-INF/services). */
    public static final class Provider implements TaskExecutor.Provider {
        /** For the service loader. */
        public Provider() {}

        @Override
        public TaskExecutor open(String option, String master, int threadsPerTask) {
            return new SparkTaskExecutor(SparkJobs.open(option, master, threadsPerTask), threadsPerTask);
        }
    }

    private final SparkJobs jobs;
    private final int threads;
    /** Each search's job, broadcast once, with its size in bytes. */
    private final Map<Job<?, ?>, Shared> broadcasts = new IdentityHashMap<>();

    private record Shared(Broadcast<Job<?, ?>> broadcast, long bytes) {}

    private SparkTaskExecutor(SparkJobs jobs, int threads) {
        this.jobs = jobs;
        this.threads = threads;
    }

    /** The unit of work: the broadcast job run on one task's input, on a thread readied as the driver's. */
    static final class JobTask<T extends Serializable, R extends Serializable> implements Function<T, R> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Job<?, ?>> job;
        private final int threads;

        JobTask(Broadcast<Job<?, ?>> job, int threads) {
            this.job = job;
            this.threads = threads;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R call(T task) {
            TrainRun.prepareThread(threads); // threads and gradient recording are per-thread engine settings
            return ((Job<T, R>) job.value()).run(task);
        }
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(Job<T, R> job, List<T> tasks, String unit) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Shared s = broadcasts.get(job);
        boolean first = s == null;
        if (first) {
            long bytes = serializedBytes(job);
            jobs.checkMemory(bytes, "this search's network, images and settings");
            s = new Shared(jobs.sc.broadcast(job), bytes);
            broadcasts.put(job, s);
        }
        String carried = String.format(java.util.Locale.ROOT, "%.1f MiB broadcast%s", s.bytes() / 1048576.0,
                first ? "" : " before (reused)");
        return jobs.run(tasks, new JobTask<T, R>(s.broadcast(), threads), unit, carried, (index, done, total) -> {});
    }

    /** The size of an object's serialized form, counted without keeping it. */
    static long serializedBytes(Serializable o) {
        long[] n = {0};
        OutputStream count = new OutputStream() {
            @Override
            public void write(int b) {
                n[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                n[0] += len;
            }
        };
        try (ObjectOutputStream out = new ObjectOutputStream(count)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
        }
        return n[0];
    }

    @Override
    public void close() {
        try {
            for (Shared s : broadcasts.values()) {
                s.broadcast().destroy();
            }
        } finally {
            jobs.close();
        }
    }
}
