package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Weight initialisers, drawing from the engine RNG (seed it with {@code Rng.seed}). */
public final class Init {
    private Init() {}

    /**
     * Uniform on [-bound, bound].
     *
     * @param m the manager of the array
     * @param shape its shape
     * @param bound half-width of the interval (&gt; 0)
     * @return float32 values drawn from the engine's generator
     */
    public static NDArray uniform(NDManager m, Shape shape, double bound) {
        return m.randomUniform((float) -bound, (float) bound, shape);
    }

    /**
     * PyTorch's default for Linear and Conv: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (kaiming_uniform, a = sqrt 5).
     *
     * @param m the manager of the array
     * @param shape its shape
     * @param fanIn inputs per output (in features, or in channels × kernel area)
     * @return float32 values drawn from the engine's generator
     */
    public static NDArray torchDefault(NDManager m, Shape shape, long fanIn) {
        return uniform(m, shape, 1.0 / Math.sqrt(fanIn));
    }

    /**
     * He et al. 2015 normal initialisation with std sqrt(2 / fan).
     *
     * @param m the manager of the array
     * @param shape its shape
     * @param fan fan-in or fan-out, as the caller chooses (ResNet uses fan-out)
     * @return float32 values drawn from the engine's generator
     */
    public static NDArray kaimingNormal(NDManager m, Shape shape, long fan) {
        return m.randomNormal(0f, (float) Math.sqrt(2.0 / fan), shape, ai.djl.ndarray.types.DataType.FLOAT32);
    }

    /**
     * Sets a convolution's weight, in place, to {@link #kaimingNormal} values with fan-out = outChannels·k², as He et
     * al.'s ResNet (and the CIFAR ResNets, ResNet-9 and VGG built on it) initialise their convolutions.
     *
     * @param m the manager the draw is made in
     * @param c the convolution
     */
    public static void kaimingFanOut(NDManager m, Conv2d c) {
        NDArray w = c.weight();
        try (NDArray k = kaimingNormal(m, w.getShape(), (long) c.outChannels() * c.kernel() * c.kernel())) {
            dev.aimc.util.InPlace.assign(w, k);
        }
    }
}
