package dev.aimc.nn.hwa;

import dev.aimc.util.Nd;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import dev.aimc.util.InPlace;
import dev.aimc.util.NativeKernels;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Weight clipping applied after each optimizer step (the Trainer's after-step hook): every selected
 * {@link Linear}/{@link Conv2d} weight (HWA twins included) is clipped in place to ±c, or to ±α·σ_W with σ_W
 * the standard deviation of that layer's weights (unbiased, as {@code torch.std}; aihwkit's layer-Gaussian
 * clipping). Biases and learned scales are not clipped.
 *
 * <p>Call it outside a gradient recording (as the Trainer does after the step). With the native kernels the weights
 * are clipped in one pass over their memory ({@code NativeKernels.clipWeights}); otherwise the clipped values are
 * computed in a sub-manager of the parameters' manager and copied into the parameter. Either way no arrays are left
 * and the values are the same.
 */
public final class WeightClipper implements Consumer<Module> {
    private final HwaConfig.ClipMode mode;
    private final double value;
    private final Predicate<String> selected;

    private WeightClipper(HwaConfig.ClipMode mode, double value, Predicate<String> selected) {
        this.mode = mode;
        this.value = value;
        this.selected = selected;
    }

    /**
     * Clips every Linear/Conv2d weight to ±c.
     *
     * @param c the bound, &gt; 0
     * @return the clipper
     */
    public static WeightClipper fixed(double c) {
        return new WeightClipper(HwaConfig.ClipMode.VALUE, Check.positive("clip-value", c), p -> true);
    }

    /**
     * Clips every Linear/Conv2d weight to ±α·σ_W of its own layer.
     *
     * @param alpha the bound in standard deviations of the layer's weights, &gt; 0
     * @return the clipper
     */
    public static WeightClipper sigma(double alpha) {
        return new WeightClipper(HwaConfig.ClipMode.SIGMA, Check.positive("clip-sigma", alpha), p -> true);
    }

    /**
     * The clipping {@code cfg} asks for, on every Linear/Conv2d; a no-op for {@code ClipMode.NONE}.
     *
     * @param cfg the HWA settings
     * @return the clipper
     */
    public static WeightClipper of(HwaConfig cfg) {
        return new WeightClipper(cfg.clipMode(), cfg.clipValue(), p -> true);
    }

    /**
     * The same clipper restricted to the module paths {@code onlyPaths} accepts.
     *
     * @param onlyPaths accepts the dotted paths to clip
     * @return a new clipper; this one is unchanged
     */
    public WeightClipper restrictedTo(Predicate<String> onlyPaths) {
        return new WeightClipper(mode, value, selected.and(onlyPaths));
    }

    /**
     * The clipping mode.
     *
     * @return NONE, SIGMA or VALUE
     */
    public HwaConfig.ClipMode mode() {
        return mode;
    }

    /**
     * The bound parameter.
     *
     * @return α (SIGMA) or c (VALUE)
     */
    public double value() {
        return value;
    }

    @Override
    public void accept(Module net) {
        if (mode == HwaConfig.ClipMode.NONE) {
            return;
        }
        for (Map.Entry<String, Module> e : net.namedModules().entrySet()) {
            Module mod = e.getValue();
            if ((mod instanceof Linear || mod instanceof Conv2d) && selected.test(e.getKey())) {
                clipOnDevice(mod.parameter("weight"));
            }
        }
    }

    /**
     * Clips one weight array in place; returns the bound used (read back to the host; NaN: not clipped).
     *
     * @param w the weights, clipped in place
     * @return the bound, or NaN when not clipped
     */
    public double clip(NDArray w) {
        if (!clips(w)) {
            return Double.NaN;
        }
        float nativeBound = clipNatively(w);
        if (!Float.isNaN(nativeBound)) {
            return nativeBound;
        }
        try (NDManager tmp = w.getManager().newSubManager()) {
            return clipWith(w, tmp).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** {@link #clip} without reading the bound back: natively, or else on the tensor side (no host sync). */
    void clipOnDevice(NDArray w) {
        if (clips(w) && Float.isNaN(clipNatively(w))) {
            try (NDManager tmp = w.getManager().newSubManager()) {
                clipWith(w, tmp);
            }
        }
    }

    /** False where nothing is clipped: no clipping configured, or σ_W of fewer than two weights. */
    private boolean clips(NDArray w) {
        return mode == HwaConfig.ClipMode.VALUE || (mode == HwaConfig.ClipMode.SIGMA && w.getShape().size() >= 2);
    }

    /** One native pass in place; the bound, or NaN where the kernels did not run. */
    private float clipNatively(NDArray w) {
        return NativeKernels.clipWeights(w, mode == HwaConfig.ClipMode.SIGMA, value);
    }

    /** Clips {@code w} in place with PyTorch ops (where {@link #clips}); returns the bound, a float32 scalar in tmp. */
    private NDArray clipWith(NDArray w, NDManager tmp) {
        NDArray wc = Nd.constant(w, tmp);
        NDArray bound;
        if (mode == HwaConfig.ClipMode.VALUE) {
            bound = tmp.create((float) value);
        } else {
            long n = w.getShape().size();
            NDArray wd = Nd.in(tmp, wc.toType(DataType.FLOAT64, false)); // σ_W in double precision
            NDArray d = wd.sub(wd.mean());
            NDArray var = d.muli(d).sum().divi((double) (n - 1));
            bound = var.sqrt().muli(value).toType(DataType.FLOAT32, false);
        }
        InPlace.assign(w, wc.minimum(bound).maximum(bound.neg()));
        return bound;
    }
}
