package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Linear;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;
import dev.aimc.tile.TiledMvm;

/**
 * Hardware-aware twin of {@link Linear}: shares the source layer's "weight" and "bias" arrays (same
 * parameter names, so checkpoints are interchangeable), plus "outScale" [out] when
 * {@link HwaConfig#learnedOutScale()} is set.
 *
 * <p>Training forward ({@code training == true}), a fresh noise draw per call: y = s ⊙ T(x, W + ΔW) + b, with ΔW
 * from {@link WeightNoise} (no gradient), T the inference tile's pipeline ({@link TiledMvm#linear}: per row-tile
 * DAC with α = max|x| of the tile's slice of each row, product, output noise and ADC in tile units, digital scaling
 * and sum, straight-through gradients) and s the learned scale (1 if absent). Inference forward: the digital
 * x·Wᵀ (·s) + b. Every array it makes is attached to {@code x.getManager()}.
 *
 * <p>Note: the superclass constructor draws (and this constructor frees) a throw-away initialisation, which
 * advances the engine generator.
 */
public class HwaLinear extends Linear implements HwaLayer {
    private final HwaState state;

    /**
     * Wraps {@code src}'s parameter arrays (not copied: training the twin trains {@code src}'s arrays), on the
     * default tiles ({@link TileConfig#defaults()}: 512 × 512, per-column weight scale).
     *
     * @param src the digital layer whose arrays are trained
     * @param cfg the HWA settings
     */
    public HwaLinear(Linear src, HwaConfig cfg) {
        this(src, cfg, WeightNoise.of(cfg), TileConfig.defaults());
    }

    /**
     * As {@link #HwaLinear(Linear, HwaConfig)} with an explicit noise model (e.g. a custom device profile) and the
     * tiles of the inference it prepares for (their size and weight scaling; the converters come from {@code cfg}).
     *
     * @param src the digital layer whose arrays are trained
     * @param cfg the HWA settings
     * @param noise the weight-noise model
     * @param tiles the tiles of the inference
     */
    public HwaLinear(Linear src, HwaConfig cfg, WeightNoise noise, TileConfig tiles) {
        super(src.weight().getManager(), src.inFeatures(), src.outFeatures(), src.bias() != null);
        this.state = new HwaState(cfg, noise, tiles,
                TileGrid.of(src.inFeatures(), src.outFeatures(), tiles.maxRows(), tiles));
        adoptParameters(src);
        if (cfg.learnedOutScale()) {
            NDManager pm = src.weight().getManager();
            addParameter("outScale", pm.ones(new Shape(src.outFeatures())));
        }
    }

    @Override
    public HwaState state() {
        return state;
    }

    @Override
    public NDArray outScale() {
        return ownParameters().get("outScale");
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray s = outScale();
        if (!training && s == null) {
            return super.forward(x, false);
        }
        return hwaForward(x, training, new Shape(outFeatures()),
                (xi, w) -> ai.djl.nn.core.Linear.linear(xi, w).singletonOrThrow(),
                (xi, w) -> TiledMvm.linear(xi, w, weight(), state.grid(), state.tiles().weightScaling(),
                        state.config().converters(), state.noiseStream()));
    }
}
