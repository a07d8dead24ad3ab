package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.Check;

/**
 * IR drop along the word and bit lines of one crossbar: the wires between neighbouring cells have a resistance r
 * per segment, so the voltage a device sees is lower than its row driver's and its bit line is not exactly at the
 * sense amplifier's virtual ground. All quantities are normalized: conductances G/g_max, the wire as the
 * dimensionless ρ = r·g_max ({@link TileConfig#wireResistance()}), voltages in units of the full-scale read voltage,
 * currents in g_max·V.
 *
 * <p>Circuit (our reconstruction of the usual nodal model, e.g. Joksas and Mehonic, "badcrossbar", SoftwareX 12,
 * 100617, 2020, and CrossSim's parasitic-resistance solver): R rows × P physical columns; row i is driven at its
 * left end by x_i through one segment, its word line runs past the P cells and ends open; column k's bit line runs
 * from row 0 down past row R − 1 to the sense amplifier at 0 V (one segment below the last row). A cell (i, k) of
 * conductance G_ik joins word-line node (i, k) to bit-line node (i, k). The output of column k is the current into
 * its amplifier, Σ_i G_ik·(V^w_ik − V^b_ik). A differential (or multi-device) weight occupies neighbouring physical
 * columns: device plane d of tile column j is physical column j·D + d.
 *
 * <p>Three solutions of the same circuit:
 * <ul>
 *   <li>{@link #solveDense}: the 2·R·P nodal equations solved by Gaussian elimination (for validation on small
 *       arrays);</li>
 *   <li>{@link #solveLines}: the same equations by block (line) Gauss-Seidel: every word line is solved exactly (a
 *       tridiagonal system, Thomas algorithm) for the current bit-line voltages, then every bit line for the new
 *       word-line voltages, until the largest change is below a tolerance — exact to that tolerance, fast enough for
 *       512 × 1024 arrays;</li>
 *   <li>{@link #firstOrder}: the linearization in ρ used by the inference tile. To first order every cell current is
 *       G_ik·x_i; the word-line node k of row i then sits ρ·x_i·S_ik below x_i with
 *       S_ik = Σ_m G_im·(min(m, k) + 1) (segment k' carries the currents of the cells m ≥ k'), and the bit-line node
 *       i of column k sits at ρ·Σ_l G_lk·x_l·(R − max(l, i)) (segment below row i' carries the cells l ≤ i').
 *       Summing the cell currents G_ik·(V^w − V^b) and exchanging the sums gives I_k = Σ_l x_l·G_lk·(1 − ρ·S_lk −
 *       ρ·T_lk) with T_lk = Σ_i G_ik·(R − max(l, i)): IR drop to first order is a fixed factor per cell, independent
 *       of the inputs, so it is applied once per read of the conductances. The tile uses it resummed,
 *       1/(1 + ρ·S + ρ·T), which agrees to first order and stays in (0, 1]. This is our derivation; aihwkit's
 *       {@code IOParameters.ir_drop} is a first-order model of the same kind along the inputs only (no bit-line
 *       drop). The error against the exact solution is second order in ρ·(R + P)²·G and is reported by
 *       {@code IrDropValidation} (docs/results/programming/periphery.md).</li>
 * </ul>
 */
public final class IrDrop {
    private IrDrop() {}

    /**
     * The inference tile's IR-drop factors 1/(1 + ρ·(S + T)) for cells in the physical layout [..., R, P] (rows,
     * physical columns of one crossbar on the last two axes), as a new array in {@code g}'s manager: the first-order
     * model resummed (equal to 1 − ρ·(S + T) to first order in ρ, never negative, and about 4× closer to the exact
     * solution than the plain first-order factor at small drops, 10–160× at drops of 50 % and more, in every row of
     * the validation table).
     *
     * @param g normalized conductances G/g_max, [..., R, P]
     * @param rho r·g_max, ≥ 0
     * @return the factors in (0, 1], same shape (exactly 1 where ρ = 0)
     */
    public static NDArray factors(NDArray g, double rho) {
        Check.nonNegative("rho", rho);
        int d = g.getShape().dimension();
        int rowAxis = d - 2;
        int colAxis = d - 1;
        NDManager outer = g.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            tmp.tempAttachAll(g);
            // S_ik = Σ_{k' ≤ k} Σ_{m ≥ k'} G_im: cumulative sum over k of the reverse cumulative sum over m
            NDArray rev = reverseCumSum(g, colAxis);
            NDArray s = rev.cumSum(colAxis);
            // T_lk = Σ_{i' ≥ l} Σ_{i ≤ i'} G_ik: reverse cumulative sum over l of the cumulative sum over i
            NDArray t = reverseCumSum(g.cumSum(rowAxis), rowAxis);
            NDArray f = s.add(t).muli((float) rho).addi(1f).pow(-1f); // 1/(1 + ρ(S + T))
            f.attach(outer);
            return f;
        }
    }

    /** Σ_{m ≥ k} a_m along {@code axis}: total − cumsum + a. */
    private static NDArray reverseCumSum(NDArray a, int axis) {
        NDArray total = a.sum(new int[] {axis}, true);
        return total.sub(a.cumSum(axis)).addi(a);
    }

    /**
     * The (resummed) first-order IR-drop model on device conductances [R_t, C_t, D, rows, deviceCols] (µS or normalized):
     * each tile's D planes interleaved as physical columns j·D + d, the factors of {@link #factors} for
     * G/g_max, multiplied onto {@code g}. A new array in {@code g}'s manager.
     *
     * @param g device conductances [R_t, C_t, D, rows, deviceCols], in the units of {@code gMax}
     * @param gMax g_max in the same units, &gt; 0
     * @param rho r·g_max, ≥ 0
     * @return the conductances the column currents see, same shape and units
     */
    public static NDArray firstOrder(NDArray g, double gMax, double rho) {
        NDManager outer = g.getManager();
        long[] s = g.getShape().getShape();
        try (NDManager tmp = outer.newSubManager()) {
            tmp.tempAttachAll(g);
            // [R, C, D, rows, cols] -> [R, C, rows, cols, D] -> [R, C, rows, cols·D]
            NDArray phys = g.transpose(0, 1, 3, 4, 2).reshape(s[0], s[1], s[3], s[4] * s[2]).div((float) gMax);
            NDArray f = factors(phys, rho).reshape(s[0], s[1], s[3], s[4], s[2]).transpose(0, 1, 4, 2, 3);
            NDArray out = g.mul(f);
            out.attach(outer);
            return out;
        }
    }

    /**
     * First-order column currents of one crossbar for one input vector (for validation):
     * I_k = Σ_i x_i·G_ik·(1 − ρ·S_ik − ρ·T_ik).
     *
     * @param g normalized conductances [R][P]
     * @param x row voltages [R], normalized
     * @param rho r·g_max, ≥ 0
     * @return column currents [P] in g_max·V
     */
    public static double[] firstOrderCurrents(double[][] g, double[] x, double rho) {
        return currents(g, x, rho, false);
    }

    /**
     * {@link #firstOrderCurrents} with the factor 1/(1 + ρ·S + ρ·T) instead of 1 − ρ·S − ρ·T (the same to first
     * order in ρ; never negative): the host-side twin of {@link #factors}, the inference tile's model.
     *
     * @param g normalized conductances [R][P]
     * @param x row voltages [R], normalized
     * @param rho r·g_max, ≥ 0
     * @return column currents [P] in g_max·V
     */
    public static double[] resummedCurrents(double[][] g, double[] x, double rho) {
        return currents(g, x, rho, true);
    }

    private static double[] currents(double[][] g, double[] x, double rho, boolean resummed) {
        double[][] st = sumsST(g);
        double[] out = new double[g[0].length];
        for (int i = 0; i < g.length; i++) {
            for (int k = 0; k < out.length; k++) {
                double f = resummed ? 1 / (1 + rho * st[i][k]) : 1 - rho * st[i][k];
                out[k] += x[i] * g[i][k] * f;
            }
        }
        return out;
    }

    /** S + T of {@link #factors} for conductances [R][P] (host side). */
    private static double[][] sumsST(double[][] g) {
        int r = g.length;
        int p = g[0].length;
        double[][] f = new double[r][p];
        for (int i = 0; i < r; i++) { // S
            double[] rev = new double[p];
            double acc = 0;
            for (int k = p - 1; k >= 0; k--) {
                acc += g[i][k];
                rev[k] = acc;
            }
            double s = 0;
            for (int k = 0; k < p; k++) {
                s += rev[k];
                f[i][k] = s;
            }
        }
        for (int k = 0; k < p; k++) { // T
            double[] cum = new double[r];
            double acc = 0;
            for (int i = 0; i < r; i++) {
                acc += g[i][k];
                cum[i] = acc;
            }
            double t = 0;
            for (int i = r - 1; i >= 0; i--) {
                t += cum[i];
                f[i][k] += t;
            }
        }
        return f;
    }

    /**
     * Ideal column currents Σ_i x_i·G_ik (ρ = 0).
     *
     * @param g normalized conductances [R][P]
     * @param x row voltages [R]
     * @return column currents [P] in g_max·V
     */
    public static double[] idealCurrents(double[][] g, double[] x) {
        double[] out = new double[g[0].length];
        for (int i = 0; i < g.length; i++) {
            for (int k = 0; k < out.length; k++) {
                out[k] += x[i] * g[i][k];
            }
        }
        return out;
    }

    /**
     * Exact nodal solution by dense Gaussian elimination with partial pivoting over the 2·R·P node voltages
     * (O((R·P)³): small arrays only, R·P ≤ 4096).
     *
     * @param g normalized conductances [R][P], ≥ 0
     * @param x row-driver voltages [R], normalized
     * @param rho r·g_max, &gt; 0
     * @return column currents [P] into the sense amplifiers, g_max·V
     */
    public static double[] solveDense(double[][] g, double[] x, double rho) {
        Check.positive("rho", rho);
        int r = g.length;
        int p = g[0].length;
        Check.that((long) r * p <= 4096, "array", "is too large for the dense solve (R·P <= 4096)", r * p);
        int n = 2 * r * p;
        double gw = 1 / rho;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < p; k++) {
                int w = i * p + k;
                int b = r * p + w;
                double gc = g[i][k];
                // word-line node: gw·(left − V) + gw·(right − V) + G·(Vb − V) = 0
                a[w][w] = gw + gc + (k < p - 1 ? gw : 0);
                if (k > 0) {
                    a[w][w - 1] = -gw;
                } else {
                    a[w][n] = gw * x[i];
                }
                if (k < p - 1) {
                    a[w][w + 1] = -gw;
                }
                a[w][b] = -gc;
                // bit-line node: gw·(up − V) + gw·(down − V) + G·(Vw − V) = 0, down = 0 V below the last row
                a[b][b] = gw + gc + (i > 0 ? gw : 0);
                if (i > 0) {
                    a[b][b - p] = -gw;
                }
                if (i < r - 1) {
                    a[b][b + p] = -gw;
                }
                a[b][w] = -gc;
            }
        }
        double[] v = gauss(a, n);
        double[] out = new double[p];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < p; k++) {
                out[k] += g[i][k] * (v[i * p + k] - v[r * p + i * p + k]);
            }
        }
        return out;
    }

    private static double[] gauss(double[][] a, int n) {
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) {
                    piv = i;
                }
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int i = c + 1; i < n; i++) {
                double f = a[i][c] / a[c][c];
                if (f != 0) {
                    for (int j = c; j <= n; j++) {
                        a[i][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[] v = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int j = i + 1; j < n; j++) {
                s -= a[i][j] * v[j];
            }
            v[i] = s / a[i][i];
        }
        return v;
    }

    /**
     * The result of {@link #solveLines}.
     *
     * @param currents column currents [P] into the sense amplifiers, g_max·V
     * @param sweeps word-line plus bit-line sweeps run
     * @param lastChange the largest voltage change of the last sweep, normalized
     */
    public record Solution(double[] currents, int sweeps, double lastChange) {}

    /**
     * Exact nodal solution by block (line) Gauss-Seidel: alternately every word line (tridiagonal, exact for the
     * current bit-line voltages) and every bit line; stops when the largest node-voltage change of a sweep is below
     * {@code tol}·max|x|.
     *
     * @param g normalized conductances [R][P], ≥ 0
     * @param x row-driver voltages [R]
     * @param rho r·g_max, &gt; 0
     * @param tol relative voltage tolerance, &gt; 0 (e.g. 1e-12)
     * @param maxSweeps most sweeps, ≥ 1
     * @return the currents, the sweeps run and the last change
     * @throws IllegalStateException when it has not converged after {@code maxSweeps}
     */
    public static Solution solveLines(double[][] g, double[] x, double rho, double tol, int maxSweeps) {
        Check.positive("rho", rho);
        int r = g.length;
        int p = g[0].length;
        double gw = 1 / rho;
        double xmax = 0;
        for (double v : x) {
            xmax = Math.max(xmax, Math.abs(v));
        }
        double[][] vw = new double[r][p];
        double[][] vb = new double[r][p];
        for (int i = 0; i < r; i++) {
            java.util.Arrays.fill(vw[i], x[i]);
        }
        double[] lo = new double[Math.max(r, p)];
        double[] di = new double[Math.max(r, p)];
        double[] up = new double[Math.max(r, p)];
        double[] rhs = new double[Math.max(r, p)];
        double[] sol = new double[Math.max(r, p)];
        double change = Double.POSITIVE_INFINITY;
        int sweep = 0;
        while (sweep < maxSweeps && !(change <= tol * Math.max(xmax, Double.MIN_NORMAL))) {
            sweep++;
            change = 0;
            for (int i = 0; i < r; i++) { // word lines
                for (int k = 0; k < p; k++) {
                    double gc = g[i][k];
                    lo[k] = k > 0 ? -gw : 0;
                    up[k] = k < p - 1 ? -gw : 0;
                    di[k] = gw + gc + (k < p - 1 ? gw : 0);
                    rhs[k] = gc * vb[i][k] + (k == 0 ? gw * x[i] : 0);
                }
                thomas(lo, di, up, rhs, sol, p);
                for (int k = 0; k < p; k++) {
                    change = Math.max(change, Math.abs(sol[k] - vw[i][k]));
                    vw[i][k] = sol[k];
                }
            }
            for (int k = 0; k < p; k++) { // bit lines
                for (int i = 0; i < r; i++) {
                    double gc = g[i][k];
                    lo[i] = i > 0 ? -gw : 0;
                    up[i] = i < r - 1 ? -gw : 0;
                    di[i] = gw + gc + (i > 0 ? gw : 0);
                    rhs[i] = gc * vw[i][k];
                }
                thomas(lo, di, up, rhs, sol, r);
                for (int i = 0; i < r; i++) {
                    change = Math.max(change, Math.abs(sol[i] - vb[i][k]));
                    vb[i][k] = sol[i];
                }
            }
        }
        if (!(change <= tol * Math.max(xmax, Double.MIN_NORMAL))) {
            throw new IllegalStateException("IR-drop line relaxation did not converge in " + maxSweeps
                    + " sweeps (last change " + change + ")");
        }
        double[] out = new double[p];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < p; k++) {
                out[k] += g[i][k] * (vw[i][k] - vb[i][k]);
            }
        }
        return new Solution(out, sweep, change);
    }

    /** Solves the tridiagonal system (lo, di, up) · v = rhs of size n into {@code out} (Thomas algorithm). */
    private static void thomas(double[] lo, double[] di, double[] up, double[] rhs, double[] out, int n) {
        double[] c = new double[n];
        double[] d = new double[n];
        c[0] = up[0] / di[0];
        d[0] = rhs[0] / di[0];
        for (int i = 1; i < n; i++) {
            double m = di[i] - lo[i] * c[i - 1];
            c[i] = up[i] / m;
            d[i] = (rhs[i] - lo[i] * d[i - 1]) / m;
        }
        out[n - 1] = d[n - 1];
        for (int i = n - 2; i >= 0; i--) {
            out[i] = d[i] - c[i] * out[i + 1];
        }
    }
}
