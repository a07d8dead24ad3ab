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
     */
    void apply(float[] x, int batch, int[] shape, float[] zero);

    /**
     * The standard CIFAR-10 training augmentation (He et al. 2016, torchvision {@code RandomCrop(32, padding=4)}
     * then {@code RandomHorizontalFlip(0.5)}): 4-pixel zero padding of the raw image, random 32x32 crop, flip.
     */
    static Augmenter cifar(long seed) {
        return new CropFlip(4, 0.5, seed);
    }

    /** Random crop from the image zero-padded by {@code pad} pixels, then horizontal flip with probability {@code pFlip}. */
    static Augmenter cropFlip(int pad, double pFlip, long seed) {
        return new CropFlip(pad, pFlip, seed);
    }
}
