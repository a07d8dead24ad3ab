package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RramModelTest {
    private static RandomStream rng = RandomStream.of(0);
    static final int N = 100_000;
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void defaultsAreDocumented() {
        RramModel d = RramModel.defaults();
        assertEquals("rram", d.name());
        assertEquals(1.0, d.gMinMicroSiemens());
        assertEquals(100.0, d.gMaxMicroSiemens());
        assertEquals(0, d.bitsPerCell());
        assertEquals(0, d.levels());
        assertEquals(0.1, d.logNormalSigma());
        assertEquals(0.0, d.stuckAtMinRate());
        assertEquals(0.0, d.stuckAtMaxRate());
        assertEquals(0.0, d.readNoiseRelStd());
    }

    @Test
    void twoBitsGiveFourSnappedLevels() {
        RramModel rram = RramModel.builder().bitsPerCell(2).logNormalSigma(0).build();
        assertEquals(4, rram.levels());
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = rram.program(m.randomUniform(-10f, 130f, new Shape(N)), rng)) {
            TreeSet<Float> distinct = new TreeSet<>();
            for (float v : s.gProg().toFloatArray()) {
                distinct.add(v);
            }
            assertEquals(4, distinct.size(), distinct.toString());
            float[] expected = {1f, 34f, 67f, 100f};
            int k = 0;
            for (float v : distinct) {
                assertEquals(expected[k++], v, 1e-4);
            }
        }
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = rram.program(m.create(new float[] {0, 17, 18, 50, 51, 84, 99, 1000}), rng)) {
            assertArrayEquals(new float[] {1, 1, 34, 34, 67, 100, 100, 100}, s.gProg().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void continuousCellOnlyClipsWithoutNoise() {
        RramModel rram = RramModel.builder().logNormalSigma(0).build();
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = rram.program(m.create(new float[] {0, 0.5f, 1, 42.25f, 100, 150}), rng)) {
            assertArrayEquals(new float[] {1, 1, 1, 42.25f, 100, 100}, s.gProg().toFloatArray());
        }
    }

    @Test
    void logNormalVariationHasDocumentedSigma() {
        for (double sigma : new double[] {0.1, 0.3}) {
            RramModel rram = RramModel.builder().logNormalSigma(sigma).build();
            Rng.seed(21);
            rng = RandomStream.of(21);
            try (NDManager m = manager.newSubManager();
                    ProgrammedState s = rram.program(m.full(new Shape(N), 40f), rng)) {
                float[] g = s.gProg().toFloatArray();
                double[] theta = new double[N];
                for (int i = 0; i < N; i++) {
                    theta[i] = Math.log(g[i] / 40.0);
                }
                Stats.assertRel(sigma, Stats.std(theta), 0.02, "sigma of ln(g'/g)");
                assertEquals(0, Stats.mean(theta), 4 * sigma / Math.sqrt(N), "mean of ln(g'/g)");
                // log-normal mean: g·exp(σ²/2)
                Stats.assertRel(40 * Math.exp(sigma * sigma / 2), Stats.mean(g), 0.005, "log-normal mean");
            }
        }
    }

    @Test
    void stuckAtFaultFractions() {
        double p0 = 0.05;
        double p1 = 0.1;
        RramModel rram = RramModel.builder().logNormalSigma(0).stuckAtMinRate(p0).stuckAtMaxRate(p1).build();
        Rng.seed(22);
        rng = RandomStream.of(22);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = rram.program(m.full(new Shape(N), 50f), rng)) {
            int n0 = 0;
            int n1 = 0;
            int nOk = 0;
            for (float v : s.gProg().toFloatArray()) {
                if (v == 1f) {
                    n0++;
                } else if (v == 100f) {
                    n1++;
                } else if (v == 50f) {
                    nOk++;
                }
            }
            assertEquals(N, n0 + n1 + nOk);
            assertEquals(p0, n0 / (double) N, 4 * Math.sqrt(p0 * (1 - p0) / N), "stuck at g_min");
            assertEquals(p1, n1 / (double) N, 4 * Math.sqrt(p1 * (1 - p1) / N), "stuck at g_max");
        }
    }

    @Test
    void noDriftAndOptionalReadNoise() {
        RramModel rram = RramModel.builder().readNoiseRelStd(0.05).build();
        Rng.seed(23);
        rng = RandomStream.of(23);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = rram.program(m.full(new Shape(N), 60f), rng)) {
            assertArrayEquals(new float[N], s.nu().toFloatArray());
            float[] gp = s.gProg().toFloatArray();
            NDArray gd = rram.drift(s, 1e8);
            assertSame(m, gd.getManager());
            assertArrayEquals(gp, gd.toFloatArray());
            NDArray gr = rram.read(s, gd, 1e8, rng);
            assertSame(m, gr.getManager());
            float[] r = gr.toFloatArray();
            double[] rel = new double[N];
            for (int i = 0; i < N; i++) {
                rel[i] = (r[i] - gp[i]) / gp[i];
            }
            Stats.assertRel(0.05, Stats.std(rel), 0.02, "read noise std");
        }
        RramModel quiet = RramModel.defaults();
        try (NDManager m = manager.newSubManager(); ProgrammedState s = quiet.program(m.full(new Shape(100), 60f), rng)) {
            NDArray gd = quiet.drift(s, 10);
            assertArrayEquals(gd.toFloatArray(), quiet.read(s, gd, 10, rng).toFloatArray(), "no read noise by default");
        }
    }

    @Test
    void sameSeedSameResult() {
        RramModel rram = RramModel.builder().bitsPerCell(3).stuckAtMaxRate(0.1).build();
        try (NDManager m = manager.newSubManager()) {
            NDArray target = m.randomUniform(0f, 100f, new Shape(2000));
            Rng.seed(7);
            rng = RandomStream.of(7);
            float[] a = rram.program(target, rng).gProg().toFloatArray();
            Rng.seed(7);
            rng = RandomStream.of(7);
            float[] b = rram.program(target, rng).gProg().toFloatArray();
            Rng.seed(8);
            rng = RandomStream.of(8);
            float[] c = rram.program(target, rng).gProg().toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void invalidParametersNameTheParameter() {
        assertMessage("log-normal-sigma", () -> RramModel.builder().logNormalSigma(-0.1).build());
        assertMessage("g-max", () -> RramModel.builder().gMinMicroSiemens(10).gMaxMicroSiemens(5).build());
        assertMessage("g-min", () -> RramModel.builder().gMinMicroSiemens(-1).build());
        assertMessage("bits", () -> RramModel.builder().bitsPerCell(-1).build());
        assertMessage("stuck-at-min-rate", () -> RramModel.builder().stuckAtMinRate(1.5).build());
        assertMessage("stuck-at-min-rate + stuck-at-max-rate",
                () -> RramModel.builder().stuckAtMinRate(0.6).stuckAtMaxRate(0.6).build());
        assertMessage("read-noise", () -> RramModel.builder().readNoiseRelStd(-1).build());
    }

    static void assertMessage(String part, Runnable r) {
        ConfigException e = assertThrows(ConfigException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
