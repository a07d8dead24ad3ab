package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.PcmModel;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-column ADC gain/offset mismatch and IR drop on the inference tile. */
class PeripheryErrorsTest {

    @Test
    void offByDefaultAndValidated() {
        TileConfig d = TileConfig.defaults();
        assertFalse(d.adcMismatch());
        assertEquals(0, d.wireResistance());
        assertFalse(d.toMap().containsKey("wireResistance"));
        assertFalse(d.toMap().containsKey("adcGainStd"));
        TileConfig on = d.toBuilder().wireResistance(1e-6).adcMismatch(0.02, 0.5).build();
        assertTrue(on.adcMismatch());
        assertEquals(on, on.toBuilder().build());
        assertFalse(on.equals(d));
        ConfigException e = assertThrows(ConfigException.class,
                () -> TileConfig.builder().adcMismatch(-0.1, 0).build());
        assertTrue(e.getMessage().startsWith("adc-gain-std"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TileConfig.builder().wireResistance(-1).build());
        assertTrue(e.getMessage().startsWith("ir-drop"), e.getMessage());
    }

    @Test
    void columnGainsAndOffsetsHaveTheConfiguredStatisticsAndBelongToTheChip() {
        double sg = 0.05;
        double so = 2;
        TileConfig cfg = TileConfig.builder().tileSize(8, 512).adcMismatch(sg, so).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomUniform(-1f, 1f, new Shape(4096, 8));
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg);
                    AnalogMatrix plain = new AnalogMatrix(w, null, TileConfig.builder().tileSize(8, 512).build())) {
                RandomStream chip = RandomStream.of(4);
                a.program(PcmModel.defaults(), chip);
                plain.program(PcmModel.defaults(), RandomStream.of(4));
                float[] g = a.adcMismatch()[0].toFloatArray();
                float[] o = a.adcMismatch()[1].toFloatArray();
                assertEquals(4096, g.length);
                double[] mg = meanStd(g);
                double[] mo = meanStd(o);
                double n = g.length;
                assertEquals(1, mg[0], 4 * sg / Math.sqrt(n));
                assertEquals(sg, mg[1], 4 * sg / Math.sqrt(2 * n));
                double so1 = so * cfg.outputStep();
                assertEquals(0, mo[0], 4 * so1 / Math.sqrt(n));
                assertEquals(so1, mo[1], 4 * so1 / Math.sqrt(2 * n));
                // the same chip keeps its periphery; the other streams' draws are those of a chip without it
                assertArrayEquals(g, a.adcMismatch()[0].toFloatArray());
                assertArrayEquals(a.state().gProg().toFloatArray(), plain.state().gProg().toFloatArray());
                assertNull(plain.adcMismatch());
                a.program(PcmModel.defaults(), chip); // the next chip instance of the same stream
                assertFalse(java.util.Arrays.equals(g, a.adcMismatch()[0].toFloatArray()));
            }
        }
    }

    @Test
    void forwardMultipliesEachColumnByItsGainAndAddsItsOffset() {
        // fine converters (24 bits) and an exact device: the forward is α·s·(gain·y + offset)
        TileConfig base = TileConfig.builder().tileSize(16, 32).inputBits(24).outputBits(24).outputRange(64)
                .weightScaling(TileConfig.WeightScaling.PER_TILE).build();
        TileConfig mis = base.toBuilder().adcMismatch(0.1, 1000).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomUniform(-1f, 1f, new Shape(32, 16));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(5, 16));
            try (AnalogMatrix a = new AnalogMatrix(w, null, base); AnalogMatrix b = new AnalogMatrix(w, null, mis)) {
                a.program(TestDevices.ideal(), RandomStream.of(1));
                b.program(TestDevices.ideal(), RandomStream.of(1));
                a.driftTo(0);
                b.driftTo(0);
                float[] ya = a.forward(x).toFloatArray();
                float[] yb = b.forward(x).toFloatArray();
                float[] gain = b.adcMismatch()[0].toFloatArray();
                float[] off = b.adcMismatch()[1].toFloatArray();
                float[] xs = x.toFloatArray();
                double s = w.abs().max().getFloat();
                for (int r = 0; r < 5; r++) {
                    double alpha = 0;
                    for (int i = 0; i < 16; i++) {
                        alpha = Math.max(alpha, Math.abs(xs[r * 16 + i]));
                    }
                    for (int j = 0; j < 32; j++) {
                        double want = gain[j] * ya[r * 32 + j] + off[j] * alpha * s;
                        assertEquals(want, yb[r * 32 + j], 1e-4 * (1 + Math.abs(want)), "row " + r + " col " + j);
                    }
                }
            }
        }
    }

    @Test
    void irDropInTheForwardIsTheFirstOrderModelOnInterleavedDifferentialColumns() {
        int rows = 12;
        int cols = 6;
        double rho = 2e-3;
        TileConfig cfg = TileConfig.builder().tileSize(rows, cols).inputBits(24).outputBits(24).outputRange(64)
                .weightScaling(TileConfig.WeightScaling.PER_TILE).wireResistance(rho).build();
        Random r = new Random(7);
        float[] wf = new float[cols * rows];
        for (int i = 0; i < wf.length; i++) {
            wf[i] = (float) (2 * r.nextDouble() - 1);
        }
        float[] xf = new float[rows];
        for (int i = 0; i < rows; i++) {
            xf[i] = (float) (2 * r.nextDouble() - 1);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(wf).reshape(cols, rows);
            NDArray x = m.create(xf).reshape(1, rows);
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(TestDevices.ideal(), RandomStream.of(1));
                a.driftTo(0);
                float[] y = a.forward(x).toFloatArray();
                double s = 0;
                double alpha = 0;
                for (float v : wf) {
                    s = Math.max(s, Math.abs(v));
                }
                for (float v : xf) {
                    alpha = Math.max(alpha, Math.abs(v));
                }
                double[][] g = new double[rows][2 * cols]; // physical column 2j: G+, 2j + 1: G−
                double[] u = new double[rows];
                for (int i = 0; i < rows; i++) {
                    u[i] = xf[i] / alpha;
                    for (int j = 0; j < cols; j++) {
                        double wn = wf[j * rows + i] / s;
                        g[i][2 * j] = Math.max(wn, 0);
                        g[i][2 * j + 1] = Math.max(-wn, 0);
                    }
                }
                double[] cur = IrDrop.resummedCurrents(g, u, rho);
                double[] ideal = IrDrop.idealCurrents(g, u);
                double dropped = 0;
                for (int j = 0; j < cols; j++) {
                    double want = alpha * s * (cur[2 * j] - cur[2 * j + 1]);
                    assertEquals(want, y[j], 2e-5, "column " + j);
                    dropped = Math.max(dropped, Math.abs(want - alpha * s * (ideal[2 * j] - ideal[2 * j + 1])));
                }
                assertTrue(dropped > 1e-3, "the drop must be visible at this wire resistance: " + dropped);
            }
        }
    }

    private static double[] meanStd(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        double mean = s / v.length;
        double q = 0;
        for (float f : v) {
            q += (f - mean) * (f - mean);
        }
        return new double[] {mean, Math.sqrt(q / (v.length - 1))};
    }
}
