package dev.aimc.nn.hwa;

import dev.aimc.util.Nd;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.GstSt90Model;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;
import dev.aimc.util.NativeKernels;

/**
 * Weight noise injected in the training forward pass (Joshi et al., Nat. Commun. 11, 2473, 2020).
 *
 * <p>{@link #sample} computes the noise from a gradient-free copy of the clean weights, so in
 * {@link #apply} w_noisy = w + noise the noise is a constant: d(loss)/dw is the gradient of the clean-weight
 * expression evaluated at the noisy weights. A fresh draw is taken on every call (every mini-batch) from the
 * {@link RandomStream} passed in (the layer's training-noise stream). All arrays land in the given manager (the
 * per-batch scope), never in the parameters' manager.
 */
public interface WeightNoise {

    /**
     * Draws noise for clean weights {@code w}.
     *
     * @param w clean weights (a parameter; not modified, no gradient recorded through the noise)
     * @param m manager for the result and temporaries (the input's manager)
     * @param rng the stream the noise is drawn from
     * @return the noise in weight units, same shape as {@code w}, no gradient, attached to {@code m}
     */
    NDArray sample(NDArray w, NDManager m, RandomStream rng);

    /**
     * Short name: "none", "additive", "multiplicative", "pcm" or a device model's name ("gst-st90").
     *
     * @return the name recorded in metadata
     */
    String name();

    /**
     * w + noise with the gradient flowing to {@code w} unchanged; attached to {@code m}.
     *
     * @param w clean weights
     * @param m the manager the result is attached to
     * @param rng the stream the noise is drawn from (advanced)
     * @return noisy weights, same shape as {@code w}
     */
    default NDArray apply(NDArray w, NDManager m, RandomStream rng) {
        NDArray noise = sample(w, m, rng);
        NDArray out = Nd.in(m, noise.add(w));
        noise.close();
        return out;
    }

    /**
     * No noise: {@link #apply} returns w itself.
     *
     * @return the no-op noise
     */
    static WeightNoise none() {
        return new WeightNoise() {
            @Override
            public NDArray sample(NDArray w, NDManager m, RandomStream rng) {
                return m.zeros(w.getShape(), DataType.FLOAT32);
            }

            @Override
            public NDArray apply(NDArray w, NDManager m, RandomStream rng) {
                return w;
            }

            @Override
            public String name() {
                return "none";
            }
        };
    }

    /**
     * Additive Gaussian: std η·max|W| of the layer (Joshi et al.: η = 3.8 %).
     *
     * @param eta std factor relative to max|W|, ≥ 0
     * @return the noise model
     */
    static WeightNoise additive(double eta) {
        Check.nonNegative("noise-eta", eta);
        return new WeightNoise() {
            @Override
            public NDArray sample(NDArray w, NDManager m, RandomStream rng) {
                try (NDManager tmp = m.newSubManager()) {
                    NDArray wc = Nd.constant(w, tmp);
                    float maxAbs = NativeKernels.absMax(wc); // one native pass instead of three ops, same float
                    NDArray z = rng.standard(tmp, w.getShape());
                    NDArray out = Float.isNaN(maxAbs) ? z.mul(wc.abs().max().mul((float) eta))
                            : z.muli(maxAbs * (float) eta);
                    return Nd.in(m, out);
                }
            }

            @Override
            public String name() {
                return "additive";
            }
        };
    }

    /**
     * Multiplicative Gaussian: w·(1 + η·N(0,1)), i.e. noise std η·|w| per weight.
     *
     * @param eta relative std per weight, ≥ 0
     * @return the noise model
     */
    static WeightNoise multiplicative(double eta) {
        Check.nonNegative("noise-eta", eta);
        return new WeightNoise() {
            @Override
            public NDArray sample(NDArray w, NDManager m, RandomStream rng) {
                try (NDManager tmp = m.newSubManager()) {
                    NDArray wc = Nd.constant(w, tmp);
                    NDArray out = rng.standard(tmp, w.getShape()).mul(wc).mul((float) eta);
                    return Nd.in(m, out);
                }
            }

            @Override
            public String name() {
                return "multiplicative";
            }
        };
    }

    /**
     * Device-shaped noise: |w| is mapped to a target conductance g = g_max·|w|/max|W| and the noise in weight
     * units is scale·σ_prog(g)·max|W|/g_max·N(0,1). With the PCM profile and scale 1 this is the programming
     * noise one device of a differential pair sees when the other is left at 0 (its own σ_prog(0) is not
     * included).
     *
     * @param profile σ_prog(g) of the device
     * @param scale factor on σ_prog (1 = the device as fitted), ≥ 0
     * @return the noise model
     */
    static WeightNoise deviceShaped(ProgrammingNoiseProfile profile, double scale) {
        Check.nonNegative("noise-eta", scale);
        double gMax = profile.gMaxMicroSiemens();
        return new WeightNoise() {
            @Override
            public NDArray sample(NDArray w, NDManager m, RandomStream rng) {
                try (NDManager tmp = m.newSubManager()) {
                    NDArray[] map = conductances(w, tmp, gMax);
                    NDArray maxAbs = map[1];
                    NDArray g = map[2];
                    NDArray sigmaUs = Nd.in(tmp, profile.sigmaMicroSiemens(g));
                    NDArray sigmaW = sigmaUs.mul(maxAbs).mul((float) (scale / gMax));
                    NDArray out = rng.standard(tmp, w.getShape()).mul(sigmaW);
                    return Nd.in(m, out);
                }
            }

            @Override
            public String name() {
                return profile.name();
            }
        };
    }

    /**
     * The mapping both device-based noises start from, as the tile maps weights: {w without gradient, max|W|,
     * g = g_max·|w|/max|W| in µS}, all in {@code tmp}.
     */
    private static NDArray[] conductances(NDArray w, NDManager tmp, double gMax) {
        NDArray wc = Nd.constant(w, tmp);
        NDArray absW = wc.abs();
        NDArray maxAbs = absW.max().maximum(Float.MIN_NORMAL);
        return new NDArray[] {wc, maxAbs, absW.div(maxAbs).mul((float) gMax)};
    }

    /**
     * Device-sampled noise: |w| is mapped to a target conductance g = g_max·|w|/max|W|, programmed once by the
     * device model itself ({@link DeviceModel#program}, drawing from {@code rng}: its levels, spread, clipping), and
     * the noise in weight units is sign(w)·(g_prog − g)·max|W|/g_max: the error of the device of a differential pair
     * that holds w when the other is left at RESET. Drift and read noise are not included.
     *
     * @param device the device model whose programming is sampled
     * @return the noise model, named after the device
     */
    static WeightNoise deviceSampled(DeviceModel device) {
        double gMax = device.gMaxMicroSiemens();
        return new WeightNoise() {
            @Override
            public NDArray sample(NDArray w, NDManager m, RandomStream rng) {
                try (NDManager tmp = m.newSubManager()) {
                    NDArray[] map = conductances(w, tmp, gMax);
                    NDArray g = map[2];
                    try (ProgrammedState s = device.program(g, rng)) {
                        NDArray out = s.gProg().sub(g).mul(map[0].sign()).mul(map[1]).div((float) gMax);
                        return Nd.in(m, out);
                    }
                }
            }

            @Override
            public String name() {
                return device.name();
            }
        };
    }

    /**
     * The noise a configuration asks for: η is the std factor, for "pcm" the factor on σ_prog, for "gst-st90" the
     * factor on the default model's spread σ (its levels always apply).
     *
     * @param cfg the HWA settings
     * @return the noise model for {@code cfg.noiseKind()}
     */
    static WeightNoise of(HwaConfig cfg) {
        switch (cfg.noiseKind()) {
            case ADDITIVE:
                return additive(cfg.noiseEta());
            case MULTIPLICATIVE:
                return multiplicative(cfg.noiseEta());
            case PCM:
                return deviceShaped(ProgrammingNoiseProfile.pcm(), cfg.noiseEta());
            case GST_ST90: {
                GstSt90Model d = GstSt90Model.defaults();
                return deviceSampled(d.withSigma(cfg.noiseEta() * d.sigmaRel()));
            }
            case NONE:
            default:
                return none();
        }
    }
}
