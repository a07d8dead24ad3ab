package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Losses on logits. */
public final class Loss {
    private Loss() {}

    /**
     * Mean softmax cross-entropy of {@code logits} [B, K] against integer labels [B]: mean over the batch of
     * −Σ_k t_k · log softmax(logits)_k with t = (1 − ε)·onehot + ε/K ({@code smoothing} = ε, 0 for plain CE).
     * The result is attached to the logits' manager.
     *
     * @param logits float32 [B, K]
     * @param labels int64 class indices [B]
     * @param smoothing label smoothing ε in [0, 1)
     * @return a scalar
     */
    public static NDArray softmaxCrossEntropy(NDArray logits, NDArray labels, double smoothing) {
        int k = (int) logits.getShape().get(1);
        NDArray logp = logits.logSoftmax(1);
        NDArray target = labels.toType(DataType.INT64, false).oneHot(k).toType(logp.getDataType(), false);
        if (smoothing > 0) {
            target = target.mul((float) (1 - smoothing)).add((float) (smoothing / k));
        }
        return logp.mul(target).sum(new int[] {1}).mean().neg();
    }

    /**
     * Number of rows whose arg-max equals the label, as a scalar int64 array in the logits' manager.
     *
     * @param logits [B, K]
     * @param labels class indices [B]
     * @return int64 scalar
     */
    public static NDArray correct(NDArray logits, NDArray labels) {
        return logits.argMax(1).eq(labels.toType(DataType.INT64, false)).toType(DataType.INT64, false).sum();
    }
}
