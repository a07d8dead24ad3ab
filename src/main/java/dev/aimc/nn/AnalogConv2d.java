package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;
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

    /**
     * Copies the layer's weight and bias onto tiles configured by {@code cfg} (not yet programmed).
     *
     * @param digital the trained convolution, kept for restoring
     * @param cfg the tile configuration
     */
    public AnalogConv2d(Conv2d digital, TileConfig cfg) {
        this.digital = digital;
        int k2 = digital.kernel() * digital.kernel();
        this.channelsPerTile = TileGrid.ofConv(digital.inChannels(), digital.kernel(), digital.outChannels(), cfg)
                .rows() / k2;
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

    /**
     * Input channels per row-tile.
     *
     * @return channels whose kernel rows fit into one row-tile (≥ 1)
     */
    public int channelsPerTile() {
        return channelsPerTile;
    }

    /**
     * The per-row-tile convolutions as one grouped convolution: integer inputs uq [B, R·channelsPerTile, H, W],
     * kernel [R·n, channelsPerTile, k, k] → [B, R·n, H', W']. When the last row-tile is only partly filled, its
     * zero-padded input channels contribute exactly zero, so the full tiles run as one grouped convolution and
     * the last tile on its real channels only (e.g. 64 channels at k = 3 on 512-row tiles: 56 + 8 real channels,
     * 64 instead of 112 input channels convolved, and no grouped kernel with a padded half).
     */
    private NDArray tileConvolution(NDArray uq, NDArray kernel, int r, int n, int s, int p) {
        Shape stride = new Shape(s, s);
        Shape pad = new Shape(p, p);
        Shape dil = new Shape(1, 1);
        int lastReal = digital.inChannels() - (r - 1) * channelsPerTile;
        if (r == 1 || lastReal >= channelsPerTile) {
            return ai.djl.nn.convolutional.Conv2d.conv2d(uq, kernel, null, stride, pad, dil, r).singletonOrThrow();
        }
        long fullCh = (long) (r - 1) * channelsPerTile;
        long fullOut = (long) (r - 1) * n;
        NDArray yFull = ai.djl.nn.convolutional.Conv2d.conv2d(uq.get(":, 0:{}", fullCh), kernel.get("0:{}", fullOut),
                null, stride, pad, dil, r - 1).singletonOrThrow();
        NDArray yLast = ai.djl.nn.convolutional.Conv2d.conv2d(uq.get(":, {}:{}", fullCh, fullCh + lastReal),
                kernel.get("{}:, 0:{}", fullOut, lastReal), null, stride, pad, dil, 1).singletonOrThrow();
        return yFull.concat(yLast, 1);
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
                NDArray kernel = matrix.kernelConductances(scratch).reshape((long) r * c * cols, channelsPerTile, k,
                        k);
                NDArray y = tileConvolution(uq, kernel, r, c * cols, s, p);
                long ho = y.getShape().get(2);
                long wo = y.getShape().get(3);
                NDArray res = matrix.peripheryForForward(y.reshape(b, r, c, cols, ho, wo), dac[1], 1, 2);
                res.attach(owner);
                return res;
            }
            NDArray geff = matrix.conductancesForForward(scratch); // [R, C, rows, cols]
            NDArray kernel = geff.transpose(0, 1, 3, 2).reshape((long) r * c * cols, channelsPerTile, k, k);
            NDArray res = matrix.stepwise(xp.reshape(b, r, channelsPerTile * h * wd), uqg -> {
                NDArray uq = uqg.reshape(b, (long) r * channelsPerTile, h, wd);
                NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(uq, kernel, null, new Shape(s, s),
                        new Shape(p, p), new Shape(1, 1), r).singletonOrThrow();
                return y.reshape(b, r, c, cols, y.getShape().get(2), y.getShape().get(3));
            }, 2);
            res.attach(owner);
            return res;
        }
    }
}
