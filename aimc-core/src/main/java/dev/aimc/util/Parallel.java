package dev.aimc.util;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Java-side data parallelism sized like the engine: tasks 0 … n−1 run on the calling thread and on up to
 * (PyTorch intra-op threads − 1) daemon helpers, each task claimed once. Use it only for tasks whose results do not
 * depend on which thread runs them or in which order.
 */
public final class Parallel {
    private static ExecutorService pool;
    private static int poolThreads;

    private Parallel() {}

    /**
     * The engine's intra-op thread count (at least 1).
     *
     * @return the thread count
     */
    public static int threads() {
        return Math.max(1, JniUtils.getNumThreads());
    }

    /**
     * Runs {@code task.accept(i)} for i = 0 … n−1 on {@link #threads()} threads and returns when all are done.
     *
     * @param n number of tasks
     * @param task the task, called once per index
     */
    public static void forEach(int n, IntConsumer task) {
        forEach(n, threads(), task);
    }

    /**
     * Runs {@code task.accept(i)} for i = 0 … n−1 on up to {@code threads} threads (the caller included).
     *
     * @param n number of tasks
     * @param threads the most threads, ≥ 1
     * @param task the task, called once per index
     */
    public static void forEach(int n, int threads, IntConsumer task) {
        int workers = Math.max(1, Math.min(threads, n));
        if (workers == 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                task.accept(i);
            }
        };
        ExecutorService ex = pool(workers - 1);
        List<Future<?>> helpers = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            helpers.add(ex.submit(work));
        }
        RuntimeException failure = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for parallel tasks", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = new IllegalStateException("parallel task failed", e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A pool of at least {@code helpers} daemon threads. */
    private static synchronized ExecutorService pool(int helpers) {
        if (pool == null || poolThreads < helpers) {
            if (pool != null) {
                pool.shutdown();
            }
            pool = Executors.newFixedThreadPool(helpers, r -> {
                Thread t = new Thread(r, "aimc-parallel");
                t.setDaemon(true);
                return t;
            });
            poolThreads = helpers;
        }
        return pool;
    }
}
