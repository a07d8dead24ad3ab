package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.nn.Module;
import org.junit.jupiter.api.Test;

/** Accuracy.top1: the fraction right, and no accuracy at all from outputs with NaN. */
class AccuracyTest {

    /** Scores class (label of nothing): one-hot of a fixed class, with NaN in row {@code nanRow} when ≥ 0. */
    private static final class Fixed extends Module {
        final int cls;
        final int nanRow;

        Fixed(int cls, int nanRow) {
            this.cls = cls;
            this.nanRow = nanRow;
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            long b = x.getShape().get(0);
            float[] v = new float[(int) b * 10];
            for (int i = 0; i < b; i++) {
                v[i * 10 + cls] = 1f;
            }
            if (nanRow >= 0 && nanRow < b) {
                v[nanRow * 10 + 3] = Float.NaN;
            }
            return x.getManager().create(v, new ai.djl.ndarray.types.Shape(b, 10));
        }
    }

    @Test
    void fractionOfRightAnswersAndRefusalOfNan() {
        Dataset test = DataSets.embeddedMnist(Split.TEST);
        int n = 200;
        try (NDManager m = NDManager.newBaseManager()) {
            int[] idx = java.util.stream.IntStream.range(0, n).toArray();
            long sevens = test.batch(m, idx)[1].eq(7).sum().getLong();
            assertEquals(sevens / (double) n, Accuracy.top1(new Fixed(7, -1), test, 64, n, m), 1e-12);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Accuracy.top1(new Fixed(7, 5), test, 64, n, m));
            assertTrue(e.getMessage().startsWith("4 of 200 outputs of Fixed have NaN"), e.getMessage());
        }
    }
}
