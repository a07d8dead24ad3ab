package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.Linear;
import dev.aimc.nn.hwa.HwaLinear;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TiledMvm;

/**
 * A fully connected layer on crossbar tiles with a fixed analog design ({@link UniformScaling}): its weights on the
 * values of its cells and its DAC and ADC at fixed ranges, in training (straight-through gradients) and in inference
 * alike, so the accuracy measured after each epoch is that of the quantized network on its converters (ideal
 * devices). Forward: y = W·Σ_tiles ADC(Σ_i DAC(x_i)·Q(w)_ij/W) + b, with Q the cell quantizer, the DAC clipping to ±A,
 * the ADC saturating at ±R ({@link TiledMvm#linear} with the tiles' weight scale fixed at W), b the digital bias.
 *
 * <p>Shares the source layer's "weight" and "bias" arrays (the latent full-precision weights, which the optimizer
 * updates; they are clipped to ±W after every step), so a checkpoint loads as the plain network.
 */
public final class UniformLinear extends HwaLinear implements UniformLayer {
    private final UniformScaling scaling;
    private final TileSigns tileSigns;

    /**
     * Wraps {@code src}'s arrays (not copied) on the default 512 × 512 tiles.
     *
     * @param src the layer whose arrays are trained
     * @param scaling its analog design
     */
    public UniformLinear(Linear src, UniformScaling scaling) {
        this(src, scaling, null);
    }

    /**
     * Wraps {@code src}'s arrays with the sign of every tile-sized sub-matrix constrained: before the cell quantizer
     * the weights are projected onto their tile's sign ({@link TileSigns#project}), so a + or − tile holds weights
     * of one sign (one device per weight on the inference tiles), a bipolar tile both.
     *
     * @param src the layer whose arrays are trained
     * @param scaling its analog design (polarity bipolar, so that the tiles choose the sign)
     * @param tileSigns the sign of every tile, or null for none
     * @throws dev.aimc.util.ConfigException when tile signs are given with a positive- or negative-only design
     */
    public UniformLinear(Linear src, UniformScaling scaling, TileSigns tileSigns) {
        super(src, scaling.hwaConfig());
        this.scaling = scaling;
        this.tileSigns = UniformLayer.checkTileSigns(scaling, tileSigns);
    }

    @Override
    public TileSigns tileSigns() {
        return tileSigns;
    }

    @Override
    public UniformScaling scaling() {
        return scaling;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDManager m = x.getManager();
        NDArray w = weight();
        NDArray y;
        try (NDManager tmp = m.newSubManager()) {
            tmp.tempAttachAll(w);
            NDArray wq = cellWeights(w, true);
            // the tiles' weight scale is max|ref| = W on every tile: one fixed scale, no per-tile tuning
            NDArray ref = tmp.full(w.getShape(), (float) scaling.weights().weightRange());
            y = TiledMvm.linear(x, wq, ref, state().grid(), TileConfig.WeightScaling.PER_TILE, scaling.converters(),
                    state().noiseStream());
        }
        NDArray b = bias();
        if (b == null) {
            return y;
        }
        NDArray out = y.add(b);
        y.close();
        return out;
    }
}
