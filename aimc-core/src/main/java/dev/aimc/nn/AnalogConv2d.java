package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;

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

    /** x [B, in_ch, H, W] → [B, out_ch, H', W']; inference only (the tile's convolution pipeline). */
    @Override
    public NDArray forward(NDArray x, boolean training) {
        return matrix.forwardConv2d(x, digital.kernel(), digital.stride(), digital.padding(), channelsPerTile,
                digital.inChannels());
    }
}
