package dev.aimc.data;

/**
 * A seeded, in-place transformation of a normalised batch (training-time data augmentation).
 *
 * <p>Implementations draw from their own generator, so the same seed and the same sequence of batches give the
 * same result; seed one per epoch, e.g. {@code Augmenter.cifar(Rng.derive(seed, epoch))}.
 */
public interface Augmenter {

    /**
     * Transforms {@code x} ({@code batch} samples of {@code shape}, concatenated) in place.
     *
     * @param zero per-channel normalised value of a raw 0, used for padding
     * @param x normalised samples, modified in place
     * @param batch number of samples in {@code x}
     * @param shape shape of one sample, [C, H, W]
     */
    void apply(float[] x, int batch, int[] shape, float[] zero);

    /**
     * The standard CIFAR-10 training augmentation (He et al. 2016, torchvision {@code RandomCrop(32, padding=4)}
     * then {@code RandomHorizontalFlip(0.5)}): 4-pixel zero padding of the raw image, random 32x32 crop, flip.
     *
     * @param seed seed of the crop offsets and flips
     * @return a new augmenter with its own random state
     */
    static Augmenter cifar(long seed) {
        return new CropFlip(4, 0.5, seed);
    }

    /**
     * Random crop from the image zero-padded by {@code pad} pixels, then horizontal flip with probability {@code
     * pFlip}.
     *
     * @param pad zero-padding in pixels on every side (≥ 0)
     * @param pFlip probability of a horizontal flip, in [0, 1]
     * @param seed seed of the crop offsets and flips
     * @return a new augmenter with its own random state
     */
    static Augmenter cropFlip(int pad, double pFlip, long seed) {
        return new CropFlip(pad, pFlip, seed);
    }
}
