package dev.aimc.util;

import ai.djl.engine.Engine;

/**
 * Seeding of the engine's random number generator, which every tensor noise draw in aimc uses.
 *
 * <p>PyTorch's generator is process-wide: a Monte-Carlo repeat seeds it with {@link #seed(long)} before it
 * draws, so the same seed and the same sequence of draws give the same numbers.
 */
public final class Rng {
    private Rng() {}

    /** Seeds the engine's generator. */
    public static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** Derives a sub-seed for stream {@code index} of {@code seed} (SplitMix64 finaliser). */
    public static long derive(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
