package dev.aimc.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small memory helpers: attach a result to the per-batch manager. */
public final class Nd {
    private Nd() {}

    /**
     * Attaches {@code a} to {@code m} (no-op when it is already there) and returns it.
     *
     * @param m the manager
     * @param a the array
     * @return {@code a}
     */
    public static NDArray in(NDManager m, NDArray a) {
        if (a.getManager() != m) {
            a.attach(m);
        }
        return a;
    }

    /**
     * A gradient-free view of {@code w} attached to {@code m} (stopGradient lands in w's manager otherwise).
     *
     * @param w the array
     * @param m the manager the view is attached to
     * @return a view without gradient
     */
    public static NDArray constant(NDArray w, NDManager m) {
        return in(m, w.stopGradient());
    }

    /**
     * {@code a} with zeros appended along {@code axis} up to {@code size} (a new array in {@code a}'s manager);
     * {@code a} itself when it is already that long.
     *
     * @param a the array
     * @param axis the axis to extend
     * @param size the length {@code axis} should have
     * @return the padded array, or {@code a}
     */
    public static NDArray padAxis(NDArray a, int axis, long size) {
        long n = a.getShape().get(axis);
        if (n >= size) {
            return a;
        }
        long[] zs = a.getShape().getShape().clone();
        zs[axis] = size - n;
        try (NDArray z = a.getManager().zeros(new ai.djl.ndarray.types.Shape(zs), a.getDataType())) {
            return a.concat(z, axis);
        }
    }
}
