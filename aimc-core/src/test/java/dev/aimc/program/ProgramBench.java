package dev.aimc.program;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.PcmModel;
import dev.aimc.util.Rng;
import java.util.Locale;

/** Ad-hoc measurement driver (not a test): java -cp ... dev.aimc.program.ProgramBench MODE args. */
public final class ProgramBench {
    private static RandomStream rng = RandomStream.of(0);
    public static void main(String[] a) {
        System.setProperty("ai.djl.offline", "true");
        String mode = a[0];
        try (NDManager m = NDManager.newBaseManager()) {
            switch (mode) {
                case "calib" -> calib(m, Double.parseDouble(a[1]), Double.parseDouble(a[2]), Double.parseDouble(a[3]));
                case "cmp" -> cmp(m, a);
                default -> throw new IllegalArgumentException(mode);
            }
        }
    }

    /** Verify final error std vs σ_prog over g_T for pulse params (σ_rel, σ_abs/gmax). */
    static void calib(NDManager m, double rel, double absRel, double readRange) {
        PcmModel pcm = PcmModel.defaults();
        PulseModel pm = new PulseModel(rel, absRel * 25, 2, 25);
        double[] gts = {0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
        int n = 20000;
        StringBuilder sb = new StringBuilder();
        double sse = 0;
        for (double gT : gts) {
            try (NDManager t = m.newSubManager()) {
                Rng.seed(7);
                rng = RandomStream.of(7);
                NDArray wn = t.full(new Shape(n / 100, 100), (float) gT);
                SimulatedCrossbar xb = new SimulatedCrossbar(t, n / 100, 100, pcm, pm, new Periphery(8, 1, 8, 12, readRange), rng);
                try (ProgramResult r = new ProgramVerify(5, 30, 0).run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                    double[] st = stdErr(r.state().gProg().get(0), (float) (gT * 25));
                    // one-shot reference (same clipping at 0)
                    NDArray tg = t.full(new Shape(n), (float) (gT * 25));
                    double ref = stdErr(pcm.program(tg, rng).gProg(), (float) (gT * 25))[0];
                    sse += Math.pow(st[0] / ref - 1, 2);
                    sb.append(String.format(Locale.ROOT, "gT=%.2f verify_std=%.3f oneshot_std=%.3f ratio=%.3f sigma_prog=%.3f pulses/dev=%.2f maxit=%d%n",
                            gT, st[0], ref, st[0] / ref, pcm.progNoiseStdMicroSiemens(gT), r.pulsesPerDeviceMean(), r.iterations()));
                }
                xb.close();
            }
        }
        System.out.print(sb);
        System.out.printf(Locale.ROOT, "rel=%.4f absRel=%.4f rms(ratio-1)=%.4f%n", rel, absRel, Math.sqrt(sse / gts.length));
    }

    /** std of (g - target) */
    static double[] stdErr(NDArray g, float target) {
        NDArray d = g.toType(DataType.FLOAT64, true).sub(target);
        double mean = d.mean().getDouble();
        double sd = Math.sqrt(d.sub(mean).square().mean().getDouble());
        return new double[] {Math.sqrt(d.square().mean().getDouble()), sd, mean};
    }

    /** cmp kind rows cols seed [iters lr batch minStep]. */
    static void cmp(NDManager m, String[] a) {
        String kind = a[1];
        int rows = Integer.parseInt(a[2]);
        int cols = Integer.parseInt(a[3]);
        long seed = Long.parseLong(a[4]);
        Gdp gdp = Gdp.defaults();
        if (a.length > 5) {
            gdp = new Gdp(Integer.parseInt(a[5]), Double.parseDouble(a[6]), Integer.parseInt(a[7]),
                    Double.parseDouble(a[8]) / 25, 512);
        }
        if (System.getenv("NOHIST") != null) {
            gdp = gdp.withHistoryInputs(0);
        }
        String only = System.getenv("ONLY");
        DeviceModel pcm = PcmModel.defaults();
        Periphery p = Periphery.defaults();
        Rng.seed(seed);
        rng = RandomStream.of(seed);
        NDArray w = kind.equals("uniform") ? m.randomUniform(-1f, 1f, new Shape(cols, rows))
                : m.randomNormal(new Shape(cols, rows));
        NDArray wn = Targets.normalize(w)[0];
        StringBuilder sb = new StringBuilder();
        for (String meth : new String[] {"oneshot", "openloop", "verify", "gdp"}) {
            if (only != null && !only.contains(meth)) {
                continue;
            }
            Rng.seed(Rng.derive(seed, 99));
            rng = RandomStream.of(Rng.derive(seed, 99));
            SimulatedCrossbar xb = new SimulatedCrossbar(m, rows, cols, pcm, PulseModel.calibrated(25), p, rng);
            ProgramResult r = switch (meth) {
                case "oneshot" -> Programming.oneShot(pcm, Targets.conductances(wn, 25), rng);
                case "openloop" -> Programming.openLoop(pcm, xb, Targets.conductances(wn, 25));
                case "verify" -> new ProgramVerify(5, 30, System.getenv("NOHIST") != null ? 0 : 512).run(pcm, xb, Targets.conductances(wn, xb.gMax()));
                default -> gdp.run(pcm, xb, Targets.conductances(wn, xb.gMax()));
            };
            Rng.seed(Rng.derive(seed, 7));
            rng = RandomStream.of(Rng.derive(seed, 7));
            double eps = Programming.mvmError(pcm, r.state(), wn, p, 0, 2048, rng).mvmError();
            sb.append(String.format(Locale.ROOT, "%s %dx%d s%d %-8s eps=%.4f pulses=%d perdev=%.2f max=%.0f it=%d sec=%.2f",
                    kind, rows, cols, seed, meth, eps, r.pulses(), r.pulsesPerDeviceMean(), r.pulsesPerDeviceMax(),
                    r.iterations(), r.seconds()));
            double[] h = r.history();
            if (h.length > 0) {
                sb.append(" hist:");
                for (int i = 0; i < h.length; i += Math.max(1, h.length / 10)) {
                    sb.append(String.format(Locale.ROOT, " %d:%.4f", i, h[i]));
                }
            }
            sb.append('\n');
            r.close();
            xb.close();
        }
        System.out.print(sb);
    }
}
