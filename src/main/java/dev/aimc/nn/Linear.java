package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Fully connected layer y = x·Wᵀ + b; weight shape [out, in], bias [out]. */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    /** Creates the layer with PyTorch's default initialisation, parameters in {@code m}. */
    public Linear(NDManager m, int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        addParameter("weight", Init.torchDefault(m, new Shape(outFeatures, inFeatures), inFeatures));
        if (bias) {
            addParameter("bias", Init.torchDefault(m, new Shape(outFeatures), inFeatures));
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** The bias, or null. */
    public NDArray bias() {
        return ownParameters().get("bias");
    }

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
