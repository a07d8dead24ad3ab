package dev.aimc.runner;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** {@link TaskExecutor#inProcess()}: every task in the calling thread, in order. */
final class InProcessTaskExecutor implements TaskExecutor {
    static final InProcessTaskExecutor INSTANCE = new InProcessTaskExecutor();

    private InProcessTaskExecutor() {}

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(Job<T, R> job, List<T> tasks, String unit) {
        List<R> out = new ArrayList<>(tasks.size());
        for (T t : tasks) {
            out.add(job.run(t));
        }
        return out;
    }

    @Override
    public void close() {}
}
