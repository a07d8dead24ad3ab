package dev.aimc.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A seeded, counter-based random stream, passed explicitly to whatever draws (the way Hipparchus passes a
 * {@code RandomGenerator}): a 64-bit key and a draw counter. Each call that draws ({@link #normal}, {@link #uniform},
 * {@code dev.aimc.tile.IntegerAdc#convert}, {@code dev.aimc.device.NoisyRead#apply}, or {@link #newDraw} for a native
 * kernel) takes the next draw, whose key is a function of the stream's key and the draw index only; element e of a
 * draw depends only on that key and e
 * ({@link GaussianNoise}), so the values never depend on the number of threads or on anything another stream did.
 *
 * <p>{@link #split(long)} derives an independent child stream for one purpose (a layer, a tile, programming versus
 * reads): the child's key is a function of the parent's key and the purpose, not of the parent's draw counter, so
 * draws from one child never shift another's. Two simulations holding different streams therefore give the same
 * numbers whether they run alone or interleaved; the same seed and the same sequence of draws give bit-identical
 * numbers.
 *
 * <p>Keys: {@code of(seed)} has key {@code Rng.derive(seed, STREAM)}; draw k has key
 * {@code Rng.derive(Rng.derive(key, 0), k)}; child p has key {@code Rng.derive(Rng.derive(key, 1), p)}. The counter
 * is thread-safe (concurrent draws get distinct indices, in an order the caller must fix for reproducibility).
 */
public final class RandomStream {
    private static final long STREAM = 0x6E6F697365L; // "noise"
    private static final long DRAWS = 0;
    private static final long CHILDREN = 1;

    private final long key;
    private final AtomicLong draws = new AtomicLong();

    private RandomStream(long key) {
        this.key = key;
    }

    /**
     * The stream of {@code seed}, at draw 0.
     *
     * @param seed the master seed (any 64-bit value; the same seed always gives the same stream)
     * @return a new stream with key {@code Rng.derive(seed, STREAM)} and no draws taken
     */
    public static RandomStream of(long seed) {
        return new RandomStream(Rng.derive(seed, STREAM));
    }

    /**
     * An independent child stream for {@code purpose} (at draw 0): the same purpose of the same stream always gives
     * the same child, whatever this stream has drawn.
     *
     * @param purpose a caller-chosen label for the child's use (a layer index, a tile index, a constant for
     *     programming or reads); distinct purposes give independent streams
     * @return a new stream at draw 0 whose key depends only on this stream's key and {@code purpose}
     */
    public RandomStream split(long purpose) {
        return new RandomStream(Rng.derive(Rng.derive(key, CHILDREN), purpose));
    }

    /**
     * A stream with this stream's key at draw 0: it draws again what this one has drawn and will draw (this stream's
     * counter is not touched).
     *
     * @return a new stream equal to this one as it was before its first draw
     */
    public RandomStream fromStart() {
        return new RandomStream(key);
    }

    /**
     * The stream's key (identifies it; two streams with equal keys draw the same values).
     *
     * @return the 64-bit key, fixed for the stream's lifetime
     */
    public long key() {
        return key;
    }

    /**
     * Draws taken so far.
     *
     * @return the number of draws (calls that drew, not values drawn), ≥ 0; the index the next draw gets
     */
    public long draws() {
        return draws.get();
    }

    /**
     * Takes the next draw and returns its key (for {@link GaussianNoise#sample} or a native kernel).
     *
     * @return the key of draw k = {@link #draws()} before the call, {@code Rng.derive(Rng.derive(key, 0), k)}; the
     *     counter is advanced by one
     */
    public long newDraw() {
        return Rng.derive(Rng.derive(key, DRAWS), draws.getAndIncrement());
    }

    /**
     * A new float32 array of N(0,1) samples with the given shape, attached to {@code m} (one draw).
     *
     * @param m the manager that will own the new array
     * @param shape the shape of the array (may have zero elements; a draw is still taken)
     * @return standard normal samples, dimensionless, element e depending only on the draw key and e
     */
    public NDArray standard(NDManager m, Shape shape) {
        return normal(m, 1f, shape);
    }

    /**
     * A new float32 array of N(0, σ²) samples (σ in the caller's units, ≥ 0), attached to {@code m} (one draw).
     *
     * @param m the manager that will own the new array
     * @param sigma the standard deviation σ, ≥ 0, in the units of the quantity the noise is added to (µS for
     *     conductances, normalized units for inputs and outputs, ADC steps in the integer pipeline); 0 gives zeros
     * @param shape the shape of the array (may have zero elements; a draw is still taken)
     * @return σ·z_e with z_e ~ N(0,1) the values of {@link GaussianNoise#sample} for this draw
     */
    public NDArray normal(NDManager m, float sigma, Shape shape) {
        long drawKey = newDraw();
        NDArray a = m.create(shape, DataType.FLOAT32);
        if (shape.size() > 0) {
            GaussianNoise.fill(GaussianNoise.floats(a), drawKey, sigma, Parallel.threads());
        }
        return a;
    }

    /**
     * A new float32 array of samples uniform in [lo, hi) with the given shape, attached to {@code m} (one draw):
     * element e is lo + (hi − lo)·u_e with u_e the top 24 bits of {@code Rng.derive(drawKey, e)} times 2⁻²⁴, so
     * every value is one of 2²⁴ equally spaced points (kept below hi when the float rounding reaches it).
     *
     * @param m the manager that will own the new array
     * @param lo the inclusive lower bound, finite
     * @param hi the exclusive upper bound, finite, ≥ lo (lo = hi gives an array filled with lo)
     * @param shape the shape of the array (may have zero elements; a draw is still taken)
     * @return the uniform samples, in the units of lo and hi
     * @throws IllegalArgumentException when lo or hi is not finite (NaN included) or hi &lt; lo
     */
    public NDArray uniform(NDManager m, float lo, float hi, Shape shape) {
        if (!(hi >= lo) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException("uniform needs finite lo <= hi, got [" + lo + ", " + hi + ")");
        }
        long drawKey = newDraw();
        NDArray a = m.create(shape, DataType.FLOAT32);
        if (shape.size() > 0) {
            GaussianNoise.fillBlocks(GaussianNoise.floats(a), Parallel.threads(),
                    (from, buf, len) -> uniformSample(drawKey, from, buf, 0, len, lo, hi));
        }
        return a;
    }

    /**
     * Writes the values {@link #uniform} puts at flat indices from … from+len−1 of draw {@code drawKey}.
     *
     * @param drawKey the key of the draw ({@link #newDraw()})
     * @param from the first flat element index of the draw to write, ≥ 0
     * @param out the destination array
     * @param off the position in {@code out} of the value for element {@code from}
     * @param len the number of values to write, ≥ 0 ({@code out} must hold off + len values)
     * @param lo the inclusive lower bound, finite
     * @param hi the exclusive upper bound, finite, ≥ lo (not checked here; {@link #uniform} checks it)
     */
    public static void uniformSample(long drawKey, long from, float[] out, int off, int len, float lo, float hi) {
        double span = (double) hi - lo;
        for (int j = 0; j < len; j++) {
            double u = (Rng.derive(drawKey, from + j) >>> 40) * 0x1.0p-24;
            float v = (float) (lo + span * u);
            out[off + j] = v >= hi && hi > lo ? Math.nextDown(hi) : v;
        }
    }

    @Override
    public String toString() {
        return "RandomStream[key=" + Long.toHexString(key) + ", draws=" + draws.get() + "]";
    }
}
