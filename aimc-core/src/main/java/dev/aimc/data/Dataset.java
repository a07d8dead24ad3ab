package dev.aimc.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * An in-memory labelled data set: raw samples (uint8 pixels or real features) in one flat array, integer labels,
 * the sample shape, class names and the normalisation applied when a batch is built.
 *
 * <p>Images keep their raw bytes (CHW order per sample); {@link #batch(NDManager, int[])} normalises into one
 * {@code float[]} and creates a single NDArray, so batches are cheap.
 */
public final class Dataset {
    private final String name;
    private final int[] shape;
    private final int sampleSize;
    private final byte[] bytes;
    private final float[] floats;
    private final int[] labels;
    private final List<String> classNames;
    private final Normalization norm;
    private final float[] lut;     // uint8: group*256 + value -> normalised value
    private final float[] offset;  // real: per element, normalised = x * mul - offset
    private final float[] mul;
    private final Supplier<Augmenter> augmentation;

    private Dataset(String name, int[] shape, byte[] bytes, float[] floats, int[] labels, List<String> classNames,
            Normalization norm, Supplier<Augmenter> augmentation) {
        this.name = name;
        this.augmentation = augmentation;
        this.shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new ConfigException("dataset " + name + ": sample shape must be positive, got "
                        + Arrays.toString(shape));
            }
            size *= d;
        }
        this.sampleSize = Math.toIntExact(size);
        long n = bytes != null ? bytes.length : floats.length;
        if (n != (long) labels.length * sampleSize) {
            throw new ConfigException("dataset " + name + ": " + n + " values for " + labels.length
                    + " samples of shape " + Arrays.toString(shape));
        }
        if (sampleSize % norm.groups() != 0) {
            throw new ConfigException("dataset " + name + ": " + norm.groups()
                    + " normalisation groups do not divide sample size " + sampleSize);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new ConfigException("dataset " + name + ": label " + labels[i] + " of sample " + i
                        + " outside [0, " + (classNames.size() - 1) + "]");
            }
        }
        this.bytes = bytes;
        this.floats = floats;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.norm = norm;
        int groupSize = sampleSize / norm.groups();
        if (bytes != null) {
            lut = new float[norm.groups() * 256];
            for (int g = 0; g < norm.groups(); g++) {
                for (int v = 0; v < 256; v++) {
                    lut[g * 256 + v] = norm.apply(g, v);
                }
            }
            offset = null;
            mul = null;
        } else {
            lut = null;
            offset = new float[sampleSize];
            mul = new float[sampleSize];
            float[] m = norm.mean();
            float[] s = norm.std();
            for (int j = 0; j < sampleSize; j++) {
                int g = j / groupSize;
                mul[j] = norm.scale() / s[g];
                offset[j] = m[g] / s[g];
            }
        }
    }

    /**
     * A data set of uint8 samples ({@code pixels.length = labels.length * prod(shape)}), taking ownership of the
     * arrays.
     *
     * @param name data set name, e.g. "mnist"
     * @param shape shape of one sample, e.g. [1, 28, 28]
     * @param pixels all samples' raw values 0..255, sample-major, not copied
     * @param labels class index of each sample, in [0, classNames.size()), not copied
     * @param classNames class names, index = label
     * @param norm the normalisation batches apply (scale 1/255, then mean/std per channel)
     * @return the data set, sharing the arrays
     */
    public static Dataset ofBytes(String name, int[] shape, byte[] pixels, int[] labels, List<String> classNames,
            Normalization norm) {
        return new Dataset(name, shape, pixels, null, labels, classNames, norm, null);
    }

    /**
     * A data set of real-valued samples, taking ownership of the arrays.
     *
     * @param name data set name, e.g. "har"
     * @param shape shape of one sample, e.g. [561] or [9, 128]
     * @param values all samples' raw values, sample-major ({@code labels.length * prod(shape)}), not copied
     * @param labels class index of each sample, in [0, classNames.size()), not copied
     * @param classNames class names, index = label
     * @param norm the normalisation batches apply (per-group mean/std)
     * @return the data set, sharing the arrays
     */
    public static Dataset ofFloats(String name, int[] shape, float[] values, int[] labels, List<String> classNames,
            Normalization norm) {
        return new Dataset(name, shape, null, values, labels, classNames, norm, null);
    }

    /**
     * Name, e.g. "mnist" or "cifar10".
     *
     * @return the data set's name
     */
    public String name() {
        return name;
    }

    /**
     * Number of samples.
     *
     * @return the number of samples (≥ 0)
     */
    public int size() {
        return labels.length;
    }

    /**
     * Shape of one sample, e.g. [1, 28, 28], [3, 32, 32], [561], [9, 128].
     *
     * @return a copy of the shape of one sample
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * Number of values in one sample.
     *
     * @return the product of {@link #shape()}
     */
    public int sampleSize() {
        return sampleSize;
    }

    /**
     * Number of classes.
     *
     * @return the number of classes (≥ 1)
     */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Class names, index = label.
     *
     * @return the class names (the list the data set holds; do not modify)
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The normalisation batches apply (record it in checkpoints).
     *
     * @return the normalisation of this data set
     */
    public Normalization normalization() {
        return norm;
    }

    /**
     * True when samples are stored as uint8 pixels.
     *
     * @return true for uint8 pixel data, false for float data
     */
    public boolean isUint8() {
        return bytes != null;
    }

    /**
     * Label of sample {@code i}, in [0, numClasses).
     *
     * @param i sample index in [0, size())
     * @return the class index of sample i
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * A copy of all labels.
     *
     * @return a new array of length {@link #size()}
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Number of samples per class.
     *
     * @return a new array of length {@link #numClasses()}: entry c counts the samples labelled c
     */
    public int[] labelCounts() {
        int[] c = new int[numClasses()];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    /**
     * Raw value {@code j} of sample {@code i} (0..255 for uint8 data).
     *
     * @param i sample index in [0, size())
     * @param j value index in [0, sampleSize())
     * @return the value before normalisation
     */
    public float raw(int i, int j) {
        int k = i * sampleSize + j;
        return bytes != null ? (bytes[k] & 0xFF) : floats[k];
    }

    /**
     * Writes the normalised sample {@code i} into {@code dst[off .. off + sampleSize)}.
     *
     * @param i sample index in [0, size())
     * @param dst destination, at least {@code off + sampleSize()} long
     * @param off first index written
     */
    public void normalizedInto(int i, float[] dst, int off) {
        if (i < 0 || i >= labels.length) {
            throw new ConfigException("sample index must be in [0, " + (labels.length - 1) + "], got " + i);
        }
        int base = i * sampleSize;
        if (bytes != null) {
            int groupSize = sampleSize / norm.groups();
            for (int g = 0, j = 0; g < norm.groups(); g++) {
                int lb = g * 256;
                for (int e = 0; e < groupSize; e++, j++) {
                    dst[off + j] = lut[lb + (bytes[base + j] & 0xFF)];
                }
            }
        } else {
            for (int j = 0; j < sampleSize; j++) {
                dst[off + j] = floats[base + j] * mul[j] - offset[j];
            }
        }
    }

    /**
     * Normalised samples {@code indices}, concatenated: length {@code indices.length * sampleSize()}.
     *
     * @param indices sample indices, each in [0, size()); repeats allowed
     * @return a new array of normalised values
     */
    public float[] normalized(int[] indices) {
        float[] x = new float[indices.length * sampleSize];
        for (int b = 0; b < indices.length; b++) {
            normalizedInto(indices[b], x, b * sampleSize);
        }
        return x;
    }

    /**
     * Normalised value of a raw 0 per group: the value torchvision-style zero padding takes after normalising.
     *
     * @return one value per normalisation group (channel), e.g. −0.4242 for MNIST
     */
    public float[] zeroValues() {
        float[] z = new float[norm.groups()];
        for (int g = 0; g < z.length; g++) {
            z[g] = norm.apply(g, 0f);
        }
        return z;
    }

    /**
     * Builds {x float32 [B, ...shape] normalised, y int64 [B]} in {@code manager}.
     *
     * @param manager the manager the arrays are created in (the caller closes it)
     * @param indices sample indices, each in [0, size())
     * @return {x, y}: inputs float32 [B, ...shape] and labels int64 [B], B = indices.length
     */
    public NDArray[] batch(NDManager manager, int[] indices) {
        return batch(manager, indices, null);
    }

    /**
     * As {@link #batch(NDManager, int[])}, with {@code augmenter} (may be null) applied to the normalised batch.
     *
     * @param manager the manager the arrays are created in (the caller closes it)
     * @param indices sample indices, each in [0, size())
     * @param augmenter random crop/flip applied in place to the normalised inputs, or null for none
     * @return {x, y}: inputs float32 [B, ...shape] and labels int64 [B], B = indices.length
     */
    public NDArray[] batch(NDManager manager, int[] indices, Augmenter augmenter) {
        float[] x = normalized(indices);
        if (augmenter != null) {
            augmenter.apply(x, indices.length, shape, zeroValues());
        }
        long[] y = new long[indices.length];
        for (int b = 0; b < y.length; b++) {
            y[b] = labels[indices[b]];
        }
        long[] dims = new long[shape.length + 1];
        dims[0] = indices.length;
        for (int d = 0; d < shape.length; d++) {
            dims[d + 1] = shape[d];
        }
        return new NDArray[] {manager.create(x, new Shape(dims)), manager.create(y, new Shape(indices.length))};
    }

    /**
     * A new data set of samples {@code indices} (copied), same shape, classes and normalisation.
     *
     * @param newName the subset's name
     * @param indices sample indices to copy, each in [0, size()), in this order
     * @return a new data set of {@code indices.length} samples
     */
    public Dataset subset(String newName, int[] indices) {
        int[] l = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            l[b] = labels[indices[b]];
        }
        if (bytes != null) {
            byte[] p = new byte[indices.length * sampleSize];
            for (int b = 0; b < indices.length; b++) {
                System.arraycopy(bytes, indices[b] * sampleSize, p, b * sampleSize, sampleSize);
            }
            return new Dataset(newName, shape, p, null, l, classNames, norm, augmentation);
        }
        float[] f = new float[indices.length * sampleSize];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(floats, indices[b] * sampleSize, f, b * sampleSize, sampleSize);
        }
        return new Dataset(newName, shape, null, f, l, classNames, norm, augmentation);
    }

    /**
     * The same samples (shared, not copied) tagged with the augmentation a network saw them through in training;
     * consumers that must reproduce the training input distribution (AdaBS calibration) apply a fresh one.
     *
     * @param augmentation makes a freshly seeded augmenter; null: none
     * @return a view of these samples carrying {@code augmentation}
     */
    public Dataset withAugmentation(Supplier<Augmenter> augmentation) {
        return new Dataset(name, shape, bytes, floats, labels, classNames, norm, augmentation);
    }

    /**
     * The same samples (shared, not copied) normalised by {@code norm} instead: for a network that expects its own
     * preprocessing (an imported network).
     *
     * @param norm the normalisation batches apply from now on
     * @return a view of these samples with {@code norm}
     * @throws ConfigException when {@code norm}'s groups do not divide the sample size
     */
    public Dataset withNormalization(Normalization norm) {
        return new Dataset(name, shape, bytes, floats, labels, classNames, norm, augmentation);
    }

    /**
     * The training augmentation this split is tagged with ({@link #withAugmentation}); null when none.
     *
     * @return a supplier of freshly seeded augmenters, or null
     */
    public Supplier<Augmenter> augmentation() {
        return augmentation;
    }

    @Override
    public String toString() {
        return name + "[" + size() + " x " + Arrays.toString(shape) + ", " + numClasses() + " classes]";
    }
}
