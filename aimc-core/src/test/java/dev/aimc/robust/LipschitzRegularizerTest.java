package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.util.InPlace;
import dev.aimc.util.RandomStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lipschitz regularizer's value and gradient against a direct computation; power iteration. */
class LipschitzRegularizerTest {

    /** A conv [4, 2, 3, 3] (out 4 &lt; in·k² 18: W·Wᵀ) and a linear [5, 3] (out 5 &gt; in 3: Wᵀ·W). */
    private static Module net(NDManager m) {
        Module n = new Sequential().add(new Conv2d(m, 2, 4, 3, 1, 0, true)).add(Layers.flatten())
                .add(new Linear(m, 3, 5, true));
        RandomStream rs = RandomStream.of(11);
        int i = 0;
        for (NDArray w : LipschitzRegularizer.weights(n).values()) {
            InPlace.assign(w, rs.split(i++).normal(m, 0.7f, w.getShape()));
        }
        return n;
    }

    /** ‖W Wᵀ − λI‖²_F (rows ≤ cols) or ‖Wᵀ W − λI‖²_F in double, W row-major [rows, cols]. */
    private static double direct(float[] w, int rows, int cols, double lambda) {
        boolean small = rows <= cols;
        int n = small ? rows : cols;
        int k = small ? cols : rows;
        double sum = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double g = 0;
                for (int j = 0; j < k; j++) {
                    g += small ? (double) w[a * cols + j] * w[b * cols + j] : (double) w[j * cols + a] * w[j * cols + b];
                }
                double d = g - (a == b ? lambda : 0);
                sum += d * d;
            }
        }
        return sum;
    }

    @Test
    void valueMatchesTheDirectSumOverLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module n = net(m);
            Map<String, NDArray> ws = LipschitzRegularizer.weights(n);
            assertEquals(2, ws.size());
            for (double lambda : new double[] {0, 1, 2.5}) {
                double want = 0;
                for (NDArray w : ws.values()) {
                    int rows = (int) w.getShape().get(0);
                    want += direct(w.toFloatArray(), rows, (int) (w.size() / rows), lambda);
                }
                assertEquals(want, LipschitzRegularizer.value(n, lambda), 1e-5 * want, "λ " + lambda);
            }
            // the other orientation differs by the constant λ²·(cols − rows): conv 18 − 4 = 14, linear 3 − 5 = −2
            NDArray conv = ws.get("0");
            double big = 0;
            float[] c = conv.toFloatArray();
            for (int a = 0; a < 18; a++) { // ‖WᵀW − I‖² of the conv, 18 × 18
                for (int b = 0; b < 18; b++) {
                    double g = 0;
                    for (int j = 0; j < 4; j++) {
                        g += (double) c[j * 18 + a] * c[j * 18 + b];
                    }
                    big += Math.pow(g - (a == b ? 1 : 0), 2);
                }
            }
            assertEquals(direct(c, 4, 18, 1) + 14, big, 1e-9 * big);
        }
    }

    /**
     * Nothing of the penalty stays in the parameters' manager, which lives as long as the network: before, every
     * step left each layer's reshaped weight, Gram matrix, identity and squares there, and a VGG training with the
     * regularizer grew by about 1 GB per epoch until the kernel killed it.
     */
    @Test
    void thePenaltysTemporariesAreTheBatchsNotTheParameters() {
        try (NDManager params = NDManager.newBaseManager()) {
            Module n = net(params);
            LipschitzRegularizer.weights(n).values().forEach(w -> w.setRequiresGradient(true));
            int before = params.getManagedArrays().size();
            for (int step = 0; step < 3; step++) {
                try (NDManager batch = params.newSubManager();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(LipschitzRegularizer.penalty(n, 1.0, batch));
                }
            }
            assertEquals(before, params.getManagedArrays().size(), "arrays left in the parameters' manager");
        }
    }

    @Test
    void gradientIsFourTimesGramMinusLambdaTimesW() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module n = net(m);
            double lambda = 1.5;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(LipschitzRegularizer.penalty(n, lambda, m));
            }
            for (NDArray w : LipschitzRegularizer.weights(n).values()) {
                int rows = (int) w.getShape().get(0);
                int cols = (int) (w.size() / rows);
                float[] v = w.toFloatArray();
                float[] grad = w.getGradient().toFloatArray();
                // d/dW ‖WWᵀ − λI‖² = 4 (WWᵀ − λI) W
                for (int a = 0; a < rows; a++) {
                    for (int j = 0; j < cols; j++) {
                        double s = 0;
                        for (int b = 0; b < rows; b++) {
                            double g = 0;
                            for (int k = 0; k < cols; k++) {
                                g += (double) v[a * cols + k] * v[b * cols + k];
                            }
                            s += (g - (a == b ? lambda : 0)) * v[b * cols + j];
                        }
                        assertEquals(4 * s, grad[a * cols + j], 1e-4 * (1 + Math.abs(4 * s)),
                                "grad [" + a + ", " + j + "] of " + w.getShape());
                    }
                }
            }
        }
    }

    @Test
    void powerIterationFindsTheLargestSingularValue() {
        // [[1, 2], [3, 4]]: WᵀW = [[10, 14], [14, 20]], σ_max² = (30 + √884)/2
        double want = Math.sqrt((30 + Math.sqrt(884)) / 2);
        assertEquals(want, SpectralNorms.largestSingularValue(new float[] {1, 2, 3, 4}, 2, 2, 500, 3), 1e-9);
        // [[2, 1, 0], [1, 2, 0]] (2 × 3): singular values 3 and 1
        assertEquals(3, SpectralNorms.largestSingularValue(new float[] {2, 1, 0, 1, 2, 0}, 2, 3, 500, 9), 1e-9);
        try (NDManager m = NDManager.newBaseManager()) {
            Module n = net(m);
            Map<String, Double> a = SpectralNorms.of(n, 300, 7);
            assertEquals(a, SpectralNorms.of(n, 300, 7), "seeded: the same numbers");
            assertEquals(2, a.size());
            // σ_max² ≥ ‖W‖²_F / rank: a loose physical bound; and σ_max ≤ ‖W‖_F
            for (Map.Entry<String, NDArray> e : LipschitzRegularizer.weights(n).entrySet()) {
                double fro = Math.sqrt(e.getValue().square().sum().getFloat());
                assertTrue(a.get(e.getKey()) <= fro + 1e-6 && a.get(e.getKey()) >= fro / 2, e.getKey());
            }
            assertNotEquals(a.get("0"), a.get("2"));
        }
    }
}
