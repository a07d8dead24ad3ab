package dev.aimc.spark;

import dev.aimc.util.ConfigException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * The Spark context of one command and how it runs a job, shared by the chips of {@link SparkChipExecutor} and the
 * search candidates of {@link SparkTaskExecutor}: connecting (master checked, loopback binding on this machine, the
 * engine's system properties passed to the executors, on a cluster a wait for the first executor), the memory check
 * of what a job carries, one task per item with the results gathered in order, one driver line per finished or
 * failed task and the job's total, and a failed job as a one-line error. A task whose executor dies is run again by
 * Spark (spark.task.maxFailures, 4 on a cluster); nothing is returned before every task has succeeded.
 */
final class SparkJobs implements AutoCloseable {
    /** Seconds a cluster job waits for its first executor before it gives up (system property aimc.spark.wait). */
    static int executorWaitSeconds() {
        return Integer.getInteger("aimc.spark.wait", 60);
    }

    /** Tasks finished successfully in this JVM, over every job (for tests that act in the middle of a job). */
    static final AtomicInteger TASKS_DONE = new AtomicInteger();

    /** Told of each task that finished successfully. */
    interface Done {
        /**
         * One task done.
         *
         * @param index the task's index in the job (its item's)
         * @param done tasks of the job done so far, this one included
         * @param total tasks of the job
         */
        void done(int index, int done, int total);
    }

    final String option;
    final String master;
    final JavaSparkContext sc;
    final PrintStream log = System.err;

    private SparkJobs(String option, String master, JavaSparkContext sc) {
        this.option = option;
        this.master = master;
        this.sc = sc;
    }

    /**
     * Checks the master, makes the Spark context and, on a cluster, waits for an executor.
     *
     * @param option the option named in messages ("--spark")
     * @param master local[N], spark://host:port or "submit"
     * @param threadsPerTask PyTorch threads of each task (for the message)
     * @return the connection
     * @throws ConfigException naming the option when the master is not one, cannot be reached or gives no executor
     */
    static SparkJobs open(String option, String master, int threadsPerTask) {
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
        // executors on a cluster: the launcher's malloc settings (see the aimc script); one arena also without it
        conf.setIfMissing("spark.executorEnv.MALLOC_ARENA_MAX",
                Objects.requireNonNullElse(System.getenv("MALLOC_ARENA_MAX"), "1"));
        if (System.getenv("GLIBC_TUNABLES") != null) {
            conf.setIfMissing("spark.executorEnv.GLIBC_TUNABLES", System.getenv("GLIBC_TUNABLES"));
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new ConfigException(option + " " + master + ": Spark could not start (" + firstLine(e) + ")");
        }
        SparkJobs jobs = new SparkJobs(option, master, sc);
        if (!SparkMasters.isLocal(actual)) {
            try {
                jobs.awaitExecutor();
            } catch (RuntimeException e) {
                sc.stop();
                throw e;
            }
        }
        jobs.log.printf(Locale.ROOT, "spark: connected to %s (%s), %d executor(s), %d thread(s) per task%n", actual,
                sc.sc().applicationId(), jobs.executors(), threadsPerTask);
        return jobs;
    }

    /** Executors registered now (the driver itself is not counted, except in local mode where it runs the tasks). */
    int executors() {
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

    /** Executor memory in bytes: spark.executor.memory on a cluster, this JVM's heap in local mode. */
    private long executorMemory() {
        return sc.isLocal() ? Runtime.getRuntime().maxMemory()
                : sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
    }

    /**
     * Checks that an executor has the memory for what a job carries: the broadcast's bytes, the object it decodes
     * to and the data sets rebuilt from it, about three times the bytes.
     *
     * @param carried bytes the job carries
     * @param what what they are, for the message, e.g. "this network and its images"
     * @throws ConfigException naming the option when an executor has less
     */
    void checkMemory(long carried, String what) {
        long need = 3 * carried;
        long have = executorMemory();
        if (need > have) {
            throw new ConfigException(String.format(Locale.ROOT, "%s %s: an executor needs about %d MiB for %s"
                    + " (%d MiB carried) but has %d MiB (%s); give the workers' executors more memory "
                    + "(-Dspark.executor.memory=...)", option, master, need >> 20, what, carried >> 20, have >> 20,
                    sc.isLocal() ? "the driver's heap, -Xmx" : "spark.executor.memory"));
        }
    }

    /**
     * Runs one job: task i applies {@code fn} to {@code items.get(i)}; prints a line per finished or failed task and
     * the job's total.
     *
     * @param items the tasks' inputs, one task each
     * @param fn what a task runs (it reads the shared data from a broadcast)
     * @param unit what one task is, e.g. "chip" or "candidate"
     * @param carried what the job's broadcast carries, for the job's line, e.g. "1.2 MiB broadcast"
     * @param onDone told of each task done, on Spark's listener thread
     * @param <T> a task's input
     * @param <R> a task's result
     * @return the results, in the order of {@code items}
     * @throws ConfigException for bad input a task reported, a task out of memory, or a stopped context
     */
    <T, R> List<R> run(List<T> items, Function<T, R> fn, String unit, String carried, Done onDone) {
        int n = items.size();
        long t0 = System.nanoTime();
        Listener listener = new Listener(n, unit, onDone);
        sc.sc().addSparkListener(listener);
        log.printf(Locale.ROOT, "spark: job of %d tasks (one per %s), %d executor(s), %s%n", n, unit, executors(),
                carried);
        List<R> results;
        try {
            sc.setJobDescription("aimc: " + n + " " + unit + (n == 1 ? "" : "s"));
            results = sc.parallelize(new ArrayList<>(items), Math.max(1, n)).map(fn).collect();
        } catch (RuntimeException e) {
            throw failure(e);
        } finally {
            sc.sc().removeSparkListener(listener);
        }
        double taskSec = listener.taskSeconds();
        double wall = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "spark: %d of %d tasks done in %.1f s (tasks %.1f s in all, %.2f s each on "
                + "average; %d failed attempt(s) run again)%n", results.size(), n, wall, taskSec,
                taskSec / Math.max(1, n), listener.failed.get());
        return results;
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

    /** Counts finished tasks, prints one line per finished or failed task, and tells {@link Done}. */
    private final class Listener extends SparkListener {
        private final int tasks;
        private final String unit;
        private final Done onDone;
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private double taskSeconds;

        Listener(int tasks, String unit, Done onDone) {
            this.tasks = tasks;
            this.unit = unit;
            this.onDone = onDone;
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
                log.printf(Locale.ROOT, "spark: %s %d done on executor %s (%s), %.1f s, %d of %d tasks%n", unit,
                        t.index(), t.executorId(), t.host(), t.duration() / 1e3, k, tasks);
                onDone.done(t.index(), k, tasks);
            } else {
                failed.incrementAndGet();
                log.printf(Locale.ROOT, "spark: %s %d failed on executor %s (%s): %s; Spark runs it again%n", unit,
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
