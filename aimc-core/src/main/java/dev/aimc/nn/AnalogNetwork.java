package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.device.DeviceModel;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network whose Linear/Conv2d layers were replaced by analog twins ({@link AnalogConverter}); batch norm,
 * activations and pooling stay digital. Lifecycle: {@link #program(long)} (programming noise and drift exponents
 * drawn anew, seeded), {@link #driftTo(double)} (inference time), then {@link #forward} any number of batches
 * (fresh output noise per batch, and fresh read noise with per-batch reads).
 *
 * <p>Randomness: {@code program(seed)} gives analog layer i (in network order) the chip stream
 * {@code RandomStream.of(seed).split(i)}, which the layer's matrix splits by purpose (programming, reads, output
 * noise, calibration; see {@link dev.aimc.tile.AnalogMatrix}). No global generator is involved, so two networks
 * in one JVM never disturb each other and the same seed gives the same chip.
 */
public final class AnalogNetwork implements AutoCloseable {
    private final Module net;
    private final Map<String, AnalogLayer> layers;
    private final Map<String, Module> originals;
    private final TileConfig config;
    private final DeviceModel device;
    private double time = Double.NaN;
    private boolean programmed;

    AnalogNetwork(Module net, Map<String, AnalogLayer> layers, Map<String, Module> originals, TileConfig config,
            DeviceModel device) {
        this.net = net;
        this.layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        this.originals = new LinkedHashMap<>(originals);
        this.config = config;
        this.device = device;
    }

    /**
     * The converted network (analog layers in place).
     *
     * @return the network itself, with analog twins in place of the converted layers
     */
    public Module module() {
        return net;
    }

    /**
     * Analog layers by dotted path, in network order.
     *
     * @return unmodifiable map of path to analog layer
     */
    public Map<String, AnalogLayer> analogLayers() {
        return layers;
    }

    /**
     * The tile configuration every analog layer uses.
     *
     * @return the configuration given to {@link AnalogConverter#convert}
     */
    public TileConfig config() {
        return config;
    }

    /**
     * The device model the layers are programmed on.
     *
     * @return the model given to {@link AnalogConverter#convert}
     */
    public DeviceModel device() {
        return device;
    }

    /**
     * Inference time set by {@link #driftTo}, NaN before.
     *
     * @return seconds since programming, or NaN
     */
    public double time() {
        return time;
    }

    /**
     * Programs every analog layer anew, layer i from the stream {@code RandomStream.of(seed).split(i)}.
     *
     * @param seed the chip seed: the same seed programs the same conductances
     */
    public void program(long seed) {
        program(seed, null);
    }

    /**
     * Programs every analog layer's tiles anew with {@code programmer} (e.g. program-and-verify or GDP; null: the
     * device model's one-shot programming, as {@link #program(long)}), layer i from the stream
     * {@code RandomStream.of(seed).split(i)}.
     *
     * @param seed the chip seed
     * @param programmer the programming algorithm, or null
     */
    public void program(long seed, TileProgrammer programmer) {
        RandomStream chip = RandomStream.of(seed);
        int i = 0;
        for (AnalogLayer l : layers.values()) {
            l.program(device, programmer, chip.split(i++));
        }
        programmed = true;
        time = Double.NaN;
    }

    /**
     * Sets the inference time (seconds since programming, ≥ 0) of every analog layer.
     *
     * @param tSeconds seconds since programming (≥ 0)
     */
    public void driftTo(double tSeconds) {
        Check.nonNegative("time", tSeconds);
        if (!programmed) {
            throw new IllegalStateException("program(seed) the network before driftTo(t)");
        }
        for (AnalogLayer l : layers.values()) {
            l.driftTo(tSeconds);
        }
        time = tSeconds;
    }

    /**
     * Starts evaluation pass {@code pass} on every analog layer ({@link dev.aimc.tile.AnalogMatrix#startPass}): the
     * noise that the forward passes and calibration reads draw from now on depends only on (chip, time, pass).
     *
     * @param pass the pass's key, e.g. {@link #passKey} of a variant's name
     * @throws IllegalStateException before {@link #driftTo(double)}
     */
    public void startPass(long pass) {
        for (AnalogLayer l : layers.values()) {
            l.matrix().startPass(pass);
        }
    }

    /**
     * The pass key of a named evaluation (e.g. a compensation variant such as "gdc+adabs"): a fixed function of the
     * name alone, so the same variant draws the same noise whatever else a run evaluates.
     *
     * @param name the variant's name
     * @return its 64-bit key
     */
    public static long passKey(String name) {
        long k = 0x7061737300000000L; // "pass"
        for (int i = 0; i < name.length(); i++) {
            k = dev.aimc.util.Rng.derive(k, name.charAt(i));
        }
        return k;
    }

    /**
     * Inference forward pass (no autograd recording), output attached to {@code x.getManager()}.
     *
     * @param x the input batch, e.g. [B, 1, 28, 28]
     * @return the output logits [B, classes]
     */
    public NDArray forward(NDArray x) {
        return inference(() -> net.forward(x, false));
    }

    /**
     * Runs {@code body} with PyTorch's grad mode off, restoring the previous mode.
     *
     * @param <T> the result type
     * @param body the computation
     * @return what {@code body} returns
     */
    public static <T> T inference(java.util.function.Supplier<T> body) {
        boolean grad = JniUtils.isGradMode();
        if (grad) {
            JniUtils.setGradMode(false);
        }
        try {
            return body.get();
        } finally {
            if (grad) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /** Puts the original digital layers back into the network (the analog layers stay open until close). */
    public void restoreDigital() {
        originals.forEach(net::replace);
    }

    /** Puts the analog layers back (after {@link #restoreDigital()}). */
    public void restoreAnalog() {
        layers.forEach((p, l) -> net.replace(p, (Module) l));
    }

    /** Restores the digital layers and frees the analog layers' arrays. */
    @Override
    public void close() {
        restoreDigital();
        for (AnalogLayer l : layers.values()) {
            l.close();
        }
    }
}
