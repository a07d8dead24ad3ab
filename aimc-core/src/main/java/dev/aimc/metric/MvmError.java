package dev.aimc.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import dev.aimc.util.RandomStream;
import java.util.function.UnaryOperator;

/**
 * MVM error, MAC accuracy and ADC saturation of an analog matrix-vector multiply against the exact product — the one
 * metric of {@code aimc mvm-error}, {@code aimc program}, the programming algorithms (GDP, program-and-verify
 * histories) and the compensation tests.
 *
 * <p><b>Input convention.</b> Input vectors x are drawn independently and uniformly in ±r, r the DAC's input range
 * ({@link dev.aimc.tile.TileConfig#inputRange()}, default 1, so x ∈ [−1, 1]); the exact product W x uses the
 * unquantized x. Inputs are processed in chunks of {@value #CHUNK} vectors, each chunk one forward pass (one
 * conductance read under the tile's read-noise policy).
 *
 * <ul>
 *   <li>MVM error ε = ‖y − y_ideal‖₂ / ‖y_ideal‖₂ over all outputs of all input vectors (Frobenius norms);</li>
 *   <li>MAC accuracy = 1 − RMS(y − y_ideal) / (max(y_ideal) − min(y_ideal)), the RMS error relative to the range
 *       of the exact outputs (Antolini et al. 2023's figure of merit);</li>
 *   <li>saturated fraction: the fraction of tile outputs whose pre-ADC value reached the ADC bound
 *       (|y| ≥ output range), counted over all tile columns including zero padding; NaN where the outputs were
 *       not observed before the ADC ({@link #of(double[], double[])}).</li>
 * </ul>
 */
public final class MvmError {
    private MvmError() {}

    /** Input vectors per forward pass. */
    public static final int CHUNK = 256;
    /** Default number of random input vectors. */
    public static final int DEFAULT_INPUTS = 2048;

    /**
     * The figures of merit.
     *
     * @param mvmError ε = ‖y − y_ideal‖/‖y_ideal‖ (dimensionless)
     * @param macAccuracy 1 − RMS error / range of the exact outputs (dimensionless)
     * @param saturatedFraction fraction of tile outputs at the ADC bound before quantization, NaN if not observed
     */
    public record Result(double mvmError, double macAccuracy, double saturatedFraction) {}

    /** Accumulates squared errors, squared exact outputs and the exact range over chunks, in double precision. */
    public static final class Accumulator {
        private double se;
        private double si;
        private long n;
        private double lo = Double.POSITIVE_INFINITY;
        private double hi = Double.NEGATIVE_INFINITY;
        private long saturated;
        private long observed;

        /**
         * Adds outputs {@code y} and exact outputs {@code ideal} (same number of values, any layout).
         *
         * @param y measured outputs
         * @param ideal exact outputs, as many values as {@code y}
         */
        public void add(double[] y, double[] ideal) {
            if (y.length != ideal.length) {
                throw new IllegalArgumentException("y and ideal need the same length, got " + y.length + " and "
                        + ideal.length);
            }
            for (int i = 0; i < y.length; i++) {
                double d = y[i] - ideal[i];
                se += d * d;
                si += ideal[i] * ideal[i];
                lo = Math.min(lo, ideal[i]);
                hi = Math.max(hi, ideal[i]);
            }
            n += y.length;
        }

        /**
         * Adds NDArray outputs (converted to double).
         *
         * @param y measured outputs
         * @param ideal exact outputs, same number of values as {@code y}
         */
        public void add(NDArray y, NDArray ideal) {
            add(y.toType(DataType.FLOAT64, false).toDoubleArray(), ideal.toType(DataType.FLOAT64, false).toDoubleArray());
        }

        /**
         * Counts {@code hits} saturated tile outputs among {@code total} observed.
         *
         * @param hits tile outputs at the ADC bound
         * @param total tile outputs observed
         */
        public void addSaturation(long hits, long total) {
            saturated += hits;
            observed += total;
        }

        /**
         * The metrics so far; throws when nothing was added.
         *
         * @return ε, MAC accuracy and the saturated fraction (NaN when no saturation was counted)
         * @throws IllegalStateException when nothing was added
         */
        public Result result() {
            if (n == 0) {
                throw new IllegalStateException("no outputs accumulated");
            }
            double eps = si > 0 ? Math.sqrt(se / si) : Double.NaN;
            double rms = Math.sqrt(se / n);
            double mac = hi > lo ? 1 - rms / (hi - lo) : Double.NaN;
            return new Result(eps, mac, observed == 0 ? Double.NaN : saturated / (double) observed);
        }
    }

    /**
     * Metrics of flattened outputs against the exact ones (saturated fraction NaN).
     *
     * @param y measured outputs, any layout
     * @param ideal exact outputs, same length as {@code y}
     * @return ε, MAC accuracy and a NaN saturated fraction
     */
    public static Result of(double[] y, double[] ideal) {
        if (y.length == 0) {
            throw new IllegalArgumentException("y and ideal need a nonzero length");
        }
        Accumulator a = new Accumulator();
        a.add(y, ideal);
        return a.result();
    }

    /**
     * Metrics of outputs {@code y} against {@code ideal} (same shape, any layout), in double precision.
     *
     * @param y measured outputs
     * @param ideal exact outputs, same shape as {@code y}
     * @return ε, MAC accuracy and a NaN saturated fraction
     */
    public static Result of(NDArray y, NDArray ideal) {
        return of(y.toType(DataType.FLOAT64, false).toDoubleArray(), ideal.toType(DataType.FLOAT64, false).toDoubleArray());
    }

    /**
     * {@code b} random input vectors [b, n], uniform in ±{@code range} (the input convention above), from the
     * engine's generator (seed it with {@code Rng.seed} right before; for test inputs).
     *
     * @param m the manager the array is created in
     * @param b number of vectors (≥ 1)
     * @param n vector length (matrix inputs)
     * @param range half-width of the uniform distribution (1 for inputs in tile units)
     * @return float32 [b, n]
     */
    public static NDArray inputs(NDManager m, int b, int n, double range) {
        return m.randomUniform(-(float) range, (float) range, new Shape(b, n), DataType.FLOAT32);
    }

    /**
     * {@code b} random input vectors [b, n], uniform in ±{@code range}, drawn from {@code rng}.
     *
     * @param m the manager the array is created in
     * @param b number of vectors (≥ 1)
     * @param n vector length (matrix inputs)
     * @param range half-width of the uniform distribution
     * @param rng the stream the values are drawn from (advanced)
     * @return float32 [b, n]
     */
    public static NDArray inputs(NDManager m, int b, int n, double range, RandomStream rng) {
        return rng.uniform(m, -(float) range, (float) range, new Shape(b, n));
    }

    /**
     * Metrics of any analog MVM {@code mvm}: x [B, in] → y [B, out] against x·{@code wt} for {@code wt} [in, out],
     * over {@code n} random inputs in ±{@code range} (saturated fraction NaN).
     *
     * @param mvm the analog product, x [B, in] → y [B, out]
     * @param wt the weights transposed, [in, out], in the units of the outputs
     * @param range half-width of the uniform inputs
     * @param n number of random input vectors
     * @return ε and MAC accuracy over all outputs, saturated fraction NaN
     */
    public static Result of(UnaryOperator<NDArray> mvm, NDArray wt, double range, int n) {
        Accumulator acc = new Accumulator();
        int in = (int) wt.getShape().get(0);
        for (int done = 0; done < n; done += CHUNK) {
            int b = Math.min(CHUNK, n - done);
            try (NDManager tmp = wt.getManager().newSubManager()) {
                NDArray x = inputs(tmp, b, in, range);
                acc.add(mvm.apply(x), x.matMul(wt));
            }
        }
        return acc.result();
    }

    /**
     * Metrics of a programmed, drifted {@link AnalogMatrix} through its own forward pass (with whatever compensation
     * steps are registered on it) against its weights {@code w} [out, in] in layer units (bias ignored), over
     * {@code n} random inputs in ± its DAC range, with the ADC saturated fraction.
     *
     * @param matrix a programmed matrix, drifted to the time being measured
     * @param w the weights [out, in] in layer units
     * @param n number of random input vectors
     * @return ε, MAC accuracy and the fraction of tile outputs at the ADC bound
     */
    public static Result of(AnalogMatrix matrix, NDArray w, int n) {
        Accumulator acc = new Accumulator();
        double bound = matrix.config().outputRange();
        PeripheryStep counter = (y, ctx) -> {
            try (NDArray s = y.abs().gte((float) bound).sum()) {
                acc.addSaturation(s.toType(DataType.INT64, false).getLong(), y.getShape().size());
            }
            return y;
        };
        matrix.preAdcSteps().add(counter);
        try {
            for (int done = 0; done < n; done += CHUNK) {
                int b = Math.min(CHUNK, n - done);
                try (NDManager tmp = w.getManager().newSubManager()) {
                    NDArray x = inputs(tmp, b, matrix.inFeatures(), matrix.config().inputRange());
                    NDArray y = matrix.forward(x);
                    acc.add(y, x.matMul(w.transpose()));
                }
            }
        } finally {
            matrix.preAdcSteps().remove(counter);
        }
        return acc.result();
    }
}
