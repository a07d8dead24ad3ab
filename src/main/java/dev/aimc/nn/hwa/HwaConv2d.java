package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Conv2d;

/**
 * Hardware-aware twin of {@link Conv2d}; the same contract as {@link HwaLinear} with per-output-channel
 * scale and bias: y = s ⊙ ADC(conv(DAC(x), W + ΔW) + ε) + b in training, the digital convolution otherwise.
 * With {@link HwaConfig.InputScaling#ABS_MAX} the DAC's α is max|x| per sample over all input channels and
 * positions ({@link dev.aimc.nn.AnalogConv2d} takes it per row-tile channel slice: the same for one row-tile).
 */
public class HwaConv2d extends Conv2d implements HwaLayer {
    private final HwaConfig cfg;
    private final WeightNoise noise;

    /** Wraps {@code src}'s parameter arrays (not copied). */
    public HwaConv2d(Conv2d src, HwaConfig cfg) {
        this(src, cfg, WeightNoise.of(cfg));
    }

    /** As {@link #HwaConv2d(Conv2d, HwaConfig)} with an explicit noise model. */
    public HwaConv2d(Conv2d src, HwaConfig cfg, WeightNoise noise) {
        super(src.weight().getManager(), src.inChannels(), src.outChannels(), src.kernel(), src.stride(),
                src.padding(), src.bias() != null);
        this.cfg = cfg;
        this.noise = noise;
        adoptParameters(src);
        if (cfg.learnedOutScale()) {
            addParameter("outScale", src.weight().getManager().ones(new Shape(src.outChannels())));
        }
    }

    @Override
    public HwaConfig config() {
        return cfg;
    }

    @Override
    public WeightNoise noise() {
        return noise;
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
        return hwaForward(x, training, new int[] {1, 2, 3}, new Shape(1, outChannels(), 1, 1),
                this::convolve); // α per sample
    }
}
