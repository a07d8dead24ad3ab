package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.aimc.data.Augmenter;
import dev.aimc.data.Dataset;
import dev.aimc.data.Normalization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A checkpoint's training split is tagged with the augmentation it was trained with (AdaBS calibrates through it). */
class TrainingAugmentationTest {

    static CheckpointMeta meta(String dataset, Boolean augment, long seed) {
        CheckpointMeta m = new CheckpointMeta();
        m.architecture = "lenet5";
        m.dataset = dataset;
        m.training = new TrainConfig();
        m.training.dataset = dataset;
        m.training.augment = augment;
        m.training.seed = seed;
        return m;
    }

    static Dataset images() {
        float[] v = new float[4 * 3 * 6 * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7) - 3;
        }
        return Dataset.ofFloats("x", new int[] {3, 6, 6}, v, new int[4], List.of("a"),
                Normalization.real(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}));
    }

    @Test
    void followsTheCheckpointsTrainingConfiguration() {
        Dataset d = images();
        assertNotNull(TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(meta("cifar10", null, 0)))
                .augmentation(), "cifar10 trains with crop + flip by default");
        assertNull(TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(meta("cifar10", false, 0)))
                .augmentation(), "--no-augment");
        assertNull(TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(meta("mnist", null, 0)))
                .augmentation(), "mnist is not augmented by default");
        CheckpointMeta old = meta("cifar10", null, 0);
        old.training = null; // a checkpoint without its training configuration: the data set's default
        assertNotNull(TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(old)).augmentation());
    }

    @Test
    void everyAugmenterItMakesStartsFromTheSameSeedAndDiffersBySeed() {
        Dataset d = images();
        Dataset a = TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(meta("cifar10", null, 3)));
        Dataset b = TrainRun.withTrainingAugmentation(d, TrainRun.evaluationConfig(meta("cifar10", null, 4)));
        int[] idx = {0, 1, 2, 3};
        float[] x1 = augmented(a, a.augmentation().get(), idx);
        float[] x2 = augmented(a, a.augmentation().get(), idx);
        assertArrayEquals(x1, x2, 0f);
        // 4 images, 9 x 9 crop offsets and a flip each: two seeds agree on all of them with probability ~1e-9
        assertFalse(java.util.Arrays.equals(x1, augmented(b, b.augmentation().get(), idx)),
                "different training seeds give different calibration augmentations");
    }

    static float[] augmented(Dataset d, Augmenter aug, int[] idx) {
        float[] x = d.normalized(idx);
        aug.apply(x, idx.length, d.shape(), d.zeroValues());
        return x;
    }
}
