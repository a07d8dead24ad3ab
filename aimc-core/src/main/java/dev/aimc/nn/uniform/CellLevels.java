package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.tile.Converters;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Nd;
import dev.aimc.util.OptionLabels;
import java.util.Locale;

/**
 * The weight values that cells with 2^b conductance levels can hold, and the quantizer onto them: the weight
 * quantizer of uniform scaling. A b-bit cell has the 2^b equally spaced levels g_min + k·Δg, k = 0 … 2^b − 1 (as
 * {@link dev.aimc.device.RramModel} with {@code bitsPerCell} = b places them), so with the weight range W mapped onto
 * the full conductance swing, one cell holds the weights k·Δ with Δ = W/(2^b − 1).
 *
 * <ul>
 *   <li>{@link Polarity#BIPOLAR}: a differential pair of two b-bit cells, w ∝ g⁺ − g⁻: the weights k·Δ with
 *       |k| ≤ 2^b − 1 (2^(b+1) − 1 values, zero included, symmetric; ±W the outermost).</li>
 *   <li>{@link Polarity#POSITIVE}: one b-bit cell per weight: k·Δ with k = 0 … 2^b − 1 (2^b values in [0, W]).</li>
 *   <li>{@link Polarity#NEGATIVE}: one cell, the sign applied digitally: −k·Δ, k = 0 … 2^b − 1.</li>
 * </ul>
 *
 * <p>A weight is clipped to the range of its polarity, then rounded to the nearest value (half to even). The rounding
 * is {@link Converters#quantize} with b + 1 bits over ±W, whose step is exactly Δ = W/(2^b − 1). With straight-through
 * gradients (training) the derivative is 1 inside the range and 0 where the weight clipped.
 *
 * @param cellBits bits per cell b, 1 … 8 (2^b levels per cell)
 * @param polarity which signs the weights may take
 * @param weightRange W, the weight the largest level stands for, in weight units, &gt; 0
 */
public record CellLevels(int cellBits, Polarity polarity, double weightRange) {

    /** Largest bits per cell accepted. */
    public static final int MAX_CELL_BITS = 8;

    /** The signs a layer's weights may take on its cells. */
    public enum Polarity {
        /** Positive and negative weights: a differential pair of cells per weight. */
        BIPOLAR,
        /** Weights ≥ 0: one cell per weight. */
        POSITIVE,
        /** Weights ≤ 0: one cell per weight, the sign applied digitally. */
        NEGATIVE;

        /**
         * Lower-case name, as on the command line and in checkpoints.
         *
         * @return "bipolar", "positive" or "negative"
         */
        public String label() {
            return OptionLabels.label(this);
        }

        /**
         * Parses a label (any case).
         *
         * @param option the option named in the error
         * @param s "bipolar", "positive" or "negative"
         * @return the polarity
         * @throws ConfigException naming {@code option} for any other value
         */
        public static Polarity parse(String option, String s) {
            return OptionLabels.parse(option, Polarity.class, s);
        }
    }

    /**
     * Validates.
     *
     * @param cellBits bits per cell, 1 … {@value #MAX_CELL_BITS}
     * @param polarity which signs the weights may take (not null)
     * @param weightRange W in weight units, &gt; 0 and finite
     */
    public CellLevels {
        Check.range("cell-bits", cellBits, 1, MAX_CELL_BITS);
        if (polarity == null) {
            throw new ConfigException("weight polarity must be one of bipolar, positive, negative, got null");
        }
        Check.positive("weight-range", weightRange);
        Check.that(Double.isFinite(weightRange), "weight-range", "must be finite", weightRange);
    }

    /**
     * Levels per cell.
     *
     * @return 2^b
     */
    public int levelsPerCell() {
        return 1 << cellBits;
    }

    /**
     * The spacing of the weight values.
     *
     * @return Δ = W/(2^b − 1), in weight units
     */
    public double step() {
        return Converters.step(cellBits + 1, weightRange);
    }

    /**
     * Every weight value the cells can hold, ascending, as k·Δ (computed in float32, as the quantizer computes).
     *
     * @return 2^(b+1) − 1 values (bipolar) or 2^b values (positive, negative)
     */
    public float[] values() {
        int top = levelsPerCell() - 1;
        int lo = polarity == Polarity.POSITIVE ? 0 : -top;
        int hi = polarity == Polarity.NEGATIVE ? 0 : top;
        float st = (float) step();
        float[] v = new float[hi - lo + 1];
        for (int k = lo; k <= hi; k++) {
            v[k - lo] = k * st;
        }
        return v;
    }

    /**
     * Weights onto the cells' values: clipped to the polarity's range, rounded to the nearest value k·Δ.
     *
     * @param w weights, any shape, in weight units
     * @param straightThrough true (training): the gradient passes through the rounding (1 inside the range, 0 where
     *     clipped); false: the values only
     * @return a new array in w's manager
     */
    public NDArray quantize(NDArray w, boolean straightThrough) {
        NDManager m = w.getManager();
        float r = (float) weightRange;
        NDArray inRange = switch (polarity) {
            case BIPOLAR -> w;
            case POSITIVE -> Nd.in(m, w.clip(0f, r));
            case NEGATIVE -> Nd.in(m, w.clip(-r, 0f));
        };
        NDArray q = Converters.quantize(inRange, cellBits + 1, weightRange, straightThrough);
        if (inRange != w) {
            inRange.close();
        }
        return q;
    }

    /**
     * Short description, e.g. "2-bit cells, bipolar (differential pair), W = 1".
     *
     * @return the description
     */
    public String describe() {
        return String.format(Locale.ROOT, "%d-bit cells, %s, W = %.4g", cellBits,
                polarity == Polarity.BIPOLAR ? "bipolar (differential pair)" : polarity.label() + " (one cell)",
                weightRange);
    }
}
