package dev.aimc.runner;

import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.util.ConfigException;
import java.util.ServiceLoader;

/**
 * Runs the chips (programming repeats) of an evaluation somewhere other than this thread: the seam through which
 * the optional module aimc-spark runs them as the tasks of an Apache Spark job ({@code --spark MASTER}). The
 * command line depends on this interface only, so it stays free of Spark; an implementation is found with
 * {@link ServiceLoader} ({@link Provider}).
 */
public interface ChipExecutor extends AutoCloseable {
    /**
     * The runner of one evaluation's chips: every chip is {@code job}'s chip r, rebuilt where it runs from the
     * job's bytes ({@link ChipJob#chip(int)}).
     *
     * @param job the network, data and configuration, serializable
     * @return the runner to hand to {@link InferenceExperiment#run(String, dev.aimc.nn.Module,
     *     dev.aimc.data.Dataset, dev.aimc.data.Dataset, InferenceExperiment.Config, java.util.Map,
     *     InferenceExperiment.Progress, ai.djl.ndarray.NDManager, InferenceExperiment.Chips)}
     */
    InferenceExperiment.Chips chips(ChipJob job);

    /** Stops the cluster connection (the Spark context); nothing to do for an executor without one. */
    @Override
    void close();

    /** Makes executors for the masters it knows (found by {@link ServiceLoader}). */
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
        ChipExecutor open(String option, String master, int threadsPerTask);
    }

    /**
     * The executor for {@code master}, or null when {@code master} is null (run in this process).
     *
     * @param option the option that named the master, e.g. "--spark", for messages
     * @param master the master, or null
     * @param threadsPerTask PyTorch threads of each task (≥ 1)
     * @return the connected executor, or null
     * @throws ConfigException naming {@code option} when no module provides one (aimc-spark not on the class path)
     */
    static ChipExecutor open(String option, String master, int threadsPerTask) {
        if (master == null) {
            return null;
        }
        return ExecutorProviders.find(Provider.class, option, master).open(option, master, threadsPerTask);
    }
}
