package dev.aimc.cli;

import dev.aimc.data.Dataset;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.Check;

/**
 * The validation images of the searches ({@code quant-search}, {@code place-compensation}): the last N images of
 * the training split, held out from the test set (never used to choose a design) and, when the checkpoint was
 * trained with {@code --train-limit} ≤ size − N, unseen in training too.
 */
final class ValidationSplit {
    private ValidationSplit() {}

    /**
     * The held-out validation images.
     *
     * @param train the full training split (not cut to the checkpoint's train limit)
     * @param n how many, from the end, ≥ 1
     * @return the last n images of {@code train}
     */
    static Dataset of(Dataset train, int n) {
        Check.range("--val-limit", n, 1, train.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = train.size() - n + i;
        }
        return train.subset(train.name() + "-val", idx);
    }

    /**
     * The training images before the validation images ({@link #of}), e.g. to train a compensation on.
     *
     * @param train the full training split
     * @param n validation images held out at its end
     * @return the first size − n images of {@code train}
     * @throws dev.aimc.util.ConfigException naming --val-limit when no image is left
     */
    static Dataset rest(Dataset train, int n) {
        Check.that(train.size() - n > 0, "--val-limit", "must leave training images for the compensation", n);
        int[] idx = new int[train.size() - n];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return train.subset(train.name() + "-comp", idx);
    }

    /**
     * Whether the validation images were among the checkpoint's training images.
     *
     * @param meta the checkpoint's description
     * @param trainSize the size of the full training split
     * @param n validation images
     * @return true unless it was trained on at most trainSize − n images (the first ones)
     */
    static boolean seenInTraining(CheckpointMeta meta, int trainSize, int n) {
        int limit = meta.training == null ? 0 : meta.training.trainLimit;
        return limit <= 0 || limit > trainSize - n;
    }
}
