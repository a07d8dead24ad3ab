package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Conv2d;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;
import dev.aimc.tile.TiledMvm;

/**
 * Hardware-aware twin of {@link Conv2d}; the same contract as {@link HwaLinear} with per-output-channel scale and
 * bias: y = s ⊙ T(x, W + ΔW) + b in training, T the inference tile's convolution pipeline
 * ({@link TiledMvm#conv2d}: whole input channels per row-tile, α = max|x| per sample over the row-tile's channel
 * slice as {@link dev.aimc.nn.AnalogConv2d} takes it, output noise and ADC per tile in tile units), the digital
 * convolution otherwise.
 */
public class HwaConv2d extends Conv2d implements HwaLayer {
    private final HwaState state;

    /**
     * Wraps {@code src}'s parameter arrays (not copied), on the default tiles ({@link TileConfig#defaults()}).
     *
     * @param src the digital layer whose arrays are trained
     * @param cfg the HWA settings
     */
    public HwaConv2d(Conv2d src, HwaConfig cfg) {
        this(src, cfg, WeightNoise.of(cfg), TileConfig.defaults());
    }

    /**
     * As {@link #HwaConv2d(Conv2d, HwaConfig)} with an explicit noise model and the tiles of the inference.
     *
     * @param src the digital layer whose arrays are trained
     * @param cfg the HWA settings
     * @param noise the weight-noise model
     * @param tiles the tiles of the inference
     */
    public HwaConv2d(Conv2d src, HwaConfig cfg, WeightNoise noise, TileConfig tiles) {
        super(src.weight().getManager(), src.inChannels(), src.outChannels(), src.kernel(), src.stride(),
                src.padding(), src.bias() != null);
        this.state = new HwaState(cfg, noise, tiles,
                TileGrid.ofConv(src.inChannels(), src.kernel(), src.outChannels(), tiles));
        adoptParameters(src);
        if (cfg.learnedOutScale()) {
            addParameter("outScale", src.weight().getManager().ones(new Shape(src.outChannels())));
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
        return hwaForward(x, training, new Shape(1, outChannels(), 1, 1), this::convolve,
                (xi, w) -> TiledMvm.conv2d(xi, w, weight(), stride(), padding(), state.grid(),
                        state.tiles().weightScaling(), state.tiles().convScaling(), state.config().converters(),
                        state.noiseStream()));
    }
}
