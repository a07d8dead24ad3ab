package dev.aimc.nn.hwa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Helpers shared by the HWA tests. */
final class TestUtil {
    private TestUtil() {}

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double std(double[] v) {
        double mu = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - mu) * (x - mu);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    static double maxAbs(float[] w) {
        double m = 0;
        for (float x : w) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Identity [n, n] in {@code m}: a Linear's output for it is the transposed weight. */
    static NDArray eye(NDManager m, int n) {
        return m.eye(n).reshape(new Shape(n, n));
    }

    /** Reads and closes a parameter's gradient (getGradient makes a new array in the parameter's manager). */
    static float[] grad(NDArray p) {
        try (NDArray g = p.getGradient()) {
            return g.toFloatArray();
        }
    }
}
