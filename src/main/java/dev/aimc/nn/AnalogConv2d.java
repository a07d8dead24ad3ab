package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;

/**
 * Analog twin of {@link Conv2d}. The unrolled weight [out, in_ch·k·k] (row order channel, ky, kx) is tiled with
 * whole input channels per row-tile: cpt = min(⌊maxRows / k²⌋, in_ch) channels, i.e. cpt·k² rows per tile.
 * A tile holding channels [c0, c1) computes conv(x[:, c0:c1], W_tile_eff), which equals the tile's share of
 * the im2col product because the DAC is element-wise (padding zeros stay zero). All tiles run as one grouped
 * convolution (groups = R row-tiles, R·C·cols output channels), so every tile's partial sums pass its own output
 * noise and ADC before the digital sum over row-tiles, exactly as in the unrolled tiled matrix.
 *
 * <p><b>ABS_MAX input scaling (approximation).</b> A conv input vector is one patch; per-patch scaling would
 * need an im2col. Instead α is the max |x| over the sample's whole input slice of that row-tile (all spatial
 * positions of its channels). α ≥ every patch's max, so no clipping occurs; quantization is coarser than
 * per-patch scaling for patches much smaller than the image maximum. With NONE scaling the result is exact.
 */
public final class AnalogConv2d extends Module implements AnalogLayer {
    private final Conv2d digital;
    private final AnalogMatrix matrix;
    private final int channelsPerTile;

    /** Copies the layer's weight and bias onto tiles configured by {@code cfg} (not yet programmed). */
    public AnalogConv2d(Conv2d digital, TileConfig cfg) {
        this.digital = digital;
        int k2 = digital.kernel() * digital.kernel();
        if (cfg.maxRows() < k2) {
            throw new ConfigException("max-rows must be >= kernel² = " + k2 + " to hold one input channel, got "
                    + cfg.maxRows());
        }
        this.channelsPerTile = Math.min(cfg.maxRows() / k2, digital.inChannels());
        NDArray w = digital.weight();
        try (NDArray flat = w.reshape(digital.outChannels(), (long) digital.inChannels() * k2)) {
            this.matrix = new AnalogMatrix(flat, digital.bias(), cfg, channelsPerTile * k2);
        }
    }

    @Override
    public AnalogMatrix matrix() {
        return matrix;
    }

    @Override
    public Conv2d digital() {
        return digital;
    }

    /** Input channels per row-tile. */
    public int channelsPerTile() {
        return channelsPerTile;
    }

    /** x [B, in_ch, H, W] → [B, out_ch, H', W']; inference only. */
    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDManager owner = x.getManager();
        int k = digital.kernel();
        long b = x.getShape().get(0);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        int r = matrix.rowTiles();
        int c = matrix.colTiles();
        int cols = matrix.tileCols();
        try (NDManager scratch = owner.newSubManager()) {
            scratch.tempAttachAll(x);
            NDArray xp = AnalogMatrix.padAxis(x, 1, (long) r * channelsPerTile);
            int s = digital.stride();
            int p = digital.padding();
            if (matrix.integerUnits()) { // integer DAC/ADC units, fewer passes (see AnalogMatrix#integerUnits)
                NDArray[] dac = matrix.quantizeForForward(xp.reshape(b, r, channelsPerTile * h * wd));
                NDArray uq = dac[0].reshape(b, (long) r * channelsPerTile, h, wd);
                NDArray geff = matrix.conductancesForForwardScaled(scratch);
                NDArray kernel = geff.transpose(0, 1, 3, 2).reshape((long) r * c * cols, channelsPerTile, k, k);
                NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(uq, kernel, null, new Shape(s, s),
                        new Shape(p, p), new Shape(1, 1), r).singletonOrThrow();
                long ho = y.getShape().get(2);
                long wo = y.getShape().get(3);
                NDArray res = matrix.peripheryForForward(y.reshape(b, r, c, cols, ho, wo), dac[1], 1, 2);
                res.attach(owner);
                return res;
            }
            NDArray[] dac = matrix.quantizeInputs(xp.reshape(b, r, channelsPerTile * h * wd));
            NDArray uq = dac[0].reshape(b, (long) r * channelsPerTile, h, wd);
            NDArray geff = matrix.conductancesForForward(scratch); // [R, C, rows, cols]
            NDArray kernel = geff.transpose(0, 1, 3, 2).reshape((long) r * c * cols, channelsPerTile, k, k);
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(uq, kernel, null, new Shape(s, s), new Shape(p, p),
                    new Shape(1, 1), r).singletonOrThrow();
            long ho = y.getShape().get(2);
            long wo = y.getShape().get(3);
            y = y.reshape(b, r, c, cols, ho, wo);
            NDArray res = matrix.periphery(y, new PeripheryStep.Context(matrix, uq, dac[1], 2));
            res.attach(owner);
            return res;
        }
    }
}
