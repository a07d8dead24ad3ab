package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Fully connected layer y = x·Wᵀ + b; weight shape [out, in], bias [out]. */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    /**
     * Creates the layer with PyTorch's default initialisation, parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inFeatures input features
     * @param outFeatures output features
     * @param bias whether to add a learned bias
     */
    public Linear(NDManager m, int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        addParameter("weight", Init.torchDefault(m, new Shape(outFeatures, inFeatures), inFeatures));
        if (bias) {
            addParameter("bias", Init.torchDefault(m, new Shape(outFeatures), inFeatures));
        }
    }

    /**
     * Input features.
     *
     * @return the count
     */
    public int inFeatures() {
        return inFeatures;
    }

    /**
     * Output features.
     *
     * @return the count
     */
    public int outFeatures() {
        return outFeatures;
    }

    /**
     * The bias, or null.
     *
     * @return [outFeatures], or null without bias
     */
    public NDArray bias() {
        return ownParameters().get("bias");
    }

    /**
     * The weight [outFeatures, inFeatures].
     *
     * @return the parameter array
     */
    public NDArray weight() {
        return parameter("weight");
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray b = bias();
        return b == null
                ? ai.djl.nn.core.Linear.linear(x, weight()).singletonOrThrow()
                : ai.djl.nn.core.Linear.linear(x, weight(), b).singletonOrThrow();
    }
}
