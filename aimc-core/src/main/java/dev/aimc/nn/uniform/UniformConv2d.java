package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.hwa.HwaConv2d;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TiledMvm;
import dev.aimc.util.ConfigException;

/**
 * A 2-D convolution on crossbar tiles with a fixed analog design ({@link UniformScaling}), the convolutional twin of
 * {@link UniformLinear}: its weight [out, inChannels, k, k] is the crossbar matrix [out, inChannels·k²] (row order
 * channel, ky, kx) on the tiles of {@link dev.aimc.tile.TileGrid#ofConv} (whole input channels per row-tile), each
 * weight on the values of its cells, the DAC clipping every input to ±A and quantizing it, each tile's output
 * Σ x·Q(w)/W saturating at ±R and quantized by the ADC, the digital periphery multiplying by W and adding the bias:
 * y = W·Σ_tiles ADC(conv(DAC(x), Q(w)/W)) + b ({@link TiledMvm#conv2d} with the tiles' weight scale fixed at W). The
 * same forward runs in training (straight-through gradients) and inference, and equals {@link UniformLinear} applied
 * to the im2col patches of the input (García-Redondo et al., arXiv 1910.13850, apply uniform scaling to fully
 * connected layers; applying it to a convolution's unrolled matrix is ours).
 *
 * <p>Shares the source layer's "weight" and "bias" arrays (the latent full-precision weights, clipped to ±W after
 * every step by the conversion's hook), so a checkpoint loads as the plain network.
 */
public final class UniformConv2d extends HwaConv2d implements UniformLayer {
    private final UniformScaling scaling;
    private final TileSigns tileSigns;

    /**
     * Wraps {@code src}'s arrays (not copied) on the default 512 × 512 tiles.
     *
     * @param src the convolution whose arrays are trained
     * @param scaling its analog design
     */
    public UniformConv2d(Conv2d src, UniformScaling scaling) {
        this(src, scaling, null);
    }

    /**
     * Wraps {@code src}'s arrays with the sign of every tile-sized sub-matrix of the unrolled weight constrained
     * ({@link TileSigns#project}; row-tiles of {@link TileSigns#rowsPerTile} inputs, i.e. whole input channels).
     *
     * @param src the convolution whose arrays are trained
     * @param scaling its analog design (polarity bipolar, so that the tiles choose the sign)
     * @param tileSigns the sign of every tile, or null for none
     * @throws ConfigException when tile signs are given with a positive- or negative-only design, or do not fit the
     *     layer's tiles
     */
    public UniformConv2d(Conv2d src, UniformScaling scaling, TileSigns tileSigns) {
        super(src, scaling.hwaConfig());
        this.scaling = scaling;
        this.tileSigns = UniformLayer.checkTileSigns(scaling, tileSigns);
    }

    @Override
    public UniformScaling scaling() {
        return scaling;
    }

    @Override
    public TileSigns tileSigns() {
        return tileSigns;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDManager m = x.getManager();
        NDArray w = weight();
        NDArray b = bias();
        try (NDManager tmp = m.newSubManager()) {
            tmp.tempAttachAll(w);
            if (b != null) {
                tmp.tempAttachAll(b);
            }
            NDArray wq = cellWeights(w, true);
            // the tiles' weight scale is max|ref| = W on every tile: one fixed scale, no per-tile tuning
            NDArray ref = tmp.full(w.getShape(), (float) scaling.weights().weightRange());
            NDArray y = TiledMvm.conv2d(x, wq, ref, stride(), padding(), state().grid(),
                    TileConfig.WeightScaling.PER_TILE, state().tiles().convScaling(), scaling.converters(),
                    state().noiseStream());
            if (b == null) {
                return y;
            }
            return dev.aimc.util.Nd.in(m, y.add(b.reshape(1, outChannels(), 1, 1)));
        }
    }
}
