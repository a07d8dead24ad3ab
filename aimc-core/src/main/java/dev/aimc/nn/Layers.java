package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;

/** Parameter-free layers: activations, pooling, flatten. */
public final class Layers {
    private Layers() {}

    /**
     * Rectified linear unit.
     *
     * @return max(0, x), no parameters
     */
    public static Module relu() {
        return new Fn("relu", Activation::relu);
    }

    /**
     * Hyperbolic tangent.
     *
     * @return tanh(x), no parameters
     */
    public static Module tanh() {
        return new Fn("tanh", Activation::tanh);
    }

    /**
     * Max pooling with a square window of size k and stride s.
     *
     * @param k window size in pixels
     * @param s stride in pixels
     * @return a module mapping [B, C, H, W] to [B, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]
     */
    public static Module maxPool2d(int k, int s) {
        return new Fn("maxPool2d", x -> Pool.maxPool2d(x, new Shape(k, k), new Shape(s, s), new Shape(0, 0), false));
    }

    /**
     * Average pooling with a square window of size k and stride s.
     *
     * @param k window size in pixels
     * @param s stride in pixels
     * @return a module mapping [B, C, H, W] to [B, C, ⌊(H − k)/s⌋ + 1, ⌊(W − k)/s⌋ + 1]
     */
    public static Module avgPool2d(int k, int s) {
        return new Fn("avgPool2d",
                x -> Pool.avgPool2d(x, new Shape(k, k), new Shape(s, s), new Shape(0, 0), false, true));
    }

    /**
     * Max pooling over the last axis of [B, C, L] with window k and stride s.
     *
     * @param k window length in samples
     * @param s stride in samples
     * @return a module mapping [B, C, L] to [B, C, ⌊(L − k)/s⌋ + 1]
     */
    public static Module maxPool1d(int k, int s) {
        return new Fn("maxPool1d", x -> Pool.maxPool1d(x, new Shape(k), new Shape(s), new Shape(0), false));
    }

    /**
     * Global average pooling of [B, C, ...] to [B, C].
     *
     * @return a module without parameters
     */
    public static Module globalAvgPool() {
        // PyTorch's engine in DJL reduces one axis at a time: flatten the spatial axes first.
        return new Fn("globalAvgPool", x -> {
            try (NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1)) {
                return flat.mean(new int[] {2});
            }
        });
    }

    /**
     * Flattens [B, ...] to [B, N].
     *
     * @return a module without parameters
     */
    public static Module flatten() {
        return new Fn("flatten", x -> x.reshape(x.getShape().get(0), -1));
    }

    /** A module wrapping a parameter-free function. */
    public static final class Fn extends Module {
        private final String kind;
        private final java.util.function.UnaryOperator<NDArray> f;

        Fn(String kind, java.util.function.UnaryOperator<NDArray> f) {
            this.kind = kind;
            this.f = f;
        }

        /**
         * The function's name, e.g. "relu".
         *
         * @return the name recorded for the layer
         */
        public String kind() {
            return kind;
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            return f.apply(x);
        }
    }
}
