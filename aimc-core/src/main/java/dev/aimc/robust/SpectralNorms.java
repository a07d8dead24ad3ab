package dev.aimc.robust;

import ai.djl.ndarray.NDArray;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import dev.aimc.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Per-layer spectral norms (largest singular value, the layer's Lipschitz constant in the 2-norm) by power
 * iteration on W [out, in·k·k] (a convolution's weight reshaped as in {@link LipschitzRegularizer}; the norm of
 * the matrix the crossbar stores, not of the convolution operator), in double precision.
 */
public final class SpectralNorms {
    private SpectralNorms() {}

    /** Default iteration cap. */
    public static final int DEFAULT_ITERATIONS = 200;

    /**
     * Largest singular value of a row-major matrix by power iteration on WᵀW from a seeded Gaussian start vector;
     * stops when σ changes by less than 1e−12 relative, or after {@code iterations}.
     *
     * @param w row-major [rows × cols]
     * @param rows rows ≥ 1
     * @param cols cols ≥ 1
     * @param iterations at most this many iterations, ≥ 1
     * @param seed seed of the start vector
     * @return σ_max ≥ 0
     */
    public static double largestSingularValue(float[] w, int rows, int cols, int iterations, long seed) {
        Check.range("iterations", iterations, 1, 1_000_000);
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException("matrix has " + w.length + " values, not " + rows + " × " + cols);
        }
        Random r = new Random(seed);
        double[] v = new double[cols];
        for (int j = 0; j < cols; j++) {
            v[j] = r.nextGaussian();
        }
        normalize(v);
        double[] u = new double[rows];
        double sigma = 0;
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < rows; i++) { // u = W v
                double s = 0;
                int o = i * cols;
                for (int j = 0; j < cols; j++) {
                    s += w[o + j] * v[j];
                }
                u[i] = s;
            }
            double next = normalize(u);
            java.util.Arrays.fill(v, 0);
            for (int i = 0; i < rows; i++) { // v = Wᵀ u
                int o = i * cols;
                for (int j = 0; j < cols; j++) {
                    v[j] += w[o + j] * u[i];
                }
            }
            next = normalize(v); // ‖Wᵀu‖ with u = Wv/‖Wv‖ converges to σ_max from below
            if (next == 0 || Math.abs(next - sigma) <= 1e-12 * next) {
                return next;
            }
            sigma = next;
        }
        return sigma;
    }

    private static double normalize(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        s = Math.sqrt(s);
        if (s > 0) {
            for (int i = 0; i < a.length; i++) {
                a[i] /= s;
            }
        }
        return s;
    }

    /**
     * σ_max of every weight of {@link LipschitzRegularizer#weights}, layer i from the start vector of seed
     * {@code Rng.derive(seed, i)}.
     *
     * @param net the network
     * @param iterations iteration cap per layer
     * @param seed the seed
     * @return path to σ_max, in network order
     */
    public static Map<String, Double> of(Module net, int iterations, long seed) {
        Map<String, Double> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, NDArray> e : LipschitzRegularizer.weights(net).entrySet()) {
            NDArray w = e.getValue();
            int rows = (int) w.getShape().get(0);
            int cols = (int) (w.getShape().size() / rows);
            out.put(e.getKey(), largestSingularValue(w.toFloatArray(), rows, cols, iterations, Rng.derive(seed, i++)));
        }
        return out;
    }

    /**
     * "conv1 1.234, fc1 0.987, ..." for a log line.
     *
     * @param norms path to σ_max
     * @return the norms joined, 3 decimals
     */
    public static String format(Map<String, Double> norms) {
        StringBuilder sb = new StringBuilder();
        norms.forEach((p, s) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(String.format(java.util.Locale.ROOT, "%s %.3f", p, s)));
        return sb.toString();
    }
}
