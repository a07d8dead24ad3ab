package dev.aimc.compensation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.data.Augmenter;
import dev.aimc.data.Dataset;
import dev.aimc.data.Normalization;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AdaBS statistics equal mean/variance computed directly over the same calibration activations. */
class AdaBsTest {

    static Dataset images(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n * 2 * 5 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() + 0.3);
        }
        int[] labels = new int[n];
        return Dataset.ofFloats("calib", new int[] {2, 5, 5}, v, labels, List.of("0", "1"),
                Normalization.real(new float[] {0f, 0f}, new float[] {1f, 1f}));
    }

    static Sequential net(NDManager m) {
        Rng.seed(5);
        return new Sequential().add(new Conv2d(m, 2, 3, 3, 1, 1, true)).add(new BatchNorm(m, 3))
                .add(Layers.relu()).add(new Conv2d(m, 3, 4, 3, 1, 0, false)).add(new BatchNorm(m, 4));
    }

    /** Per-channel mean and unbiased variance of [B, C, H, W] over B, H, W, in double precision. */
    static double[][] direct(NDArray a) {
        long c = a.getShape().get(1);
        NDArray d = a.transpose(1, 0, 2, 3).reshape(c, -1).toType(DataType.FLOAT64, false);
        long n = d.getShape().get(1);
        NDArray mean = d.mean(new int[] {1}, true);
        NDArray var = d.sub(mean).square().sum(new int[] {1}).div(n - 1);
        return new double[][] {mean.toDoubleArray(), var.toDoubleArray()};
    }

    static double[] f2d(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void firstLayerStatisticsOverUnevenBatchesMatchDirectComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sequential net = net(m);
            Dataset calib = images(50, 1);
            AdaBs adabs = new AdaBs(47, 20); // batches of 20, 20, 7
            float[] oldMean = ((BatchNorm) net.module("1")).runningMean().toFloatArray();
            try (Undo u = adabs.recalibrate(net, calib, m)) {
                int[] idx = new int[47];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                NDArray x = calib.batch(m, idx)[0];
                NDArray h = AnalogNetwork.inference(() -> net.module("0").forward(x, false));
                double[][] want = direct(h);
                BatchNorm bn = (BatchNorm) net.module("1");
                assertArrayEquals(want[0], f2d(bn.runningMean().toFloatArray()), 1e-5);
                assertArrayEquals(want[1], f2d(bn.runningVar().toFloatArray()), 1e-4);
            }
            assertArrayEquals(oldMean, ((BatchNorm) net.module("1")).runningMean().toFloatArray(), 0f);
        }
    }

    @Test
    void calibratesThroughTheDatasetsTrainingAugmentationFreshlySeededEachCall() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sequential net = net(m);
            Dataset plain = images(40, 3);
            Dataset calib = plain.withAugmentation(() -> Augmenter.cropFlip(2, 0.5, 11));
            int[] idx = new int[40];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            NDArray x = calib.batch(m, idx, Augmenter.cropFlip(2, 0.5, 11))[0]; // one batch of 40 = one call
            double[][] want = direct(AnalogNetwork.inference(() -> net.module("0").forward(x, false)));
            double[][] unaugmented = direct(AnalogNetwork.inference(
                    () -> net.module("0").forward(plain.batch(m, idx)[0], false)));
            BatchNorm bn = (BatchNorm) net.module("1");
            for (int call = 0; call < 2; call++) { // the same draws on every call: results do not depend on order
                try (Undo u = new AdaBs(40, 40).recalibrate(net, calib, m)) {
                    assertArrayEquals(want[0], f2d(bn.runningMean().toFloatArray()), 1e-5);
                    assertArrayEquals(want[1], f2d(bn.runningVar().toFloatArray()), 1e-4);
                }
            }
            // padding with raw zeros changes the statistics: the augmentation is not a no-op here
            double diff = 0;
            for (int c = 0; c < 3; c++) {
                diff = Math.max(diff, Math.abs(want[1][c] - unaugmented[1][c]) / unaugmented[1][c]);
            }
            org.junit.jupiter.api.Assertions.assertTrue(diff > 0.01, "augmented vs plain variance " + diff);
            assertEquals(null, plain.augmentation());
            assertEquals(calib.augmentation(), calib.subset("s", new int[] {0, 1}).augmentation());
        }
    }

    @Test
    void deeperLayerStatisticsMatchActivationsNormalisedWithBatchStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sequential net = net(m);
            Dataset calib = images(30, 2);
            int[] idx = new int[30];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            // direct: one batch, first BN in training mode (batch statistics), then the second conv
            NDArray x = calib.batch(m, idx)[0];
            BatchNorm bn1 = (BatchNorm) net.module("1");
            NDArray h2 = AnalogNetwork.inference(() -> {
                NDArray h1 = net.module("0").forward(x, false);
                NDArray n1 = ai.djl.nn.norm.BatchNorm.batchNorm(h1, m.zeros(new Shape(3)), m.ones(new Shape(3)),
                        bn1.parameter("gamma"), bn1.parameter("beta"), 1, 0.9f, bn1.eps(), true).singletonOrThrow();
                return net.module("3").forward(net.module("2").forward(n1, false), false);
            });
            double[][] want = direct(h2);
            try (Undo u = new AdaBs(30, 30).recalibrate(net, calib, m)) {
                BatchNorm bn2 = (BatchNorm) net.module("4");
                assertArrayEquals(want[0], f2d(bn2.runningMean().toFloatArray()), 1e-4);
                assertArrayEquals(want[1], f2d(bn2.runningVar().toFloatArray()), 1e-4);
            }
        }
    }

    @Test
    void chanUpdateEqualsOnePassStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(9);
            NDArray a = m.randomNormal(new Shape(13, 3, 2, 2)).mul(2f).add(5f);
            AdaBs.Stats s = new AdaBs.Stats(3);
            s.add(a.get("0:5"));
            s.add(a.get("5:6"));
            s.add(a.get("6:13"));
            double[][] want = direct(a);
            assertEquals(13 * 4, s.count());
            assertArrayEquals(want[0], s.mean(), 1e-9);
            assertArrayEquals(want[1], s.variance(), 1e-9);
        }
    }

    @Test
    void worksThroughAnAnalogNetworkAndNeedsCalibrationData() {
        try (NDManager m = NDManager.newBaseManager()) {
            Sequential net = net(m);
            Dataset calib = images(20, 3);
            try (AnalogNetwork a = AnalogConverter.convert(net, Set.of(), CompensationTest.exact(64, 64),
                    new CompensationTest.UniformDrift(0.05))) {
                a.program(1);
                a.driftTo(86400);
                float[] before = ((BatchNorm) net.module("1")).runningMean().toFloatArray();
                try (Undo u = new AdaBs(20, 10).apply(a, calib, m)) {
                    float[] after = ((BatchNorm) net.module("1")).runningMean().toFloatArray();
                    assertEquals(3, after.length);
                    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(before, after));
                }
                assertThrows(ConfigException.class, () -> new AdaBs(20, 10).apply(a, null, m));
            }
        }
    }
}
