package dev.aimc.util;

import ai.djl.engine.Engine;

/**
 * Seeding of aimc's two random sources: the engine's generator (programming noise, drift exponents, initialisation)
 * and {@link GaussianNoise} (the per-batch read, output and training noise).
 *
 * <p>Both are process-wide: a Monte-Carlo repeat seeds them with {@link #seed(long)} before it draws, so the same
 * seed and the same sequence of draws give the same numbers.
 */
public final class Rng {
    private Rng() {}

    /** Seeds the engine's generator and restarts {@link GaussianNoise} at draw 0 of {@code seed}. */
    public static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        GaussianNoise.seed(seed);
    }

    /** SplitMix64's increment γ (the golden ratio in 64 bits). */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Derives a sub-seed for stream {@code index} of {@code seed}: word index+1 of SplitMix64 from {@code seed}. */
    public static long derive(long seed, long index) {
        return mix(seed + GOLDEN * (index + 1));
    }

    /** SplitMix64's output function (finaliser). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
