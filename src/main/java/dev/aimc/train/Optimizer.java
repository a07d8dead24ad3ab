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
    protected final NDManager stateManager;
    protected final double weightDecay;
    protected final Map<String, NDArray> state = new LinkedHashMap<>();
    protected long steps;

    protected Optimizer(NDManager stateManager, double weightDecay) {
        this.stateManager = stateManager;
        this.weightDecay = weightDecay;
    }

    /** Applies one update with learning rate {@code lr}; temporaries go to {@code tmp}. Gradients are zeroed. */
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

    /** Updates {@code p} in place from gradient {@code g} (weight decay already added; {@code g} may be modified). */
    protected abstract void update(String name, NDArray p, NDArray g, double lr, NDManager tmp);

    /** Attaches {@code a} to {@code tmp} and returns it. */
    protected static NDArray t(NDArray a, NDManager tmp) {
        a.attach(tmp);
        return a;
    }

    /** The state array {@code kind/name}, created as zeros like {@code p} on first use. */
    protected NDArray slot(String kind, String name, NDArray p) {
        return state.computeIfAbsent(kind + "/" + name, k -> {
            NDArray z = stateManager.zeros(p.getShape(), p.getDataType());
            z.setName(k);
            return z;
        });
    }

    /** Number of updates applied so far. */
    public long steps() {
        return steps;
    }

    /** Named state arrays, for checkpoints. */
    public Map<String, NDArray> state() {
        return state;
    }

    /** Restores the step count and state (arrays copied into this optimizer's manager). */
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

    /** Optimizer name as in the CLI ("sgd" or "adam"). */
    public abstract String kind();

    /** SGD with momentum (PyTorch semantics: buf = μ·buf + g; step along buf, or g + μ·buf with Nesterov). */
    public static final class Sgd extends Optimizer {
        private final double momentum;
        private final boolean nesterov;

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
