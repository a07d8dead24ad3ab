package dev.aimc.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.cost.LayerShape;
import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.InPlace;
import dev.aimc.util.RandomStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learned digital error compensation after chosen analog layers (CorrectNet's error compensation; the structure
 * here is ours, as the paper's full text was not available): the output y of the layer at a chosen path becomes
 * y + C(y), with C a small digital layer whose last factor starts at zero, so an untrained compensation leaves
 * the network's outputs unchanged bit for bit.
 *
 * <ul>
 *   <li>After a convolution with C channels: a 1×1 convolution C → C with bias, weight and bias zero (C² + C
 *       parameters, C² multiply-accumulates per output pixel).</li>
 *   <li>After a fully connected layer with n outputs: a low-rank linear map B·A·y + b, A [r, n] seeded Gaussian
 *       of std 1/√n, B [n, r] and b zero (2·r·n + n parameters, 2·r·n multiply-accumulates), r = {@code rank}.</li>
 * </ul>
 *
 * <p>The modules are kept apart from the network ({@link #install} wraps the layers, {@link #uninstall} unwraps
 * them), so one set of compensation layers can be trained on the digital network and evaluated on an analog one.
 * Train them with {@link CompensationTrainer}.
 */
public final class ErrorCompensation implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, Module> modules;
    private final int rank;

    private ErrorCompensation(NDManager manager, Map<String, Module> modules, int rank) {
        this.manager = manager;
        this.modules = modules;
        this.rank = rank;
    }

    /**
     * Zero-initialized compensation after the layers at {@code paths} of {@code net}.
     *
     * @param net the network (digital or analog; only the layers' shapes are read)
     * @param paths dotted paths of Linear/Conv2d layers or their analog twins, at least one
     * @param rank r of the low-rank compensation of fully connected layers, ≥ 1
     * @param seed seed of A's initialization (layer i: stream split i)
     * @param parent the manager the compensation's arrays live in (a sub-manager, closed by {@link #close})
     * @return the compensation, not installed
     * @throws ConfigException naming --compensate when a path names no Linear/Conv2d layer, or --comp-rank
     */
    public static ErrorCompensation create(Module net, List<String> paths, int rank, long seed, NDManager parent) {
        Check.range("--comp-rank", rank, 1, 1 << 16);
        if (paths.isEmpty()) {
            throw new ConfigException("--compensate must name at least one layer");
        }
        List<String> candidates = new ArrayList<>();
        net.namedModules().forEach((p, m) -> {
            if (digitalOf(m) != null) {
                candidates.add(p);
            }
        });
        NDManager m = parent.newSubManager();
        Map<String, Module> mods = new LinkedHashMap<>();
        RandomStream rs = RandomStream.of(seed);
        int i = 0;
        try {
            for (String p : paths) {
                if (!candidates.contains(p)) {
                    throw new ConfigException("--compensate must name Linear/Conv2d layers " + candidates + ", got "
                            + p);
                }
                Module d = digitalOf(net.module(p));
                if (d instanceof Conv2d c) {
                    mods.put(p, new Pointwise(m, c.outChannels()));
                } else {
                    mods.put(p, new LowRank(m, ((Linear) d).outFeatures(), rank, rs.split(i)));
                }
                i++;
            }
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return new ErrorCompensation(m, mods, rank);
    }

    /** The digital layer of a Linear/Conv2d or of its analog twin, else null. */
    private static Module digitalOf(Module m) {
        Module d = m instanceof AnalogLayer a ? a.digital() : m;
        return d instanceof Linear || d instanceof Conv2d ? d : null;
    }

    /**
     * The compensated paths, in the order given.
     *
     * @return the paths
     */
    public List<String> paths() {
        return new ArrayList<>(modules.keySet());
    }

    /**
     * The low-rank rank r.
     *
     * @return r
     */
    public int rank() {
        return rank;
    }

    /**
     * The compensation modules' trainable parameters, keyed "PATH/NAME" (e.g. "fc1/b.weight").
     *
     * @return the live parameters
     */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        modules.forEach((p, mod) -> mod.namedParameters().forEach((n, a) -> out.put(p + "/" + n, a)));
        return out;
    }

    /**
     * Trainable parameters of all compensation modules.
     *
     * @return the count
     */
    public long parameterCount() {
        return modules.values().stream().mapToLong(Module::parameterCount).sum();
    }

    /**
     * Wraps the module at every compensated path of {@code net} (digital or analog) as y + C(y).
     *
     * @param net the network
     */
    public void install(Module net) {
        modules.forEach((p, c) -> {
            Module inner = net.module(p);
            if (inner instanceof Compensated) {
                throw new IllegalStateException("compensation already installed at " + p);
            }
            net.replace(p, new Compensated(inner, c));
        });
    }

    /**
     * Removes the wrappers {@link #install} put in (paths without one are left alone).
     *
     * @param net the network
     */
    public void uninstall(Module net) {
        modules.keySet().forEach(p -> {
            if (net.module(p) instanceof Compensated w) {
                net.replace(p, w.inner);
            }
        });
    }

    /**
     * Runs {@code work} with the compensation installed in {@code net} ({@link #install}), removed afterwards even when
     * it fails; e.g. a Monte-Carlo evaluation of an analog network converted from {@code net}.
     *
     * @param net the network
     * @param work what to run with the compensation in place
     * @param <T> its result type
     * @return its result
     */
    public <T> T installedDuring(Module net, java.util.function.Supplier<T> work) {
        install(net);
        try {
            return work.get();
        } finally {
            uninstall(net);
        }
    }

    /**
     * Overhead relative to the backbone.
     *
     * @param parameters compensation parameters
     * @param backboneParameters the network's parameters
     * @param macs compensation multiply-accumulates per inference
     * @param backboneMacs the Linear/Conv2d layers' multiply-accumulates per inference
     *
     * @serial exclude
     */
    public record Overhead(long parameters, long backboneParameters, long macs, long backboneMacs)
            implements java.io.Serializable {
        /**
         * Parameter overhead.
         *
         * @return parameters / backboneParameters
         */
        public double parameterFraction() {
            return (double) parameters / backboneParameters;
        }

        /**
         * MAC overhead.
         *
         * @return macs / backboneMacs
         */
        public double macFraction() {
            return (double) macs / backboneMacs;
        }

        /**
         * "1,234 parameters (2.0 % of 61,706), 5,678 MACs (1.3 % of 416,520)".
         *
         * @return the line
         */
        public String format() {
            return String.format(java.util.Locale.ROOT, "%,d parameters (%.2f %% of %,d), %,d MACs (%.2f %% of %,d)",
                    parameters, 100 * parameterFraction(), backboneParameters, macs, 100 * macFraction(),
                    backboneMacs);
        }
    }

    /**
     * The overhead of this compensation on the digital network {@code net}.
     *
     * @param net the digital network (without compensation installed)
     * @param inputShape one example's shape, e.g. [1, 28, 28]
     * @return parameters and MACs of the compensation and of the backbone
     */
    public Overhead overhead(Module net, Shape inputShape) {
        long macs = 0;
        long backbone = 0;
        for (LayerShape s : LayerShape.of(net, inputShape)) {
            backbone += (long) s.inFeatures() * s.outFeatures() * s.mvmsPerInference();
            Module c = modules.get(s.name());
            if (c instanceof Pointwise) {
                macs += (long) s.outFeatures() * s.outFeatures() * s.mvmsPerInference();
            } else if (c instanceof LowRank) {
                macs += 2L * rank * s.outFeatures() * s.mvmsPerInference();
            }
        }
        return new Overhead(parameterCount(), net.parameterCount(), macs, backbone);
    }

    /** Frees the compensation's arrays (uninstall first). */
    @Override
    public void close() {
        manager.close();
    }

    /** y + C(y) around a layer. */
    static final class Compensated extends Module {
        final Module inner;
        final Module compensation;

        Compensated(Module inner, Module compensation) {
            this.inner = inner;
            this.compensation = compensation;
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            NDArray y = inner.forward(x, training);
            return y.add(compensation.forward(y, training));
        }
    }

    /** A zero-initialized 1×1 convolution C → C with bias. */
    static final class Pointwise extends Module {
        final Conv2d conv;

        Pointwise(NDManager m, int channels) {
            conv = addChild("conv", new Conv2d(m, channels, channels, 1, 1, 0, true));
            InPlace.assign(conv.weight(), new float[(int) conv.weight().size()]);
            InPlace.assign(conv.bias(), new float[channels]);
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            return conv.forward(x, training);
        }
    }

    /** B·A·y + b with A [r, n] Gaussian (std 1/√n), B [n, r] and b zero. */
    static final class LowRank extends Module {
        final Linear a;
        final Linear b;

        LowRank(NDManager m, int n, int r, RandomStream rs) {
            a = addChild("a", new Linear(m, n, r, false));
            b = addChild("b", new Linear(m, r, n, true));
            try (NDArray init = rs.normal(m, (float) (1 / Math.sqrt(n)), a.weight().getShape())) {
                InPlace.assign(a.weight(), init);
            }
            InPlace.assign(b.weight(), new float[(int) b.weight().size()]);
            InPlace.assign(b.bias(), new float[n]);
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            return b.forward(a.forward(x, training), training);
        }
    }
}
