package dev.aimc.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.nn.ConvNd;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lipschitz-constant regularizer of CorrectNet's error suppression: R = Σ_l ‖G_l − λ·I‖²_F over the weight
 * matrices W_l of every Linear and convolution layer (hardware-aware twins included), added to the loss as β·R.
 * A layer whose Gram matrix is close to λ·I has all singular values near √λ, so its Lipschitz constant (spectral
 * norm) is bounded and a weight error is not amplified from layer to layer.
 *
 * <p>Which parts are whose: the orthogonality-style penalty ‖WᵀW − λI‖²_F with β = 5·10⁻⁴ and λ = 1 is the
 * regularizer of a third-party reimplementation of CorrectNet (the paper's full text was not available here); its
 * "enhanced" form in the paper may differ. Ours: a convolution's weight [out, in, k, k] is reshaped to
 * [out, in·k·k] (one row per output channel, the matrix the crossbar stores), and G_l is the <em>smaller</em> of
 * the two Gram matrices, W·Wᵀ (out × out) when out ≤ in·k·k, else Wᵀ·W. The two penalties have the same
 * gradient, 4·(W·Wᵀ − λI)·W = 4·W·(WᵀW − λI), because ‖WᵀW‖²_F = ‖WWᵀ‖²_F and tr(WᵀW) = tr(WWᵀ); their values
 * differ by the constant λ²·(in·k·k − out). The smaller Gram matrix costs min(out, in·k²)² entries instead of
 * max(out, in·k²)² (LeNet-5's first fully connected layer: 120² instead of 400²).
 */
public final class LipschitzRegularizer {
    private LipschitzRegularizer() {}

    /** The default λ (target squared singular value). */
    public static final double DEFAULT_LAMBDA = 1.0;
    /** β of the third-party reimplementation. */
    public static final double REFERENCE_BETA = 5e-4;

    /**
     * The weight parameters the regularizer acts on: those of every {@link Linear} and {@link ConvNd} module (digital
     * or hardware-aware), by the module's dotted path, in network order.
     *
     * @param net the network
     * @return path to weight (the live parameter, not a copy)
     */
    public static Map<String, NDArray> weights(Module net) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        net.namedModules().forEach((p, m) -> {
            if (m instanceof Linear l) {
                out.put(p, l.weight());
            } else if (m instanceof ConvNd c) {
                out.put(p, c.weight());
            }
        });
        return out;
    }

    /**
     * ‖G − λI‖²_F of one weight, G the smaller Gram matrix of W reshaped to [out, −1]; differentiable in w.
     *
     * @param w a weight [out, ...]
     * @param lambda λ ≥ 0
     * @param m the manager of the result and of every temporary (a batch's; never the weight's own, which lives as
     *     long as the network: the Gram matrices left there grew a VGG training by about 1 GB per epoch)
     * @return a scalar in {@code m}
     */
    public static NDArray layerPenalty(NDArray w, double lambda, NDManager m) {
        long out = w.getShape().get(0);
        NDArray w2 = w.reshape(out, -1); // a view; attached to m, so every array made from it is m's
        w2.attach(m);
        long in = w2.getShape().get(1);
        NDArray g = out <= in ? w2.matMul(w2.transpose()) : w2.transpose().matMul(w2);
        long n = Math.min(out, in);
        NDArray d = lambda == 0 ? g : g.sub(m.eye((int) n).toType(DataType.FLOAT32, false).mul((float) lambda));
        return d.square().sum();
    }

    /**
     * R = Σ_l ‖G_l − λI‖²_F over {@link #weights}; differentiable in the weights.
     *
     * @param net the network
     * @param lambda λ ≥ 0
     * @param m the manager of the result and temporaries (e.g. the batch's)
     * @return a scalar
     */
    public static NDArray penalty(Module net, double lambda, NDManager m) {
        Check.nonNegative("--lipschitz-lambda", lambda);
        NDArray sum = null;
        for (NDArray w : weights(net).values()) {
            NDArray p = layerPenalty(w, lambda, m);
            sum = sum == null ? p : sum.add(p);
        }
        return sum == null ? m.zeros(new ai.djl.ndarray.types.Shape()) : sum;
    }

    /**
     * β·R, the term the trainer adds to the loss; differentiable in the weights.
     *
     * <p>β is a torch-owned scalar in {@code m}: {@code mul(Number)} would wrap β in an array made from Java memory
     * (torch from_blob) and close it at once, but the product keeps β for the backward pass, and once a garbage
     * collection frees that memory the backward pass scales the penalty's gradient by whatever reused it.
     *
     * @param net the network
     * @param lambda λ ≥ 0
     * @param beta β ≥ 0
     * @param m the manager of the result and temporaries (e.g. the batch's)
     * @return a scalar
     */
    public static NDArray weightedPenalty(Module net, double lambda, double beta, NDManager m) {
        Check.nonNegative("--lipschitz-beta", beta);
        return penalty(net, lambda, m).mul(m.full(new ai.djl.ndarray.types.Shape(), (float) beta));
    }

    /**
     * R as a number (no gradient recorded).
     *
     * @param net the network
     * @param lambda λ ≥ 0
     * @return Σ_l ‖G_l − λI‖²_F
     */
    public static double value(Module net, double lambda) {
        return dev.aimc.nn.AnalogNetwork.inference(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                return (double) penalty(net, lambda, m).getFloat();
            }
        });
    }
}
