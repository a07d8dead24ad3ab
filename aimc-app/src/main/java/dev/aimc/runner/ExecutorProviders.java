package dev.aimc.runner;

import dev.aimc.util.ConfigException;
import java.util.ServiceLoader;

/** Finds the module that runs work on a cluster ({@link ChipExecutor.Provider}, {@link TaskExecutor.Provider}). */
final class ExecutorProviders {
    private ExecutorProviders() {}

    /**
     * The first provider of {@code type} on the class or module path.
     *
     * @throws ConfigException naming {@code option} when there is none (aimc-spark not on the class path)
     */
    static <P> P find(Class<P> type, String option, String master) {
        for (P p : ServiceLoader.load(type)) {
            return p;
        }
        throw new ConfigException(option + " " + master + ": Spark support is not on the class path (build the"
                + " module aimc-spark: mvn -B package -pl aimc-spark -am, and run through ./aimc, which adds it)");
    }
}
