package dev.aimc.data;

import dev.aimc.util.ConfigException;
import java.util.Arrays;

/**
 * Affine input normalisation: a raw value v of group g becomes {@code (v * scale - mean[g]) / std[g]}.
 *
 * <p>Groups split a sample into {@code mean.length} equal consecutive runs: channels of an image, features of a
 * feature vector. For uint8 images {@code scale = 1/255}, so mean and std are in [0, 1] units as in torchvision.
 *
 * @param scale factor applied to the raw value first (1/255 for uint8 pixels, 1 for real-valued features)
 * @param mean per-group mean, in scaled units
 * @param std per-group standard deviation, in scaled units, each &gt; 0
 */
public record Normalization(float scale, float[] mean, float[] std) {

    /** MNIST (LeCun et al. 1998): mean 0.1307, std 0.3081 of pixel/255, the constants torchvision examples use. */
    public static final Normalization MNIST = uint8(new float[] {0.1307f}, new float[] {0.3081f});
    /** Fashion-MNIST (Xiao et al. 2017): mean 0.2860, std 0.3530 of pixel/255. */
    public static final Normalization FASHION_MNIST = uint8(new float[] {0.2860f}, new float[] {0.3530f});
    /** CIFAR-10 (Krizhevsky 2009): per-channel R, G, B mean and std of pixel/255. */
    public static final Normalization CIFAR10 = uint8(
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    /**
     * Validates lengths and positivity.
     *
     * @param scale factor applied to a raw value before the mean is subtracted (1/255 for pixels, 1 for real data)
     * @param mean per-group mean, subtracted after scaling
     * @param std per-group standard deviation (> 0), divided by last
     */
    public Normalization {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new ConfigException("normalization mean and std must be non-empty and of equal length");
        }
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new ConfigException("normalization scale must be a finite number > 0, got " + scale);
        }
        mean = mean.clone();
        std = std.clone();
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i])) {
                throw new ConfigException("normalization std[" + i + "] must be finite and > 0, mean finite, got "
                        + mean[i] + "/" + std[i]);
            }
        }
    }

    /**
     * Normalisation of uint8 pixels: scale 1/255 then per-channel mean/std.
     *
     * @param mean per-channel mean of pixel/255
     * @param std per-channel standard deviation of pixel/255 (> 0)
     * @return (v/255 − mean[c]) / std[c]
     */
    public static Normalization uint8(float[] mean, float[] std) {
        return new Normalization(1f / 255f, mean, std);
    }

    /**
     * Normalisation of real-valued data: per-group mean/std, no scaling.
     *
     * @param mean per-group mean
     * @param std per-group standard deviation (> 0)
     * @return (v − mean[g]) / std[g]
     */
    public static Normalization real(float[] mean, float[] std) {
        return new Normalization(1f, mean, std);
    }

    /**
     * Number of groups (channels or features).
     *
     * @return the length of {@link #mean()}
     */
    public int groups() {
        return mean.length;
    }

    /**
     * Normalised value of raw value {@code v} in group {@code g}.
     *
     * @param g group (channel or feature) index in [0, groups())
     * @param v raw value
     * @return (scale·v − mean[g]) / std[g]
     */
    public float apply(int g, float v) {
        return (v * scale - mean[g]) / std[g];
    }

    /**
     * The per-group mean, subtracted after scaling (a copy: records expose no mutable state).
     *
     * @return a new array of length {@link #groups()}
     */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The per-group standard deviation (> 0), divided by last (a copy).
     *
     * @return a new array of length {@link #groups()}
     */
    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && n.scale == scale && Arrays.equals(n.mean, mean)
                && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return Float.hashCode(scale) * 31 * 31 + Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[scale=" + scale + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
