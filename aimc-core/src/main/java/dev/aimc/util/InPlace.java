package dev.aimc.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Writes into existing arrays (parameters, buffers) in place. Unlike DJL's {@code copyTo} and {@code set(Buffer)},
 * whose native paths print libtorch's "AutoNonVariableTypeMode is deprecated" warning when the target requires a
 * gradient, this goes through an indexed assignment, which does not.
 */
public final class InPlace {
    private InPlace() {}

    /**
     * target[...] = values (same shape); call it outside gradient recording.
     *
     * @param target the array written
     * @param values the values, same shape
     */
    public static void assign(NDArray target, NDArray values) {
        if (!target.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException("cannot assign " + values.getShape() + " to " + target.getShape());
        }
        target.set(new NDIndex("..."), values);
    }

    /**
     * target[...] = values, given flat in row-major order.
     *
     * @param target the array written
     * @param values target.size() values
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException("cannot assign " + values.length + " values to " + target.getShape());
        }
        try (NDArray v = target.getManager().create(values, target.getShape())) {
            assign(target, v);
        }
    }
}
