package dev.aimc.runner;

import dev.aimc.util.ConfigException;
import java.io.Serializable;
import java.util.List;

/**
 * Evaluates a batch of independent tasks (the candidates of one step of a design search) somewhere: in this thread,
 * one after the other ({@link #inProcess()}), or as the tasks of an Apache Spark job through the optional module
 * aimc-spark ({@code --spark MASTER}), found with {@link java.util.ServiceLoader} ({@link Provider}). The command
 * line depends on this interface only, so it stays free of Spark. Every task runs the same {@link Job} on its own
 * input, so the results are the same wherever the tasks run, at the same thread count per task.
 */
public interface TaskExecutor extends AutoCloseable {
    /**
     * What every task of a batch runs: a serializable object that carries what the tasks share (a checkpoint's
     * bytes, the images the driver loaded, the settings) and travels once per cluster job (a Spark broadcast), so
     * workers need no shared file system. {@link #run} must depend on the task and this object only (its seeds
     * included), and may be called from several threads at once on one instance.
     *
     * @param <T> a task's input, serializable
     * @param <R> a task's result, serializable
     */
    interface Job<T extends Serializable, R extends Serializable> extends Serializable {
        /**
         * Runs one task.
         *
         * @param task the task's input
         * @return its result
         */
        R run(T task);
    }

    /**
     * Runs {@code job} on every task and gathers the results in the order of the tasks. Nothing is returned unless
     * every task succeeded.
     *
     * @param job what each task runs, with what they share (sent once per executor, however many batches)
     * @param tasks the tasks' inputs
     * @param unit what one task is, for progress lines, e.g. "candidate"
     * @param <T> a task's input
     * @param <R> a task's result
     * @return the results, in the order of {@code tasks}
     * @throws ConfigException naming the option that chose the executor when the job cannot run there
     */
    <T extends Serializable, R extends Serializable> List<R> map(Job<T, R> job, List<T> tasks, String unit);

    /** Stops the cluster connection (the Spark context); nothing to do in process. */
    @Override
    void close();

    /** Makes executors for the masters it knows (found by {@link java.util.ServiceLoader}). */
    interface Provider {
        /**
         * An executor connected to {@code master}.
         *
         * @param option the option that named the master, e.g. "--spark", for messages
         * @param master the master, e.g. "local[2]" or "spark://host:7077"
         * @param threadsPerTask PyTorch threads of each task (≥ 1)
         * @return the connected executor
         * @throws ConfigException naming {@code option} when the master is not one or cannot be reached
         */
        TaskExecutor open(String option, String master, int threadsPerTask);
    }

    /**
     * The executor that runs the tasks in this thread, one after the other, in order.
     *
     * @return the in-process executor
     */
    static TaskExecutor inProcess() {
        return InProcessTaskExecutor.INSTANCE;
    }

    /**
     * The executor for {@code master}, or the in-process one when {@code master} is null.
     *
     * @param option the option that named the master, e.g. "--spark", for messages
     * @param master the master, or null
     * @param threadsPerTask PyTorch threads of each task (≥ 1)
     * @return the connected executor
     * @throws ConfigException naming {@code option} when no module provides one (aimc-spark not on the class path)
     */
    static TaskExecutor open(String option, String master, int threadsPerTask) {
        if (master == null) {
            return inProcess();
        }
        return ExecutorProviders.find(Provider.class, option, master).open(option, master, threadsPerTask);
    }
}
