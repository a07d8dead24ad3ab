package dev.aimc.runner;

import dev.aimc.data.Dataset;
import dev.aimc.data.Normalization;
import java.io.Serializable;
import java.util.ArrayList;

/**
 * A data set's arrays as the driver loaded them (uint8 pixels or real values, labels, class names, normalisation),
 * serializable, so the images travel with a cluster job and workers never read the data directory. The data set
 * rebuilt from them ({@link #dataset()}) has the same samples, labels and normalisation, without augmentation.
 *
 * @serial exclude
 */
public final class DatasetArrays implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int[] shape;
    private final byte[] pixels;
    private final float[] values;
    private final int[] labels;
    private final ArrayList<String> classNames;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    /** The data set rebuilt in this JVM, or null before the first use. */
    private transient Dataset rebuilt;

    /**
     * Copies the first {@code n} samples of a data set.
     *
     * @param d the data set
     * @param n how many, from index 0, in [0, d.size()]
     */
    public DatasetArrays(Dataset d, int n) {
        dev.aimc.util.Check.range("samples", n, 0, d.size());
        name = d.name();
        shape = d.shape().clone();
        labels = java.util.Arrays.copyOf(d.labels(), n);
        classNames = new ArrayList<>(d.classNames());
        Normalization norm = d.normalization();
        scale = norm.scale();
        mean = norm.mean();
        std = norm.std();
        int s = d.sampleSize();
        pixels = d.isUint8() ? new byte[n * s] : null;
        values = d.isUint8() ? null : new float[n * s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                float v = d.raw(i, j);
                if (pixels != null) {
                    pixels[i * s + j] = (byte) (int) v;
                } else {
                    values[i * s + j] = v;
                }
            }
        }
    }

    /**
     * Copies every sample of a data set.
     *
     * @param d the data set
     */
    public DatasetArrays(Dataset d) {
        this(d, d.size());
    }

    /**
     * Bytes carried.
     *
     * @return the size of the samples and labels, in bytes
     */
    public long bytes() {
        return (pixels != null ? pixels.length : 4L * values.length) + 4L * labels.length;
    }

    /**
     * A new data set on copies of the arrays.
     *
     * @return the data set, without augmentation
     */
    public Dataset newDataset() {
        Normalization n = new Normalization(scale, mean, std);
        return pixels != null ? Dataset.ofBytes(name, shape, pixels.clone(), labels.clone(), classNames, n)
                : Dataset.ofFloats(name, shape, values.clone(), labels.clone(), classNames, n);
    }

    /**
     * The data set, rebuilt once per JVM and shared by the tasks that run there (a data set is only read).
     *
     * @return the data set, without augmentation
     */
    public synchronized Dataset dataset() {
        if (rebuilt == null) {
            rebuilt = newDataset();
        }
        return rebuilt;
    }
}
