package dev.aimc.data;

import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.SplittableRandom;

/** Random crop from a zero-padded image followed by a random horizontal flip; see {@link Augmenter#cifar(long)}. */
final class CropFlip implements Augmenter {
    private final int pad;
    private final double pFlip;
    private final SplittableRandom rnd;

    CropFlip(int pad, double pFlip, long seed) {
        this.pad = Check.range("pad", pad, 0, 64);
        this.pFlip = Check.range("flip probability", pFlip, 0.0, 1.0);
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public void apply(float[] x, int batch, int[] shape, float[] zero) {
        if (shape.length != 3) {
            throw new ConfigException("crop/flip augmentation needs images of shape [C, H, W], got "
                    + java.util.Arrays.toString(shape));
        }
        int c = shape[0];
        int h = shape[1];
        int w = shape[2];
        int n = c * h * w;
        float[] tmp = new float[n];
        for (int b = 0; b < batch; b++) {
            // Draw order per sample fixed: dy, dx, flip — part of the determinism contract.
            int dy = rnd.nextInt(2 * pad + 1) - pad;
            int dx = rnd.nextInt(2 * pad + 1) - pad;
            boolean flip = pFlip > 0 && rnd.nextDouble() < pFlip;
            if (dy == 0 && dx == 0 && !flip) {
                continue;
            }
            int base = b * n;
            System.arraycopy(x, base, tmp, 0, n);
            for (int ch = 0; ch < c; ch++) {
                float z = zero[ch % zero.length];
                int cb = ch * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    int row = base + cb + y * w;
                    if (sy < 0 || sy >= h) {
                        java.util.Arrays.fill(x, row, row + w, z);
                        continue;
                    }
                    int srow = cb + sy * w;
                    for (int xx = 0; xx < w; xx++) {
                        int cx = flip ? w - 1 - xx : xx; // flip after crop: output xx shows crop column cx
                        int sx = cx + dx;
                        x[row + xx] = sx < 0 || sx >= w ? z : tmp[srow + sx];
                    }
                }
            }
        }
    }
}
