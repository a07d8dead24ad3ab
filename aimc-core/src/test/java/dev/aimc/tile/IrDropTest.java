package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The IR-drop solvers against each other and against circuit limits that have closed forms. */
class IrDropTest {

    private static double[][] randomG(Random r, int rows, int cols) {
        double[][] g = new double[rows][cols];
        for (double[] row : g) {
            for (int k = 0; k < cols; k++) {
                row[k] = r.nextDouble();
            }
        }
        return g;
    }

    private static double[] randomX(Random r, int rows) {
        double[] x = new double[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = 2 * r.nextDouble() - 1;
        }
        return x;
    }

    private static double relDiff(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void lineRelaxationEqualsTheDenseNodalSolve() {
        Random r = new Random(1);
        for (int[] size : new int[][] {{6, 9}, {12, 12}, {16, 5}}) {
            double[][] g = randomG(r, size[0], size[1]);
            double[] x = randomX(r, size[0]);
            for (double rho : new double[] {1e-4, 1e-2}) {
                double[] dense = IrDrop.solveDense(g, x, rho);
                IrDrop.Solution lines = IrDrop.solveLines(g, x, rho, 1e-13, 10_000);
                assertEquals(0, relDiff(lines.currents(), dense), 1e-9, "size " + size[0] + "x" + size[1] + " rho "
                        + rho);
                // the drop is real at these sizes: the exact currents differ from the ideal ones
                assertTrue(relDiff(dense, IrDrop.idealCurrents(g, x)) > 10 * rho);
            }
        }
    }

    @Test
    void oneDeviceSeesItsWireSegmentsInSeries() {
        // a single cell (i, k): the driver reaches it through k + 1 word-line segments, the amplifier through
        // R − i bit-line segments: I = x / (1/G + ρ·(k + 1 + R − i))
        int rows = 7;
        int cols = 5;
        double rho = 0.01;
        double gc = 0.8;
        double[][] g = new double[rows][cols];
        g[2][3] = gc;
        double[] x = new double[rows];
        x[2] = 0.7;
        double want = x[2] / (1 / gc + rho * (3 + 1 + rows - 2));
        assertEquals(want, IrDrop.solveDense(g, x, rho)[3], 1e-12);
        assertEquals(want, IrDrop.solveLines(g, x, rho, 1e-14, 1000).currents()[3], 1e-12);
    }

    @Test
    void firstOrderErrorIsSecondOrderInTheWireResistance() {
        Random r = new Random(2);
        double[][] g = randomG(r, 10, 12);
        double[] x = randomX(r, 10);
        double[] ideal = IrDrop.idealCurrents(g, x);
        double prev = Double.NaN;
        for (double rho : new double[] {4e-4, 2e-4, 1e-4}) {
            double[] exact = IrDrop.solveDense(g, x, rho);
            double[] approx = IrDrop.firstOrderCurrents(g, x, rho);
            double err = relDiff(approx, exact);
            // the resummed factor has the same first-order term and, here, a smaller remainder
            assertTrue(relDiff(IrDrop.resummedCurrents(g, x, rho), exact) < err);
            double drop = relDiff(exact, ideal);
            assertTrue(err < 0.05 * drop, "first order must capture the drop: error " + err + ", drop " + drop);
            if (!Double.isNaN(prev)) {
                assertEquals(4, prev / err, 0.3, "halving rho quarters the first-order error");
            }
            prev = err;
        }
    }

    @Test
    void tensorFactorsEqualTheHostFormula() {
        Random r = new Random(3);
        int rows = 9;
        int cols = 14;
        double[][] g = randomG(r, rows, cols);
        double[] x = randomX(r, rows);
        double rho = 3e-3;
        float[] flat = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                flat[i * cols + k] = (float) g[i][k];
                g[i][k] = flat[i * cols + k]; // the float values on both sides
            }
        }
        double[] host = IrDrop.resummedCurrents(g, x, rho);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ga = m.create(flat).reshape(rows, cols);
            float[] f = IrDrop.factors(ga, rho).toFloatArray();
            double[] tensor = new double[cols];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < cols; k++) {
                    tensor[k] += x[i] * g[i][k] * f[i * cols + k];
                }
            }
            assertEquals(0, relDiff(tensor, host), 1e-5);
            // zero wire resistance: factors exactly 1
            for (float v : IrDrop.factors(ga, 0).toFloatArray()) {
                assertEquals(1f, v);
            }
        }
    }
}
