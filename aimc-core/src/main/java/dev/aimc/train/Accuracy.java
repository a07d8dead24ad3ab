package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.data.Dataset;
import dev.aimc.nn.Module;

/**
 * Top-1 accuracy of a network on a data set, in inference mode (no gradient recording), in batches: the one
 * evaluation used by training, {@code aimc accuracy}, {@code aimc evaluate} and the experiment engine, digital or
 * analog alike.
 */
public final class Accuracy {
    private Accuracy() {}

    /**
     * The fraction in [0, 1] of the whole of {@code test} that {@code model} classifies right.
     *
     * @param model the network, run in inference mode ({@code forward(x, false)}); an analog model draws its read
     *     and output noise as in any inference
     * @param test the labelled samples
     * @param batchSize samples per forward pass, ≥ 1 (the last batch may be smaller)
     * @param manager the parent of the sub-managers every array is made in (nothing is left in it)
     * @return correct top-1 predictions / samples, 0 for an empty data set
     */
    public static double top1(Module model, Dataset test, int batchSize, NDManager manager) {
        return top1(model, test, batchSize, test.size(), manager);
    }

    /**
     * The fraction in [0, 1] of the first {@code n} samples of {@code test} that {@code model} classifies right (0
     * for n = 0); every array is made in a sub-manager of {@code manager} and freed.
     *
     * @param model the network, run in inference mode ({@code forward(x, false)}) with gradient recording off
     * @param test the labelled samples
     * @param batchSize samples per forward pass, ≥ 1 (the last batch may be smaller)
     * @param n how many samples to evaluate, from index 0, in [0, test.size()]
     * @param manager the parent of the sub-managers every array is made in (nothing is left in it)
     * @return correct top-1 predictions / n
     */
    public static double top1(Module model, Dataset test, int batchSize, int n, NDManager manager) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager evalM = manager.newSubManager()) {
            NDArray correct = evalM.zeros(new Shape(), DataType.INT64);
            NDArray nanRows = evalM.zeros(new Shape(), DataType.INT64);
            for (int start = 0; start < n; start += batchSize) {
                int len = Math.min(batchSize, n - start);
                int[] idx = new int[len];
                for (int i = 0; i < len; i++) {
                    idx[i] = start + i;
                }
                try (NDManager batch = manager.newSubManager()) {
                    NDArray[] xy = test.batch(batch, idx);
                    NDArray logits = model.forward(xy[0], false);
                    correct.addi(Loss.correct(logits, xy[1]));
                    NDArray nanPerRow = logits.isNaN().toType(DataType.INT64, false).sum(new int[] {1});
                    nanRows.addi(nanPerRow.gt(0).toType(DataType.INT64, false).sum());
                }
            }
            long bad = nanRows.getLong();
            if (bad > 0) { // arg-max of a NaN row is an arbitrary class: an accuracy from it would be silently wrong
                throw new IllegalStateException(String.format(java.util.Locale.ROOT, "%d of %d outputs of %s have NaN"
                        + " (a numerical fault, not an accuracy; finite weights and inputs)", bad, n, model
                        .getClass().getSimpleName()));
            }
            return n == 0 ? 0 : correct.getLong() / (double) n;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
