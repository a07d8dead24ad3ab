package dev.aimc.nn.hwa;

import dev.aimc.util.Nd;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TiledMvm;
import dev.aimc.util.InPlace;
import dev.aimc.util.RandomStream;

/**
 * A layer trained hardware-aware: {@link HwaLinear} or {@link HwaConv2d}. Its training forward is the inference
 * tile's pipeline on noisy weights ({@link TiledMvm}: per-tile DAC → product → output noise/ADC in tile units →
 * digital scaling and sum), then the learned output scale and the digital bias; its inference forward is the plain
 * digital layer (times the learned output scale, if any: call {@link #foldOutScale()} before handing the network to
 * the analog simulator so that the scale lives in the weights).
 *
 * <p>Training noise (weight noise, then output noise) is drawn from the layer's own {@link #noiseStream()}, which
 * the trainer replaces at the start of every epoch ({@link HardwareAware#setNoiseStreams}); a new layer starts with
 * the stream of seed 0.
 */
public interface HwaLayer {

    /**
     * What the layer holds besides its parameters: settings, noise model, tiles, grid, noise stream.
     *
     * @return the layer's state
     */
    HwaState state();

    /**
     * The settings the layer was built with.
     *
     * @return the HWA settings
     */
    default HwaConfig config() {
        return state().config();
    }

    /**
     * The weight noise of the training forward.
     *
     * @return the noise model
     */
    default WeightNoise noise() {
        return state().noise();
    }

    /**
     * The stream the training forward draws its weight and output noise from.
     *
     * @return the current stream
     */
    default RandomStream noiseStream() {
        return state().noiseStream();
    }

    /**
     * Sets the stream the training forward draws from (each draw advances it).
     *
     * @param rng the stream, e.g. a split of the trainer's stream
     */
    default void setNoiseStream(RandomStream rng) {
        state().setNoiseStream(rng);
    }

    /**
     * The clean weight parameter ("weight").
     *
     * @return the weight parameter, shared with the digital layer
     */
    NDArray weight();

    /**
     * The learned per-output scale ("outScale", shape [out]), or null when not configured.
     *
     * @return [out], or null
     */
    NDArray outScale();

    /**
     * The digital bias ("bias", shape [out]), or null.
     *
     * @return [out], or null
     */
    NDArray bias();

    /**
     * The tiles the training forward is laid out on (the inference tile's geometry and weight scaling).
     *
     * @return the tile configuration
     */
    default TileConfig tiles() {
        return state().tiles();
    }

    /**
     * The pipeline shared by the twins: in training, noisy weights → {@code analog} (the tiled product with the
     * configured converters; the digital {@code digital} product when no converter and no output noise is
     * configured, where both are the same function) ; in inference, {@code digital} with the clean weights; then the
     * learned output scale and the digital bias. Per-output arrays ([out]) are reshaped to {@code perOutput} to
     * broadcast over the product. Every array it makes is attached to {@code x.getManager()}.
     *
     * @param analog (x, noisy weights) → the tiled analog product; the clean weights are {@link #weight()}
     * @param x the input batch
     * @param training true: noisy weights and converters; false: clean digital product
     * @param perOutput shape to which per-output arrays are reshaped, e.g. [1, out] or [1, out, 1, 1]
     * @param digital (x, weights) → the digital product
     * @return the layer output, attached to {@code x.getManager()}
     */
    default NDArray hwaForward(NDArray x, boolean training, Shape perOutput,
            java.util.function.BinaryOperator<NDArray> digital, java.util.function.BinaryOperator<NDArray> analog) {
        NDManager m = x.getManager();
        HwaConfig cfg = config();
        NDArray w = training ? noise().apply(weight(), m, noiseStream()) : weight();
        boolean converters = cfg.dacBits() > 0 || cfg.adcBits() > 0 || cfg.outputNoise() > 0;
        NDArray h = Nd.in(m, training && converters ? analog.apply(x, w) : digital.apply(x, w));
        if (w != weight()) {
            w.close();
        }
        for (NDArray perOut : new NDArray[] {outScale(), bias()}) {
            if (perOut == null) {
                continue;
            }
            NDArray c = Nd.in(m, perOut.reshape(perOutput));
            NDArray next = Nd.in(m, perOut == outScale() ? h.mul(c) : h.add(c));
            c.close();
            h.close();
            h = next;
        }
        return h;
    }

    /**
     * Folds the learned output scale into the weights (row/out-channel o multiplied by s_o) and resets the
     * scale to 1, in place and without recording gradients; the digital function is unchanged. No-op without
     * a learned scale.
     */
    default void foldOutScale() {
        NDArray s = outScale();
        if (s == null) {
            return;
        }
        NDArray w = weight();
        try (NDManager tmp = w.getManager().newSubManager()) {
            NDArray wc = Nd.constant(w, tmp);
            long[] dims = new long[w.getShape().dimension()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = w.getShape().get(0);
            NDArray sc = Nd.constant(s, tmp).reshape(new Shape(dims));
            InPlace.assign(w, wc.mul(sc));
            InPlace.assign(s, tmp.ones(s.getShape()));
        }
    }
}
