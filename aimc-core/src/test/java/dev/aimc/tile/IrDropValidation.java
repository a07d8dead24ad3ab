package dev.aimc.tile;

import java.util.Locale;
import java.util.Random;

/**
 * The IR-drop validation table of docs/results/programming/periphery.md (a driver, not a unit test): for crossbars of
 * R rows × C differential columns (P = 2·C physical columns, weights uniform in [−1, 1], G+ = max(w, 0), G− =
 * max(−w, 0) in units of g_max) and inputs uniform in [−1, 1], the size of the IR drop, ‖y_exact − y_ideal‖ /
 * ‖y_ideal‖, and the first-order model's error, ‖y_first − y_exact‖ / ‖y_ideal‖, over K input vectors, y = I+ − I−.
 * The exact currents come from the line relaxation ({@link IrDrop#solveLines}); on the small arrays they are also
 * checked against the dense solve ({@link IrDrop#solveDense}).
 *
 * <p>Usage: {@code java -cp ... dev.aimc.tile.IrDropValidation [K] [sizes, e.g. 8,16,64,128,256,512]
 * [rhos, e.g. 1e-7,1e-6,8.75e-6]}.
 */
public final class IrDropValidation {
    private IrDropValidation() {}

    /**
     * Prints the table.
     *
     * @param args K, the sizes (R = C), the values of r·g_max
     */
    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        String[] sizes = (args.length > 1 ? args[1] : "8,16,64,128,256,512").split(",");
        String[] rhos = (args.length > 2 ? args[2] : "1e-7,1e-6,8.75e-6").split(",");
        System.out.println("| R × C (physical columns) | r·g_max | IR drop ‖y_exact − y_ideal‖/‖y_ideal‖ "
                + "| first-order error ‖y_1st − y_exact‖/‖y_ideal‖ | resummed 1/(1 + ρ(S+T)) error | dense vs line relaxation | sweeps (max) "
                + "| s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String sz : sizes) {
            int n = Integer.parseInt(sz.strip());
            for (String rs : rhos) {
                double rho = Double.parseDouble(rs.strip());
                long t0 = System.nanoTime();
                Random r = new Random(Long.hashCode(n * 31L + Double.doubleToLongBits(rho)));
                double[][] g = new double[n][2 * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double w = 2 * r.nextDouble() - 1;
                        g[i][2 * j] = Math.max(w, 0);
                        g[i][2 * j + 1] = Math.max(-w, 0);
                    }
                }
                double drop = 0;
                double err = 0;
                double errRes = 0;
                double ideal = 0;
                double denseDiff = 0;
                boolean dense = (long) n * 2 * n <= 512;
                int sweeps = 0;
                for (int v = 0; v < k; v++) {
                    double[] x = new double[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = 2 * r.nextDouble() - 1;
                    }
                    IrDrop.Solution s = IrDrop.solveLines(g, x, rho, 1e-11, 200_000);
                    sweeps = Math.max(sweeps, s.sweeps());
                    double[] ex = diff(s.currents());
                    double[] id = diff(IrDrop.idealCurrents(g, x));
                    double[] fo = diff(IrDrop.firstOrderCurrents(g, x, rho));
                    double[] rsum = diff(IrDrop.resummedCurrents(g, x, rho));
                    for (int j = 0; j < n; j++) {
                        drop += sq(ex[j] - id[j]);
                        err += sq(fo[j] - ex[j]);
                        errRes += sq(rsum[j] - ex[j]);
                        ideal += sq(id[j]);
                    }
                    if (dense) {
                        double[] de = diff(IrDrop.solveDense(g, x, rho));
                        double num = 0;
                        double den = 0;
                        for (int j = 0; j < n; j++) {
                            num += sq(de[j] - ex[j]);
                            den += sq(de[j]);
                        }
                        denseDiff = Math.max(denseDiff, Math.sqrt(num / den));
                    }
                }
                System.out.printf(Locale.ROOT, "| %d × %d (%d) | %.3g | %.3e | %.3e | %.3e | %s | %d | %.1f |%n", n, n, 2 * n,
                        rho, Math.sqrt(drop / ideal), Math.sqrt(err / ideal), Math.sqrt(errRes / ideal),
                        dense ? String.format(Locale.ROOT, "%.1e", denseDiff) : "–", sweeps,
                        (System.nanoTime() - t0) / 1e9);
                System.out.flush();
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Differential outputs I+ − I− from physical column currents (pairs 2j, 2j + 1). */
    private static double[] diff(double[] phys) {
        double[] y = new double[phys.length / 2];
        for (int j = 0; j < y.length; j++) {
            y[j] = phys[2 * j] - phys[2 * j + 1];
        }
        return y;
    }
}
