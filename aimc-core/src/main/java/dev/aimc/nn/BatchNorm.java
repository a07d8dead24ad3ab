package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Batch normalisation over axis 1 (Ioffe and Szegedy 2015) for [B, C], [B, C, L] and [B, C, H, W] inputs.
 * Parameters {@code gamma}, {@code beta}; buffers {@code runningMean}, {@code runningVar} updated with
 * momentum 0.1 in training (PyTorch's convention: new = 0.9·old + 0.1·batch).
 */
public class BatchNorm extends Module {
    private final int channels;
    private final float momentum;
    private final float eps;

    /**
     * Creates the layer for {@code channels} channels, parameters in {@code m}.
     *
     * @param m the manager of the parameters and buffers
     * @param channels number of channels normalised
     */
    public BatchNorm(NDManager m, int channels) {
        this(m, channels, 1e-5f);
    }

    /**
     * Creates the layer for {@code channels} channels with ε = {@code eps} (an imported network's own), parameters in
     * {@code m}.
     *
     * @param m the manager of the parameters and buffers
     * @param channels number of channels normalised
     * @param eps ε added to the variance before the square root, &gt; 0
     */
    public BatchNorm(NDManager m, int channels, float eps) {
        this.channels = channels;
        this.momentum = 0.1f;
        this.eps = eps;
        addParameter("gamma", m.ones(new Shape(channels)));
        addParameter("beta", m.zeros(new Shape(channels)));
        addBuffer("runningMean", m.zeros(new Shape(channels)));
        addBuffer("runningVar", m.ones(new Shape(channels)));
    }

    /**
     * Number of channels normalised.
     *
     * @return the count
     */
    public int channels() {
        return channels;
    }

    /**
     * ε added to the variance before the square root.
     *
     * @return 1e-5 as PyTorch, unless the layer was created with another
     */
    public float eps() {
        return eps;
    }

    /**
     * Running mean per channel, updated in training with momentum 0.1.
     *
     * @return the buffer [channels]
     */
    public NDArray runningMean() {
        return buffer("runningMean");
    }

    /**
     * Running (unbiased) variance per channel, updated in training with momentum 0.1.
     *
     * @return the buffer [channels]
     */
    public NDArray runningVar() {
        return buffer("runningVar");
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        // DJL's momentum is the weight of the old value: 1 - PyTorch's momentum.
        return ai.djl.nn.norm.BatchNorm.batchNorm(x, runningMean(), runningVar(), parameter("gamma"),
                parameter("beta"), 1, 1f - momentum, eps, training).singletonOrThrow();
    }
}
