package dev.aimc.util;

import ai.djl.engine.Engine;

/**
 * Seed derivation, and seeding of the engine's generator.
 *
 * <p>Every noise of the simulation — programming, drift exponents, read, output and training noise — comes from a
 * {@link RandomStream} passed explicitly to whatever draws it, never from global state. The engine's generator is
 * process-wide and is used only where a stream is not needed: weight initialisation, data shuffling helpers and the
 * random test matrices and inputs of tools and tests; each of those seeds it with {@link #seed(long)} right before
 * it draws.
 */
public final class Rng {
    private Rng() {}

    /**
     * Seeds the engine's generator (initialisation, random test matrices and inputs); the simulation's noise comes
     * from {@link RandomStream}s and is not affected.
     *
     * @param seed the seed
     */
    public static void seed(long seed) {
        synchronized (ENGINE_GENERATOR) {
            Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        }
    }

    /** Held while the engine's generator is seeded and drawn from ({@link #seed}, {@link #seeded}). */
    private static final Object ENGINE_GENERATOR = new Object();

    /**
     * Seeds the engine's generator and runs {@code draws} with no other thread seeding or drawing through this class
     * meanwhile: the engine's generator is one per process, so tasks that run side by side (Spark's {@code local[N]}
     * task threads, the candidates of a search) get the values of their own seed only when seeding and drawing are
     * one step (ours).
     *
     * @param seed the seed
     * @param draws what draws from the generator, e.g. a network's weight initialisation
     * @param <T> what it makes
     * @return what {@code draws} returned
     */
    public static <T> T seeded(long seed, java.util.function.Supplier<T> draws) {
        synchronized (ENGINE_GENERATOR) {
            seed(seed);
            return draws.get();
        }
    }

    /** SplitMix64's increment γ (the golden ratio in 64 bits). */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /**
     * Derives a sub-seed for stream {@code index} of {@code seed}: word index+1 of SplitMix64 from {@code seed}.
     *
     * @param seed the master seed
     * @param index the stream index, ≥ 0
     * @return the sub-seed
     */
    public static long derive(long seed, long index) {
        return mix(seed + GOLDEN * (index + 1));
    }

    /**
     * A uniformly random permutation of 0 … n−1 (Fisher–Yates, drawing from {@code r}), e.g. the sample order of an
     * epoch: the same generator state gives the same order.
     *
     * @param n the number of indices, ≥ 0
     * @param r the generator drawn from
     * @return a new array holding each of 0 … n−1 once
     */
    public static int[] permutation(int n, java.util.Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64's output function (finaliser). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
