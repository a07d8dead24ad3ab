package dev.aimc.compensation;

import dev.aimc.util.Times;
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
        public ProgrammedState program(NDArray g) {
            return new ProgrammedState(g.duplicate(), g.zerosLike().add((float) nu));
        }

        @Override
        public NDArray drift(ProgrammedState s, double t) {
            return s.gProg().mul((float) Math.pow((t + T0) / T0, -nu));
        }

        @Override
        public NDArray read(ProgrammedState s, NDArray gDrift, double t) {
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
                        // exact up to the 24-bit ADC step (1.9e-6) amplified by the compensation factor (≈ 2.6)
                        assertClose(y0, forward(a, x), 1e-5);
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
        MvmError.Metrics mt = MvmError.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 5});
        assertEquals(1 / Math.sqrt(39), mt.mvmError(), 1e-12);
        assertEquals(1 - 0.5 / 4, mt.macAccuracy(), 1e-12); // RMS = sqrt(1/4), range 5 − 1
        MvmError.Metrics perfect = MvmError.of(new double[] {-1, 2}, new double[] {-1, 2});
        assertEquals(0, perfect.mvmError(), 0);
        assertEquals(1, perfect.macAccuracy(), 0);
        try (NDManager m = NDManager.newBaseManager()) {
            MvmError.Metrics nd = MvmError.of(m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)),
                    m.create(new float[] {1, 2, 3, 5}, new Shape(2, 2)));
            assertEquals(mt.mvmError(), nd.mvmError(), 1e-9);
            assertEquals(mt.macAccuracy(), nd.macAccuracy(), 1e-9);
        }
    }

    @Test
    void sweepOnIdealDeviceIsNearExactAndGdcRecoversDrift() {
        List<MvmError.Row> rows = MvmError.sweep(new UniformDrift(0.05), exact(16, 16), 16, 8,
                List.of(0.0, 86400.0), MvmError.parseTileSchemes(List.of("none", "gdc", "ratio"), 4, 0.5), 64, 2, 7);
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).mvmError() < 1e-4, rows.get(0).toString()); // none, t = 0
        assertTrue(rows.get(1).mvmError() > 0.1, rows.get(1).toString()); // none, 1 day: drift
        assertTrue(rows.get(3).mvmError() < 1e-4, rows.get(3).toString()); // gdc, 1 day
        assertTrue(rows.get(5).mvmError() < 1e-4, rows.get(5).toString()); // ratio, 1 day
        assertTrue(rows.get(5).macAccuracy() > 0.9999);
    }

    @Test
    void badSchemeNamesAreConfigErrors() {
        assertThrows(ConfigException.class, () -> MvmError.parseTileSchemes(List.of("gdc", "foo"), 8, 0.5));
        assertThrows(ConfigException.class, () -> MvmError.parseTileSchemes(List.of("gdc", "gdc"), 8, 0.5));
        assertThrows(ConfigException.class, () -> new RatioReadout(0, 0.5));
        assertThrows(ConfigException.class, () -> Times.parse("--times", "1,xyz"));
        assertEquals(List.of(1.0, 3600.0, 86400.0, 31536000.0), Times.parse("--times", "1,1h,1d,1y"));
    }
}
