package dev.aimc.onnx;

import java.util.Arrays;

/**
 * A constant tensor of an ONNX graph held in Java arrays (weights, biases, shape vectors): its shape and its values as
 * float32 ({@link #values}) and, for integer tensors, exactly as int64 ({@link #ints}). Constant folding (Reshape,
 * Transpose of a weight) works on these, so no engine memory is involved before the network is built.
 *
 * @param shape the dimensions (empty for a scalar)
 * @param values the values in row-major order as float32
 * @param ints the values as int64 for an integer tensor, else null
 */
public record Tensor(long[] shape, float[] values, long[] ints) {
    /**
     * A float tensor.
     *
     * @param shape the dimensions
     * @param values row-major values, {@code prod(shape)} of them
     * @return the tensor (arrays not copied)
     */
    public static Tensor of(long[] shape, float[] values) {
        return new Tensor(shape, values, null);
    }

    /**
     * An integer tensor.
     *
     * @param shape the dimensions
     * @param ints row-major values
     * @return the tensor, its float values the same numbers rounded to float32
     */
    public static Tensor ofInts(long[] shape, long[] ints) {
        float[] f = new float[ints.length];
        for (int i = 0; i < ints.length; i++) {
            f[i] = ints[i];
        }
        return new Tensor(shape, f, ints);
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions (1 for a scalar)
     */
    public long size() {
        return size(shape);
    }

    /**
     * Product of {@code dims}.
     *
     * @param dims dimensions
     * @return their product (1 for none)
     */
    static long size(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * The same values under another shape.
     *
     * @param newShape dimensions with the same product
     * @return a tensor sharing the value arrays
     */
    public Tensor reshape(long[] newShape) {
        return new Tensor(newShape.clone(), values, ints);
    }

    /**
     * The axes permuted: output axis i is input axis {@code perm[i]}.
     *
     * @param perm a permutation of 0..rank−1
     * @return a new tensor
     */
    public Tensor transpose(int[] perm) {
        int r = shape.length;
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            out[i] = shape[perm[i]];
        }
        long[] inStride = strides(shape);
        int n = values.length;
        float[] v = new float[n];
        long[] iv = ints == null ? null : new long[n];
        int[] idx = new int[r];
        for (int o = 0; o < n; o++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * inStride[perm[i]];
            }
            v[o] = values[(int) src];
            if (iv != null) {
                iv[o] = ints[(int) src];
            }
            for (int i = r - 1; i >= 0; i--) {
                if (++idx[i] < out[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor(out, v, iv);
    }

    /**
     * Row-major strides of {@code dims}.
     *
     * @param dims dimensions
     * @return element strides
     */
    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
