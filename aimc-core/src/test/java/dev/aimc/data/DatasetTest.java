package dev.aimc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatasetTest {
    static Dataset train;
    static Dataset test;

    @BeforeAll
    static void load() {
        train = DataSets.embeddedMnist(Split.TRAIN);
        test = DataSets.load(null, "mnist-subset", Split.TEST);
    }

    @Test
    void embeddedSubsetIsStratified() {
        assertEquals(10_000, train.size());
        assertEquals(2_000, test.size());
        int[] k1 = new int[10];
        int[] k2 = new int[10];
        Arrays.fill(k1, 1000);
        Arrays.fill(k2, 200);
        assertArrayEquals(k1, train.labelCounts());
        assertArrayEquals(k2, test.labelCounts());
        assertArrayEquals(new int[] {1, 28, 28}, train.shape());
        assertEquals("mnist-subset", train.name());
        assertEquals(Normalization.MNIST, train.normalization());
    }

    @Test
    void batchNormalisesToZeroMeanUnitStd() {
        int[] all = IntStream.range(0, train.size()).toArray();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] b = train.batch(m, all);
            assertEquals(new Shape(10_000, 1, 28, 28), b[0].getShape());
            assertEquals(DataType.FLOAT32, b[0].getDataType());
            assertEquals(new Shape(10_000), b[1].getShape());
            assertEquals(DataType.INT64, b[1].getDataType());
            assertEquals(train.label(17), b[1].getLong(17));
            float mean = b[0].mean().getFloat();
            float std = (float) Math.sqrt(b[0].sub(mean).square().mean().getFloat());
            assertEquals(0f, mean, 0.05f);
            assertEquals(1f, std, 0.05f);
            // exact formula on one pixel
            float raw = train.raw(5, 400);
            assertEquals((raw / 255f - 0.1307f) / 0.3081f, b[0].get(5, 0, 14, 8).getFloat(), 1e-5f);
        }
    }

    @Test
    void cifarLikeChannelsNormalisePerChannel() {
        byte[] px = new byte[2 * 3072];
        Arrays.fill(px, 0, 1024, (byte) 255);
        Dataset d = Dataset.ofBytes("c", new int[] {3, 32, 32}, px, new int[] {0, 1}, Cifar10Reader.CLASSES,
                Normalization.CIFAR10);
        float[] x = d.normalized(new int[] {0});
        assertEquals((1 - 0.4914f) / 0.2470f, x[0], 1e-5f);
        assertEquals(-0.4822f / 0.2435f, x[1024], 1e-5f);
        assertEquals(-0.4465f / 0.2616f, x[3071], 1e-5f);
        assertArrayEquals(new float[] {-0.4914f / 0.2470f, -0.4822f / 0.2435f, -0.4465f / 0.2616f}, d.zeroValues(),
                1e-6f);
    }

    private static Dataset ramp() {
        // 4 images 3x32x32 whose raw value encodes (x + 2y) so crops and flips are recognisable
        byte[] px = new byte[4 * 3072];
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        px[i * 3072 + c * 1024 + y * 32 + x] = (byte) (1 + x + 2 * y + i + c);
                    }
                }
            }
        }
        return Dataset.ofBytes("ramp", new int[] {3, 32, 32}, px, new int[] {0, 1, 2, 3}, Cifar10Reader.CLASSES,
                Normalization.CIFAR10);
    }

    @Test
    void augmentationIsDeterministicPerSeed() {
        Dataset d = ramp();
        int[] idx = {0, 1, 2, 3, 0, 1, 2, 3};
        float[] a = d.normalized(idx);
        float[] b = d.normalized(idx);
        float[] c = d.normalized(idx);
        Augmenter.cifar(42).apply(a, idx.length, d.shape(), d.zeroValues());
        Augmenter.cifar(42).apply(b, idx.length, d.shape(), d.zeroValues());
        Augmenter.cifar(43).apply(c, idx.length, d.shape(), d.zeroValues());
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertFalse(Arrays.equals(a, d.normalized(idx)));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x1 = d.batch(m, idx, Augmenter.cifar(7))[0];
            NDArray x2 = d.batch(m, idx, Augmenter.cifar(7))[0];
            assertArrayEquals(x1.toFloatArray(), x2.toFloatArray());
        }
    }

    @Test
    void flipMirrorsAndCropPadsWithRawZero() {
        Dataset d = ramp();
        int[] idx = {2};
        float[] orig = d.normalized(idx);
        float[] f = orig.clone();
        Augmenter.cropFlip(0, 1.0, 1).apply(f, 1, d.shape(), d.zeroValues());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(orig[c * 1024 + y * 32 + 31 - x], f[c * 1024 + y * 32 + x]);
                }
            }
        }
        // flip twice = identity
        Augmenter.cropFlip(0, 1.0, 2).apply(f, 1, d.shape(), d.zeroValues());
        assertArrayEquals(orig, f);
        // crops: every output pixel is either a shifted source pixel (same shift for the whole image) or padding
        float[] z = d.zeroValues();
        for (long seed = 0; seed < 20; seed++) {
            float[] g = orig.clone();
            Augmenter.cropFlip(4, 0.0, seed).apply(g, 1, d.shape(), z);
            int[] shift = findShift(orig, g, z);
            assertEquals(true, Math.abs(shift[0]) <= 4 && Math.abs(shift[1]) <= 4, Arrays.toString(shift));
        }
    }

    /** Finds (dy, dx) with g[c][y][x] = orig[c][y+dy][x+dx] or the channel's zero value outside; fails if none. */
    private static int[] findShift(float[] orig, float[] g, float[] z) {
        for (int dy = -4; dy <= 4; dy++) {
            for (int dx = -4; dx <= 4; dx++) {
                boolean ok = true;
                for (int c = 0; c < 3 && ok; c++) {
                    for (int y = 0; y < 32 && ok; y++) {
                        for (int x = 0; x < 32 && ok; x++) {
                            int sy = y + dy;
                            int sx = x + dx;
                            float want = sy < 0 || sy >= 32 || sx < 0 || sx >= 32 ? z[c]
                                    : orig[c * 1024 + sy * 32 + sx];
                            ok = want == g[c * 1024 + y * 32 + x];
                        }
                    }
                }
                if (ok) {
                    return new int[] {dy, dx};
                }
            }
        }
        throw new AssertionError("output is not a padded crop of the input");
    }

    @Test
    void subsetAndValidation() {
        Dataset s = train.subset("s", new int[] {3, 1});
        assertEquals(2, s.size());
        assertEquals(train.label(3), s.label(0));
        assertEquals(train.raw(1, 300), s.raw(1, 300));
        assertThrows(ConfigException.class, () -> Dataset.ofBytes("x", new int[] {1, 2, 2}, new byte[7],
                new int[] {0, 0}, List.of("a"), Normalization.MNIST));
        assertThrows(ConfigException.class, () -> Dataset.ofBytes("x", new int[] {1, 2, 2}, new byte[4],
                new int[] {1}, List.of("a"), Normalization.MNIST));
        assertThrows(ConfigException.class, () -> train.normalized(new int[] {10_000}));
    }
}
