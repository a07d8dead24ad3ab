package dev.aimc.compensation;

import dev.aimc.util.Times;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GDC and conductance-ratio readout under pure drift with a single ν; MVM error / MAC accuracy formulas. */
class CompensationTest {

    /** g_max 25 µS, exact programming and reads, drift g·((t + t0)/t0)^(−ν) with one ν for every device. */
    record UniformDrift(double nu) implements DeviceModel {
        static final double T0 = 20;

        @Override
        public String name() {
            return "uniform-drift";
        }

        @Override
        public double gMaxMicroSiemens() {
            return 25;
        }

        @Override
        public ProgrammedState program(NDArray g, RandomStream rng) {
            return new ProgrammedState(g.duplicate(), g.zerosLike().add((float) nu));
        }

        @Override
        public NDArray drift(ProgrammedState s, double t) {
            return s.gProg().mul((float) Math.pow((t + T0) / T0, -nu));
        }

        @Override
        public NDArray read(ProgrammedState s, NDArray gDrift, double t, RandomStream rng) {
            return gDrift.duplicate();
        }
    }

    /** 24-bit converters, no input scaling, wide ranges: the tile computes the exact product up to float error. */
    static TileConfig exact(int rows, int cols) {
        return TileConfig.builder().tileSize(rows, cols).inputBits(24).outputBits(24)
                .inputScaling(TileConfig.InputScaling.NONE).inputRange(16).outputRange(16).build();
    }

    static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "index " + i);
        }
    }

    private static float[] forward(AnalogMatrix a, NDArray x) {
        return AnalogNetwork.inference(() -> a.forward(x)).toFloatArray();
    }

    @Test
    void gdcRestoresOutputAfterPureDrift() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(1);
            NDArray w = m.randomNormal(new Shape(7, 10)); // 3 row-tiles × 3 column-tiles with 4×3 tiles
            NDArray x = m.randomUniform(-1f, 1f, new Shape(5, 10));
            for (GlobalDriftCompensation gdc : List.of(GlobalDriftCompensation.perTile(),
                    GlobalDriftCompensation.perColumn(),
                    new GlobalDriftCompensation(GlobalDriftCompensation.Input.ONES,
                            GlobalDriftCompensation.Granularity.TILE, 0))) {
                try (AnalogMatrix a = new AnalogMatrix(w, null, exact(4, 3))) {
                    a.program(new UniformDrift(0.06));
                    a.driftTo(0);
                    float[] y0 = forward(a, x);
                    a.driftTo(86400 * 365.0);
                    float[] yDrift = forward(a, x);
                    float factor = (float) Math.pow((86400 * 365.0 + 20) / 20, -0.06);
                    assertEquals(y0[0] * factor, yDrift[0], 1e-4 * Math.max(1, Math.abs(y0[0])));
                    try (Undo u = gdc.apply(a)) {
                        // exact up to the 24-bit ADC step (1.9e-6 over ±16): the calibration reads go through the
                        // ADC too, so the factor carries ~1e-5 relative quantization error at |y| ≈ 0.2
                        assertClose(y0, forward(a, x), 5e-5);
                    }
                    assertClose(yDrift, forward(a, x), 1e-5); // undone
                }
            }
        }
    }

    @Test
    void ratioReadoutCancelsUniformDriftExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(2);
            NDArray w = m.randomNormal(new Shape(6, 9));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 9));
            try (AnalogMatrix a = new AnalogMatrix(w, null, exact(4, 4))) {
                a.program(new UniformDrift(0.08));
                a.driftTo(0);
                float[] y0 = forward(a, x);
                RatioReadout ratio = new RatioReadout(3, 0.7);
                for (double t : new double[] {1, 3600, 86400, 3.15e7}) {
                    a.driftTo(t);
                    try (Undo u = ratio.apply(a)) {
                        assertClose(y0, forward(a, x), 1e-5);
                    }
                }
                assertEquals(0, a.preAdcSteps().size());
            }
        }
    }

    /**
     * On a few-level device the reference target g_max/2 is programmed to the nearest level (2/3·g_max of four):
     * the readout multiplies by that level, not by the target, so without spread, drift or read noise it changes
     * nothing (with the target it scaled every output by 0.75).
     */
    @Test
    void ratioReadoutOnFewLevelCellsUsesTheLevelTheReferenceIsProgrammedTo() {
        dev.aimc.device.GstSt90Model gst = new dev.aimc.device.GstSt90Model(25, 4, 0, 0, 0);
        assertEquals(25.0 * 2 / 3, gst.nominalMicroSiemens(12.5), 1e-12);
        assertEquals(25.0, gst.nominalMicroSiemens(30), 1e-12); // clipped to the top level
        assertEquals(0.0, gst.nominalMicroSiemens(-1), 0.0);
        assertEquals(12.5, dev.aimc.device.IdealModel.defaults().nominalMicroSiemens(12.5), 0.0);
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(5);
            NDArray w = m.randomNormal(new Shape(5, 8));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(3, 8));
            try (AnalogMatrix a = new AnalogMatrix(w, null, exact(4, 4))) {
                a.program(gst);
                a.driftTo(3600);
                float[] plain = forward(a, x);
                try (Undo u = new RatioReadout(4, 0.5).apply(a)) {
                    assertClose(plain, forward(a, x), 1e-5);
                }
            }
        }
    }

    @Test
    void ratioFormedBeforeTheAdc() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(4);
            NDArray w = m.randomNormal(new Shape(3, 4));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(2, 4));
            try (AnalogMatrix a = new AnalogMatrix(w, null, exact(4, 4))) {
                a.program(new UniformDrift(0.1));
                a.driftTo(3.15e7);
                try (Undo u = new RatioReadout(1, 0.5).apply(a)) {
                    assertEquals(1, a.preAdcSteps().size());
                    assertEquals(0, a.postAdcSteps().size());
                }
            }
        }
    }

    @Test
    void mvmErrorAndMacAccuracyOnAHandCase() {
        dev.aimc.metric.MvmError.Result mt = dev.aimc.metric.MvmError.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 5});
        assertEquals(1 / Math.sqrt(39), mt.mvmError(), 1e-12);
        assertEquals(1 - 0.5 / 4, mt.macAccuracy(), 1e-12); // RMS = sqrt(1/4), range 5 − 1
        dev.aimc.metric.MvmError.Result perfect = dev.aimc.metric.MvmError.of(new double[] {-1, 2}, new double[] {-1, 2});
        assertEquals(0, perfect.mvmError(), 0);
        assertEquals(1, perfect.macAccuracy(), 0);
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.metric.MvmError.Result nd = dev.aimc.metric.MvmError.of(m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)),
                    m.create(new float[] {1, 2, 3, 5}, new Shape(2, 2)));
            assertEquals(mt.mvmError(), nd.mvmError(), 1e-9);
            assertEquals(mt.macAccuracy(), nd.macAccuracy(), 1e-9);
        }
    }

    @Test
    void sweepOnIdealDeviceIsNearExactAndGdcRecoversDrift() {
        // inputs are drawn in the DAC range (MvmError's convention): ±1 here, so 16 inputs stay below the ADC bound
        TileConfig cfg = exact(16, 16).toBuilder().inputRange(1).build();
        List<MvmErrorSweep.Row> rows = MvmErrorSweep.sweep(new UniformDrift(0.05), cfg, 16, 8,
                List.of(0.0, 86400.0), MvmErrorSweep.parseTileSchemes(List.of("none", "gdc", "ratio"), 4, 0.5), 64, 2, 7);
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).mvmError() < 1e-4, rows.get(0).toString()); // none, t = 0
        assertTrue(rows.get(1).mvmError() > 0.1, rows.get(1).toString()); // none, 1 day: drift
        assertTrue(rows.get(3).mvmError() < 1e-4, rows.get(3).toString()); // gdc, 1 day
        assertTrue(rows.get(5).mvmError() < 1e-4, rows.get(5).toString()); // ratio, 1 day
        assertTrue(rows.get(5).macAccuracy() > 0.9999);
    }

    @Test
    void everyCalibrationModeGivesTheExactDriftFactorWithoutNoise() {
        // no device noise, no output noise, 24-bit converters: s0/st must be ((t + t0)/t0)^ν for every mode
        double t = 86400 * 30.0;
        double expected = Math.pow((t + UniformDrift.T0) / UniformDrift.T0, 0.07);
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(11);
            NDArray w = m.randomNormal(new Shape(7, 10)); // 3 × 3 tiles of 4 × 3, padded edge tiles
            for (GlobalDriftCompensation.Calibration c : GlobalDriftCompensation.Calibration.values()) {
                for (GlobalDriftCompensation.Input in : GlobalDriftCompensation.Input.values()) {
                    for (GlobalDriftCompensation.Granularity gr : GlobalDriftCompensation.Granularity.values()) {
                        GlobalDriftCompensation gdc = new GlobalDriftCompensation(c, in, gr, 0);
                        try (AnalogMatrix a = new AnalogMatrix(w, null, exact(4, 3).toBuilder().inputRange(1)
                                .outputRange(4).build())) {
                            a.program(new UniformDrift(0.07));
                            a.driftTo(t);
                            float[] s = gdc.scales(a);
                            assertEquals(gr == GlobalDriftCompensation.Granularity.TILE ? 9 : 27, s.length);
                            // the periphery mode reads through the ADC (step 4/2^23 = 4.8e-7): ≤ 2e-5 relative
                            double tol = c == GlobalDriftCompensation.Calibration.PERIPHERY ? 2e-5 : 1e-6;
                            for (int i = 0; i < s.length; i++) {
                                if (gr == GlobalDriftCompensation.Granularity.COLUMN && i % 3 >= 1 && i / 3 % 3 == 2) {
                                    assertEquals(1f, s[i], 0f, "padded column keeps factor 1");
                                    continue;
                                }
                                assertEquals(expected, s[i], tol * expected, c + " " + in + " " + gr + " index " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void peripheryReferenceHasNoReadNoiseButTheReadAtTDoes() {
        // 8-bit DAC/ADC, no output noise; per-batch read noise, so every calibration read draws (with the default one
        // read per chip and time, the calibration reads that read)
        TileConfig cfg = TileConfig.builder().tileSize(64, 64).readNoise(TileConfig.ReadNoise.PER_BATCH).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(12);
            NDArray w = m.randomNormal(new Shape(48, 64));
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(dev.aimc.device.PcmModel.defaults());
                a.driftTo(3600);
                Rng.seed(1);
                float[] ref1 = GlobalDriftCompensation.perTile().reference(a);
                Rng.seed(2);
                float[] ref2 = GlobalDriftCompensation.perTile().reference(a);
                org.junit.jupiter.api.Assertions.assertArrayEquals(ref1, ref2, 0f);
                GlobalDriftCompensation g = GlobalDriftCompensation.perTile();
                a.startPass(1);
                float[] now1 = g.current(a);
                a.startPass(2);
                float[] now2 = g.current(a);
                assertTrue(now1[0] != now2[0], "reads at t carry read noise: " + now1[0] + " " + now2[0]);
                a.startPass(1);
                assertArrayEquals(now1, g.current(a), 0f, "a pass's calibration reads depend on (chip, t, pass)");
                // the ideal-analog mode's reference is one noisy read per chip: the same chip gives the same read, the
                // next chip another
                float[] ia1 = GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)
                        .reference(a);
                float[] ia2 = GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)
                        .reference(a);
                assertArrayEquals(ia1, ia2, 0f);
                a.program(dev.aimc.device.PcmModel.defaults(), dev.aimc.util.RandomStream.of(99)); // another chip
                float[] ia3 = GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)
                        .reference(a);
                assertTrue(ia1[0] != ia3[0]);
            }
        }
    }

    @Test
    void gdcRestoresTheMeanOutputOfADriftedPcmTile() {
        TileConfig cfg = TileConfig.builder().tileSize(256, 256).build(); // 8-bit DAC/ADC over ±1 / ±12
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(13);
            NDArray w = m.randomNormal(new Shape(256, 256));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(512, 256));
            try (AnalogMatrix a = new AnalogMatrix(w, null, cfg)) {
                a.program(dev.aimc.device.PcmModel.defaults());
                a.driftTo(0);
                double y0 = meanAbs(forward(a, x));
                a.driftTo(86400);
                double yt = meanAbs(forward(a, x));
                assertEquals(0.67, yt / y0, 0.05); // one day of PCM drift: a third of the output lost
                // measured (seed 13): periphery 1.016, ideal analog 1.008, drift oracle 1.008 — the residual is the
                // spread of ν (a per-tile factor cannot undo per-device drift) plus, for the periphery, the 8-bit
                // quantization of the one-hot calibration reads
                for (GlobalDriftCompensation.Calibration c : GlobalDriftCompensation.Calibration.values()) {
                    try (Undo u = GlobalDriftCompensation.perTile(c).apply(a)) {
                        double yc = meanAbs(forward(a, x));
                        assertEquals(1, yc / y0, 0.03, c + ": mean |y| with GDC over mean |y| as programmed");
                    }
                }
            }
        }
    }

    private static double meanAbs(float[] v) {
        double s = 0;
        for (float f : v) {
            s += Math.abs(f);
        }
        return s / v.length;
    }

    @Test
    void badSchemeNamesAreConfigErrors() {
        assertThrows(ConfigException.class, () -> MvmErrorSweep.parseTileSchemes(List.of("gdc", "foo"), 8, 0.5));
        assertThrows(ConfigException.class, () -> MvmErrorSweep.parseTileSchemes(List.of("gdc", "gdc"), 8, 0.5));
        assertThrows(ConfigException.class, () -> new RatioReadout(0, 0.5));
        assertThrows(ConfigException.class, () -> Times.parse("--times", "1,xyz"));
        assertEquals(List.of(1.0, 3600.0, 86400.0, 31536000.0), Times.parse("--times", "1,1h,1d,1y"));
    }
}
