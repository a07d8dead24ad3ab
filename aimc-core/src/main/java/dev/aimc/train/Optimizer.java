package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A first-order optimiser written with in-place NDArray ops. {@link #step} reads each parameter's gradient,
 * updates the parameter in place and zeroes the gradient (the PyTorch engine accumulates {@code .grad} across
 * backward passes, and DJL's GradientCollector does not clear it). State arrays (momentum, moments) live in
 * the manager given at construction, named {@code "<kind>/<parameter path>"} for checkpoints.
 */
public abstract class Optimizer {
    /** The manager the state arrays live in. */
    protected final NDManager stateManager;
    /** L2 weight decay λ: λ·p is added to every gradient before the update. */
    protected final double weightDecay;
    /** State arrays by "kind/name" (momentum buffers, Adam's moments), in {@link #stateManager}. */
    protected final Map<String, NDArray> state = new LinkedHashMap<>();
    /** Updates applied so far. */
    protected long steps;

    /**
     * An optimizer with state in {@code stateManager}.
     *
     * @param stateManager the manager of the state arrays
     * @param weightDecay L2 weight decay λ, ≥ 0
     */
    protected Optimizer(NDManager stateManager, double weightDecay) {
        this.stateManager = stateManager;
        this.weightDecay = weightDecay;
    }

    /**
     * Applies one update with learning rate {@code lr}; temporaries go to {@code tmp}. Gradients are zeroed.
     *
     * @param params the parameters by name, updated in place; each must have a gradient
     * @param lr learning rate of this step (&gt; 0)
     * @param tmp the manager temporaries of the step are created in (the caller closes it)
     */
    public final void step(Map<String, NDArray> params, double lr, NDManager tmp) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            steps++;
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray p = e.getValue();
                NDArray g = p.getGradient();
                g.attach(tmp);
                if (weightDecay != 0) {
                    g.addi(t(p.mul((float) weightDecay), tmp));
                }
                update(e.getKey(), p, g, lr, tmp);
                JniUtils.zeroGrad((PtNDArray) p);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    /**
     * Updates {@code p} in place from gradient {@code g} (weight decay already added; {@code g} may be modified).
     *
     * @param name the parameter's name, keys its state arrays
     * @param p the parameter, updated in place
     * @param g its gradient (weight decay included)
     * @param lr learning rate of this step
     * @param tmp the manager temporaries are attached to
     */
    protected abstract void update(String name, NDArray p, NDArray g, double lr, NDManager tmp);

    /**
     * Attaches {@code a} to {@code tmp} and returns it.
     *
     * @param a a temporary array
     * @param tmp the manager to free it with
     * @return {@code a}
     */
    protected static NDArray t(NDArray a, NDManager tmp) {
        a.attach(tmp);
        return a;
    }

    /**
     * The state array {@code kind/name}, created as zeros like {@code p} on first use.
     *
     * @param kind the kind of state, e.g. "momentum" or "adam-m"
     * @param name the parameter's name
     * @param p the parameter, giving shape and data type
     * @return the state array, owned by the optimizer
     */
    protected NDArray slot(String kind, String name, NDArray p) {
        return state.computeIfAbsent(kind + "/" + name, k -> {
            NDArray z = stateManager.zeros(p.getShape(), p.getDataType());
            z.setName(k);
            return z;
        });
    }

    /**
     * Number of updates applied so far.
     *
     * @return the step count, restored from checkpoints on resume
     */
    public long steps() {
        return steps;
    }

    /**
     * Named state arrays, for checkpoints.
     *
     * @return the live map from "kind/name" to array (not a copy)
     */
    public Map<String, NDArray> state() {
        return state;
    }

    /**
     * Restores the step count and state (arrays copied into this optimizer's manager).
     *
     * @param stepCount updates applied before the checkpoint
     * @param values state values by "kind/name", flattened
     * @param shapes the shape of each state array by the same names
     */
    public void restore(long stepCount, Map<String, float[]> values, Map<String, long[]> shapes) {
        this.steps = stepCount;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            NDArray a = stateManager.create(e.getValue(), new ai.djl.ndarray.types.Shape(shapes.get(e.getKey())));
            NDArray old = state.put(e.getKey(), a);
            if (old != null) {
                old.close();
            }
        }
    }

    /**
     * Optimizer name as in the CLI ("sgd" or "adam").
     *
     * @return "sgd" or "adam"
     */
    public abstract String kind();

    /** SGD with momentum (PyTorch semantics: buf = μ·buf + g; step along buf, or g + μ·buf with Nesterov). */
    public static final class Sgd extends Optimizer {
        private final double momentum;
        private final boolean nesterov;

        /**
         * SGD with the given momentum.
         *
         * @param m the manager of the momentum buffers
         * @param momentum μ, in [0, 1); 0 is plain SGD
         * @param nesterov use Nesterov momentum (g + μ·buf)
         * @param weightDecay L2 weight decay, ≥ 0
         */
        public Sgd(NDManager m, double momentum, boolean nesterov, double weightDecay) {
            super(m, weightDecay);
            this.momentum = momentum;
            this.nesterov = nesterov;
        }

        @Override
        protected void update(String name, NDArray p, NDArray g, double lr, NDManager tmp) {
            NDArray d = g;
            if (momentum != 0) {
                NDArray buf = slot("momentum", name, p);
                buf.muli((float) momentum).addi(g);
                d = nesterov ? g.addi(t(buf.mul((float) momentum), tmp)) : buf;
            }
            p.subi(t(d.mul((float) lr), tmp));
        }

        @Override
        public String kind() {
            return "sgd";
        }
    }

    /** Adam (Kingma and Ba 2015) with bias correction; weight decay is L2 added to the gradient (not AdamW). */
    public static final class Adam extends Optimizer {
        private final double beta1;
        private final double beta2;
        private final double eps;

        /**
         * Adam with the given constants (PyTorch defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
         *
         * @param m the manager of the moment estimates
         * @param beta1 decay of the first-moment estimate, in [0, 1)
         * @param beta2 decay of the second-moment estimate, in [0, 1)
         * @param eps added to the square root of the second moment, &gt; 0
         * @param weightDecay L2 weight decay, ≥ 0
         */
        public Adam(NDManager m, double beta1, double beta2, double eps, double weightDecay) {
            super(m, weightDecay);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        @Override
        protected void update(String name, NDArray p, NDArray g, double lr, NDManager tmp) {
            NDArray m1 = slot("m", name, p);
            NDArray m2 = slot("v", name, p);
            m1.muli((float) beta1).addi(t(g.mul((float) (1 - beta1)), tmp));
            m2.muli((float) beta2).addi(t(g.square(), tmp).muli((float) (1 - beta2)));
            double bc1 = 1 - Math.pow(beta1, steps);
            double bc2 = 1 - Math.pow(beta2, steps);
            NDArray denom = t(m2.sqrt(), tmp).divi((float) Math.sqrt(bc2)).addi((float) eps);
            p.subi(t(m1.div(denom), tmp).muli((float) (lr / bc1)));
        }

        @Override
        public String kind() {
            return "adam";
        }
    }
}
