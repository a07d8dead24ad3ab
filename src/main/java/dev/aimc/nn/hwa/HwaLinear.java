package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.Linear;

/**
 * Hardware-aware twin of {@link Linear}: shares the source layer's "weight" and "bias" arrays (same
 * parameter names, so checkpoints are interchangeable), plus "outScale" [out] when
 * {@link HwaConfig#learnedOutScale()} is set.
 *
 * <p>Training forward ({@code training == true}), a fresh noise draw per call:
 * y = s ⊙ ADC(DAC(x)·(W + ΔW)ᵀ + ε) + b, with ΔW from {@link WeightNoise} (no gradient), ε the output
 * noise, DAC/ADC straight-through quantizers ({@link Quantizer}) and s the learned scale (1 if absent).
 * With {@link HwaConfig.InputScaling#ABS_MAX} the DAC scales each row of x by its own max|x| (as the tile).
 * Inference forward: the digital x·Wᵀ (·s) + b. Every array it makes is attached to {@code x.getManager()}.
 *
 * <p>Note: the superclass constructor draws (and this constructor frees) a throw-away initialisation, which
 * advances the engine generator.
 */
public class HwaLinear extends Linear implements HwaLayer {
    private final HwaConfig cfg;
    private final WeightNoise noise;

    /** Wraps {@code src}'s parameter arrays (not copied: training the twin trains {@code src}'s arrays). */
    public HwaLinear(Linear src, HwaConfig cfg) {
        this(src, cfg, WeightNoise.of(cfg));
    }

    /** As {@link #HwaLinear(Linear, HwaConfig)} with an explicit noise model (e.g. a custom device profile). */
    public HwaLinear(Linear src, HwaConfig cfg, WeightNoise noise) {
        super(src.weight().getManager(), src.inFeatures(), src.outFeatures(), src.bias() != null);
        this.cfg = cfg;
        this.noise = noise;
        adoptParameters(src);
        if (cfg.learnedOutScale()) {
            NDManager pm = src.weight().getManager();
            addParameter("outScale", pm.ones(new Shape(src.outFeatures())));
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
        return hwaForward(x, training, new int[] {x.getShape().dimension() - 1}, new Shape(outFeatures()),
                (xq, w) -> ai.djl.nn.core.Linear.linear(xq, w).singletonOrThrow()); // α per row
    }
}
