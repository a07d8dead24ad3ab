package dev.aimc.spark;

import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.runner.ChipExecutor;
import dev.aimc.runner.ChipJob;
import dev.aimc.util.ConfigException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Runs the chips of an evaluation as the tasks of a Spark job: one task per chip (programming repeat r, seed
 * {@code Rng.derive(seed, r)}, every time and compensation), {@link ChipJob#chip(int)} on an executor. The job's
 * checkpoint and images travel as one broadcast, so workers need no shared file system. Results come back in repeat
 * order into the same {@link dev.aimc.results.EvaluationResult} as the in-process run; at the same threads per task
 * they are bit-identical to it. A task whose executor dies is run again by Spark (spark.task.maxFailures, 4 on a
 * cluster); nothing is written before every task has succeeded. The driver prints one line per finished or failed
 * task ({@code spark: ...}) and drives the progress display.
 */
public final class SparkChipExecutor implements ChipExecutor {
    /** Found by {@link java.util.ServiceLoader} (META-INF/services). */
    public static final class Provider implements ChipExecutor.Provider {
        /** For the service loader. */
        public Provider() {}

        @Override
        public ChipExecutor open(String option, String master, int threadsPerTask) {
            return SparkChipExecutor.open(option, master, threadsPerTask);
        }
    }

    /** Seconds a cluster job waits for its first executor before it gives up (system property aimc.spark.wait). */
    static int executorWaitSeconds() {
        return Integer.getInteger("aimc.spark.wait", 60);
    }

    /** Tasks finished successfully in this JVM, over every job (for tests that act in the middle of a job). */
    static final AtomicInteger TASKS_DONE = new AtomicInteger();

    private final String option;
    private final String master;
    private final JavaSparkContext sc;
    private final PrintStream log = System.err;

    private SparkChipExecutor(String option, String master, JavaSparkContext sc) {
        this.option = option;
        this.master = master;
        this.sc = sc;
    }

    /**
     * Checks the master, makes the Spark context and, on a cluster, waits for an executor.
     *
     * @param option the option named in messages ("--spark")
     * @param master local[N], spark://host:port or "submit"
     * @param threadsPerTask PyTorch threads of each task (recorded for the message only; the job carries them)
     * @return the connected executor
     * @throws ConfigException naming the option when the master is not one, cannot be reached or gives no executor
     */
    static SparkChipExecutor open(String option, String master, int threadsPerTask) {
        String m = master.strip();
        SparkMasters.check(option, m);
        SparkConf conf = new SparkConf(true); // spark.* system properties: spark-submit's, or -Dspark.x=y
        if (m.equals(SparkMasters.SUBMIT)) {
            if (!conf.contains("spark.master")) {
                throw new ConfigException(option + " " + master + ": no master set (spark.master); run through "
                        + "spark-submit, or name the master: local[N] or spark://HOST:PORT");
            }
        } else {
            conf.setMaster(m);
        }
        String actual = conf.get("spark.master");
        conf.setIfMissing("spark.app.name", "aimc");
        conf.setIfMissing("spark.ui.enabled", "false");
        boolean loopback = SparkMasters.isLocal(actual) || SparkMasters.standalone(actual).stream()
                .allMatch(h -> h.getHostString().equals("127.0.0.1") || h.getHostString().equals("localhost"));
        if (loopback) { // a job on this machine talks over the loopback interface only
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        StringBuilder opts = new StringBuilder(conf.get("spark.executor.extraJavaOptions", ""));
        for (String p : new String[] {"ai.djl.offline", "aimc.native"}) {
            if (System.getProperty(p) != null && !opts.toString().contains("-D" + p + "=")) {
                opts.append(" -D").append(p).append('=').append(System.getProperty(p));
            }
        }
        conf.set("spark.executor.extraJavaOptions", opts.toString().strip());
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new ConfigException(option + " " + master + ": Spark could not start (" + firstLine(e) + ")");
        }
        SparkChipExecutor ex = new SparkChipExecutor(option, master, sc);
        if (!SparkMasters.isLocal(actual)) {
            try {
                ex.awaitExecutor();
            } catch (RuntimeException e) {
                sc.stop();
                throw e;
            }
        }
        ex.log.printf(Locale.ROOT, "spark: connected to %s (%s), %d executor(s), %d thread(s) per task%n", actual,
                sc.sc().applicationId(), ex.executors(), threadsPerTask);
        return ex;
    }

    /** Executors registered now (the driver itself is not counted, except in local mode where it runs the tasks). */
    private int executors() {
        int n = sc.sc().statusTracker().getExecutorInfos().length;
        return sc.isLocal() ? n : n - 1;
    }

    private void awaitExecutor() {
        int wait = executorWaitSeconds();
        long until = System.nanoTime() + wait * 1_000_000_000L;
        while (executors() < 1) {
            if (sc.sc().isStopped()) {
                throw new ConfigException(option + " " + master + ": the master stopped the application (is it a "
                        + "Spark master of version " + sc.version() + "?)");
            }
            if (System.nanoTime() > until) {
                throw new ConfigException(option + " " + master + ": no executor started within "
                        + wait + " s: no worker has a free core and the memory an executor needs "
                        + "(spark.executor.memory " + sc.getConf().get("spark.executor.memory", "1g") + ")");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an executor", e);
            }
        }
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

    /** Executor memory in bytes: spark.executor.memory on a cluster, this JVM's heap in local mode. */
    private long executorMemory() {
        return sc.isLocal() ? Runtime.getRuntime().maxMemory()
                : sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
    }

    @Override
    public InferenceExperiment.Chips chips(ChipJob job) {
        return (int repeats, IntFunction<InferenceExperiment.Chip> local, InferenceExperiment.Progress progress) ->
                run(job, repeats, progress);
    }

    private List<InferenceExperiment.Chip> run(ChipJob job, int repeats, InferenceExperiment.Progress progress) {
        long need = 3 * job.bytes(); // the broadcast's bytes, the job it decodes to, the data sets rebuilt from it
        long have = executorMemory();
        if (need > have) {
            throw new ConfigException(String.format(Locale.ROOT, "%s %s: an executor needs about %d MiB for this"
                    + " network and its images (%d MiB carried) but has %d MiB (%s); give the workers' executors "
                    + "more memory (-Dspark.executor.memory=...)", option, master, need >> 20, job.bytes() >> 20,
                    have >> 20, sc.isLocal() ? "the driver's heap, -Xmx" : "spark.executor.memory"));
        }
        long t0 = System.nanoTime();
        Broadcast<ChipJob> b = sc.broadcast(job);
        List<Integer> reps = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            reps.add(r);
        }
        Listener listener = new Listener(repeats, job.evaluationsPerChip(), progress);
        sc.sc().addSparkListener(listener);
        log.printf(Locale.ROOT, "spark: job of %d tasks (one per chip), %d executor(s), %.1f MiB broadcast%n",
                repeats, executors(), job.bytes() / 1048576.0);
        List<ChipJob.ChipResult> results;
        try {
            sc.setJobDescription("aimc: " + repeats + " chips");
            results = sc.parallelize(reps, repeats).map(new ChipTask(b)).collect();
        } catch (RuntimeException e) {
            throw failure(e);
        } finally {
            sc.sc().removeSparkListener(listener);
            b.destroy();
        }
        List<InferenceExperiment.Chip> chips = new ArrayList<>();
        double taskSec = 0;
        for (ChipJob.ChipResult r : results) {
            chips.add(job.toChip(r));
        }
        taskSec = listener.taskSeconds();
        double wall = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "spark: %d of %d tasks done in %.1f s (tasks %.1f s in all, %.2f s each on "
                + "average; %d failed attempt(s) run again)%n", results.size(), repeats, wall, taskSec,
                taskSec / Math.max(1, repeats), listener.failed.get());
        return chips;
    }

    /** A failed job as one line: bad input (ConfigException, out of memory) or the error. */
    private RuntimeException failure(RuntimeException e) {
        String all = String.valueOf(e.getMessage());
        int c = all.indexOf(ConfigException.class.getName() + ": ");
        if (c >= 0) {
            String msg = all.substring(c + ConfigException.class.getName().length() + 2).split("\n")[0];
            return new ConfigException(msg);
        }
        if (all.contains("OutOfMemoryError")) {
            return new ConfigException(option + " " + master + ": a task ran out of memory on its executor ("
                    + (sc.isLocal() ? "the driver's heap, -Xmx" : "spark.executor.memory "
                    + sc.getConf().get("spark.executor.memory", "1g")) + "); give the executors more memory");
        }
        if (sc.sc().isStopped()) {
            return new ConfigException(option + " " + master + ": the job stopped: " + firstLine(e));
        }
        return e;
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.split("\n")[0].strip();
    }

    /** Counts finished tasks, prints one line per finished or failed task, and steps the progress display. */
    private final class Listener extends SparkListener {
        private final int tasks;
        private final int stepsPerChip;
        private final InferenceExperiment.Progress progress;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private double taskSeconds;

        Listener(int tasks, int stepsPerChip, InferenceExperiment.Progress progress) {
            this.tasks = tasks;
            this.stepsPerChip = stepsPerChip;
            this.progress = progress;
        }

        synchronized double taskSeconds() {
            return taskSeconds;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            TaskInfo t = e.taskInfo();
            if (t.successful()) {
                int k = done.incrementAndGet();
                TASKS_DONE.incrementAndGet();
                synchronized (this) {
                    taskSeconds += t.duration() / 1e3;
                }
                log.printf(Locale.ROOT, "spark: chip %d done on executor %s (%s), %.1f s, %d of %d tasks%n",
                        t.index(), t.executorId(), t.host(), t.duration() / 1e3, k, tasks);
                for (int i = 0; i < stepsPerChip; i++) {
                    progress.step(i == 0 ? "chip " + t.index() + " done (" + k + " of " + tasks + " tasks)"
                            : "chip " + t.index());
                }
            } else {
                failed.incrementAndGet();
                log.printf(Locale.ROOT, "spark: chip %d failed on executor %s (%s): %s; Spark runs it again%n",
                        t.index(), t.executorId(), t.host(), e.reason().toString().split("\n")[0]);
            }
        }

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded e) {
            log.printf("spark: executor %s added on %s%n", e.executorId(), e.executorInfo().executorHost());
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            log.printf("spark: executor %s lost (%s)%n", e.executorId(), e.reason().split("\n")[0]);
        }
    }

    @Override
    public void close() {
        sc.stop();
    }
}
