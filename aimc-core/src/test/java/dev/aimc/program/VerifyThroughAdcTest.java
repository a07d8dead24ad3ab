package dev.aimc.program;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.PcmModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.RandomStream;
import org.junit.jupiter.api.Test;

/**
 * Program-and-verify whose cell reads pass the column ADC converges to target/gain per column: it cannot tell the
 * ADC's gain error from the device's conductance. With an ideal cell-read converter it does not see the gain at all.
 */
class VerifyThroughAdcTest {

    /** Correlation over columns between mean(G_prog/G_target) and 1/gain. */
    private static double correlation(boolean throughAdc) {
        int n = 48;
        TileConfig cfg = TileConfig.builder().tileSize(n, n).adcMismatch(0.15, 0).build();
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = RandomStream.of(3).uniform(m, -1f, 1f, new Shape(n, n));
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(pcm, Programmers.tiled(new ProgramVerify(1, 30, 0), throughAdc), RandomStream.of(5));
                float[] gp = a.state().gProg().toFloatArray(); // [1, 1, 2, n, n]
                float[] gt = a.targetConductances(pcm).toFloatArray();
                float[] gain = a.adcMismatch()[0].toFloatArray();
                double[] ratio = new double[n];
                for (int j = 0; j < n; j++) {
                    double num = 0;
                    double den = 0;
                    for (int d = 0; d < 2; d++) {
                        for (int i = 0; i < n; i++) {
                            int k = (d * n + i) * n + j;
                            num += gp[k] * gt[k];
                            den += gt[k] * gt[k];
                        }
                    }
                    ratio[j] = num / den; // least-squares slope of G_prog against G_target
                }
                double[] inv = new double[n];
                for (int j = 0; j < n; j++) {
                    inv[j] = 1 / gain[j];
                }
                return corr(ratio, inv);
            }
        }
    }

    private static double corr(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void verifyThroughTheColumnAdcAbsorbsItsGain() {
        double through = correlation(true);
        double ideal = correlation(false);
        assertTrue(through > 0.9, "through the ADC: corr " + through);
        assertTrue(Math.abs(ideal) < 0.4, "ideal cell reads: corr " + ideal);
    }
}
