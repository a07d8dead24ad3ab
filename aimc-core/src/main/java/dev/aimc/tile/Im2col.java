package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The patches of a 2-D convolution as rows of a matrix (im2col): the input vector a crossbar sees for one output
 * position, so a convolution can run as a matrix product with one input scale per patch (aihwkit's noise management
 * of a convolution's input vectors). Differentiable in x.
 */
public final class Im2col {
    private Im2col() {}

    /**
     * x [B, C, H, W] → [B·H'·W', C·k·k], rows ordered (sample, output row, output column), columns (channel, ky, kx):
     * the order of a convolution kernel [out, C, k, k] reshaped to [out, C·k·k]. Zero padding of {@code padding} on
     * each side, stride {@code stride}.
     *
     * @param x inputs [B, C, H, W] (normalized input units; any float type)
     * @param kernel the square kernel's side k in pixels, ≥ 1, at most the padded H and W
     * @param stride the step between patches in pixels, ≥ 1
     * @param padding zeros added on each side of H and W in pixels, ≥ 0
     * @return the patches and the output size {H', W'}, H' = (H + 2·padding − k) / stride + 1 (likewise W')
     */
    public static Unfolded unfold(NDArray x, int kernel, int stride, int padding) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDArray xp = padding == 0 ? x : pad(pad(x, 2, padding), 3, padding);
        long h = xp.getShape().get(2);
        long w = xp.getShape().get(3);
        long ho = (h - kernel) / stride + 1;
        long wo = (w - kernel) / stride + 1;
        NDList parts = new NDList();
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                parts.add(xp.get(":, :, {}:{}:{}, {}:{}:{}", ky, ky + stride * (ho - 1) + 1, stride, kx,
                        kx + stride * (wo - 1) + 1, stride)); // [B, C, H', W']
            }
        }
        NDArray st = NDArrays.stack(parts, 2); // [B, C, k², H', W']
        NDArray rows = st.reshape(b, c * kernel * kernel, ho * wo).transpose(0, 2, 1)
                .reshape(b * ho * wo, c * kernel * kernel);
        return new Unfolded(rows, ho, wo);
    }

    /**
     * Patches and output size.
     *
     * @param rows [B·H'·W', C·k·k]
     * @param height H'
     * @param width W'
     */
    public record Unfolded(NDArray rows, long height, long width) {
        /**
         * Outputs [B·H'·W', out] of a product of these rows → [B, out, H', W'].
         *
         * @param y the product's outputs [B·H'·W', out], rows in the order of {@link #rows()}
         * @return the same values as [B, out, H', W'] (a reshaped, transposed view of {@code y})
         */
        public NDArray fold(NDArray y) {
            long out = y.getShape().get(1);
            long b = y.getShape().get(0) / (height * width);
            return y.reshape(b, height, width, out).transpose(0, 3, 1, 2);
        }
    }

    /** Zero padding of {@code n} on both sides of {@code axis}. */
    private static NDArray pad(NDArray a, int axis, long n) {
        long[] zs = a.getShape().getShape().clone();
        zs[axis] = n;
        NDArray z = a.getManager().zeros(new Shape(zs), a.getDataType());
        return z.concat(a, axis).concat(z, axis);
    }
}
