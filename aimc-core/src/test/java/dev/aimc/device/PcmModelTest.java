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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcmModelTest {
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

    static NDArray targets(NDManager m, double g) {
        return m.full(new Shape(N), (float) g);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 1.0})
    void programmingNoiseMatchesEq1(double gT) {
        PcmModel pcm = PcmModel.defaults();
        Rng.seed(11);
        rng = RandomStream.of(11);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 25 * gT), rng)) {
            float[] g = s.gProg().toFloatArray();
            double sigma = 0.26348 + 1.9650 * gT - 1.1731 * gT * gT;
            Stats.assertRel(sigma, Stats.std(g), 0.02, "prog std at g_T=" + gT);
            assertEquals(25 * gT, Stats.mean(g), 4 * sigma / Math.sqrt(N), "prog mean");
        }
    }

    @Test
    void programmingNoiseScalesWithGMax() {
        PcmModel pcm = PcmModel.builder().gMaxMicroSiemens(50).build();
        Rng.seed(12);
        rng = RandomStream.of(12);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 25), rng)) {
            double sigma = (0.26348 + 1.9650 * 0.5 - 1.1731 * 0.25) * 2;
            Stats.assertRel(sigma, Stats.std(s.gProg().toFloatArray()), 0.02, "prog std, g_max 50");
            Stats.assertRel(sigma, pcm.progNoiseStdMicroSiemens(0.5), 1e-12, "helper");
        }
    }

    @Test
    void zeroTargetGivesClippedHalfNormal() {
        PcmModel pcm = PcmModel.defaults();
        Rng.seed(13);
        rng = RandomStream.of(13);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 0), rng)) {
            float[] g = s.gProg().toFloatArray();
            double sigma = 0.26348;
            for (float v : g) {
                assertTrue(v >= 0);
            }
            // max(0, σN): mean σ/sqrt(2π), std σ·sqrt(1/2 − 1/(2π))
            Stats.assertRel(sigma / Math.sqrt(2 * Math.PI), Stats.mean(g), 0.02, "clipped mean");
            Stats.assertRel(sigma * Math.sqrt(0.5 - 1 / (2 * Math.PI)), Stats.std(g), 0.02, "clipped std");
            // g_T floored at 1e-6: μ_ν and σ_ν hit their upper clips 0.1 and 0.045
            float[] nu = s.nu().toFloatArray();
            Stats.assertRel(Stats.foldedMean(0.1, 0.045), Stats.mean(nu), 0.02, "nu mean at g=0");
            Stats.assertRel(Stats.foldedStd(0.1, 0.045), Stats.std(nu), 0.02, "nu std at g=0");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.01, 0.1, 0.5, 1.0})
    void driftExponentIsFoldedNormalOfEq2(double gT) {
        double mu = PcmModel.nuMean(gT);
        double sd = PcmModel.nuStd(gT);
        // the fit's closed form, checked independently of the helpers
        double ln = Math.log(Math.max(gT, 1e-6));
        assertEquals(Math.min(Math.max(-0.0155 * ln + 0.0244, 0.049), 0.1), mu, 1e-15);
        assertEquals(Math.min(Math.max(-0.0125 * ln - 0.0059, 0.008), 0.045), sd, 1e-15);
        PcmModel pcm = PcmModel.defaults();
        Rng.seed(14);
        rng = RandomStream.of(14);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 25 * gT), rng)) {
            float[] nu = s.nu().toFloatArray();
            Stats.assertRel(Stats.foldedMean(mu, sd), Stats.mean(nu), 0.02, "nu mean at g_T=" + gT);
            Stats.assertRel(Stats.foldedStd(mu, sd), Stats.std(nu), 0.02, "nu std at g_T=" + gT);
            for (float v : nu) {
                assertTrue(v >= 0, "nu >= 0");
            }
        }
    }

    @Test
    void driftScaleMultipliesNu() {
        PcmModel pcm = PcmModel.builder().driftScale(2).build();
        Rng.seed(15);
        rng = RandomStream.of(15);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 2.5), rng)) {
            double mu = PcmModel.nuMean(0.1);
            double sd = PcmModel.nuStd(0.1);
            Stats.assertRel(2 * Stats.foldedMean(mu, sd), Stats.mean(s.nu().toFloatArray()), 0.02, "2x nu");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 3600, 1e6, 31536000})
    void driftIsExactPowerLawPerDevice(double t) {
        PcmModel pcm = PcmModel.defaults();
        Rng.seed(16);
        rng = RandomStream.of(16);
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = pcm.program(m.randomUniform(0f, 25f, new Shape(N)), rng)) {
            NDArray gd = pcm.drift(s, t);
            assertSame(s.gProg().getManager(), gd.getManager());
            float[] gp = s.gProg().toFloatArray();
            float[] nu = s.nu().toFloatArray();
            float[] g = gd.toFloatArray();
            double ratio = (t + 20) / 20;
            double sumRatio = 0;
            double sumExpected = 0;
            for (int i = 0; i < N; i++) {
                double expected = gp[i] * Math.pow(ratio, -nu[i]);
                assertEquals(expected, g[i], 1e-5 * Math.max(1, expected), "device " + i);
                if (gp[i] > 0) {
                    sumRatio += g[i] / gp[i];
                    sumExpected += Math.pow(ratio, -nu[i]);
                }
            }
            Stats.assertRel(sumExpected, sumRatio, 1e-4, "mean drift factor");
            if (t == 0) {
                assertArrayEquals(gp, g, "no drift at t_inf = 0");
            } else {
                assertTrue(sumRatio / N < 1, "conductance decays");
            }
        }
    }

    @Test
    void driftFactorMatchesAnalyticExpectation() {
        // program noise off, g_T = 1: ν ~ |N(0.049, 0.008)| essentially never folds; E[(t/t0)^(−ν)] in closed form
        // for a normal ν is exp(−μL + σ²L²/2) with L = ln(t/t0).
        PcmModel pcm = PcmModel.builder().progNoiseScale(0).readNoiseScale(0).build();
        Rng.seed(17);
        rng = RandomStream.of(17);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 25), rng)) {
            for (double t : new double[] {3600, 1e6}) {
                double l = Math.log((t + 20) / 20);
                double expected = Math.exp(-0.049 * l + 0.008 * 0.008 * l * l / 2);
                double mean = Stats.mean(pcm.drift(s, t).toFloatArray()) / 25;
                Stats.assertRel(expected, mean, 0.02, "E[(t/t0)^-nu] at t=" + t);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5, 1.0})
    void readNoiseMatchesEq4(double gT) {
        PcmModel pcm = PcmModel.builder().progNoiseScale(0).driftScale(0).build();
        Rng.seed(18);
        rng = RandomStream.of(18);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 25 * gT), rng)) {
            for (double t : new double[] {0, 3600, 1e6}) {
                NDArray gd = pcm.drift(s, t);
                float[] gdA = gd.toFloatArray();
                float[] gr = pcm.read(s, gd, t, rng).toFloatArray();
                double[] rel = new double[N];
                for (int i = 0; i < N; i++) {
                    rel[i] = (gr[i] - gdA[i]) / gdA[i];
                }
                double qs = Math.min(0.0088 / Math.max(Math.pow(gT, 0.65), 1e-3), 0.2);
                double tt = t + 20;
                double sigma = qs * Math.sqrt(Math.log((tt + 250e-9) / (2 * 250e-9)));
                Stats.assertRel(sigma, Stats.std(rel), 0.02, "read std at g_T=" + gT + ", t=" + t);
                Stats.assertRel(sigma, pcm.readNoiseStd(25 * gT, t), 1e-9, "helper");
                assertEquals(0, Stats.mean(rel), 4 * sigma / Math.sqrt(N), "read mean");
            }
        }
    }

    @Test
    void readNoiseIsDrawnAnewEachCall() {
        PcmModel pcm = PcmModel.defaults();
        Rng.seed(19);
        rng = RandomStream.of(19);
        try (NDManager m = manager.newSubManager(); ProgrammedState s = pcm.program(targets(m, 10), rng)) {
            NDArray gd = pcm.drift(s, 100);
            NDArray a = pcm.read(s, gd, 100, rng);
            NDArray b = pcm.read(s, gd, 100, rng);
            assertSame(gd.getManager(), a.getManager());
            assertFalse(Arrays.equals(a.toFloatArray(), b.toFloatArray()));
        }
    }

    @Test
    void zeroScalesSwitchSourcesOffExactly() {
        PcmModel pcm = PcmModel.builder().progNoiseScale(0).driftScale(0).readNoiseScale(0).build();
        try (NDManager m = manager.newSubManager()) {
            NDArray target = m.randomUniform(0f, 25f, new Shape(1000));
            float[] tg = target.toFloatArray();
            try (ProgrammedState s = pcm.program(target, rng)) {
                assertArrayEquals(tg, s.gProg().toFloatArray());
                assertArrayEquals(new float[1000], s.nu().toFloatArray());
                NDArray gd = pcm.drift(s, 1e7);
                assertArrayEquals(tg, gd.toFloatArray());
                assertArrayEquals(tg, pcm.read(s, gd, 1e7, rng).toFloatArray());
            }
        }
    }

    @Test
    void gMaxTargetAndAboveAreClipped() {
        PcmModel pcm = PcmModel.builder().progNoiseScale(0).driftScale(0).readNoiseScale(0).build();
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = pcm.program(m.create(new float[] {0, 25, 30, -1}), rng)) {
            assertArrayEquals(new float[] {0, 25, 25, 0}, s.gProg().toFloatArray());
        }
    }

    @Test
    void sameSeedSameArraysDifferentSeedDifferent() {
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = manager.newSubManager()) {
            NDArray target = m.full(new Shape(5000), 12f);
            float[][] r1 = run(pcm, target, 42);
            float[][] r2 = run(pcm, target, 42);
            float[][] r3 = run(pcm, target, 43);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(r1[k], r2[k], "same seed, array " + k);
                assertFalse(Arrays.equals(r1[k], r3[k]), "different seed, array " + k);
            }
        }
    }

    private static float[][] run(DeviceModel model, NDArray target, long seed) {
        Rng.seed(seed);
        rng = RandomStream.of(seed);
        try (ProgrammedState s = model.program(target, rng)) {
            NDArray gd = model.drift(s, 1000);
            NDArray gr = model.read(s, gd, 1000, rng);
            float[][] out = {s.gProg().toFloatArray(), s.nu().toFloatArray(), gr.toFloatArray()};
            gd.close();
            gr.close();
            return out;
        }
    }

    @Test
    void resultsAttachToCallersManager() {
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = manager.newSubManager()) {
            NDArray target = m.full(new Shape(10), 12f);
            ProgrammedState s = pcm.program(target, rng);
            assertSame(m, s.gProg().getManager());
            assertSame(m, s.nu().getManager());
            assertSame(m, target.getManager());
            NDArray gd = pcm.drift(s, 5);
            assertSame(m, gd.getManager());
            assertSame(m, pcm.read(s, gd, 5, rng).getManager());
            s.close();
            assertFalse(target.isReleased());
        }
    }

    @Test
    void invalidParametersNameTheParameter() {
        ConfigException e = assertThrows(ConfigException.class, () -> PcmModel.builder().driftScale(-1).build());
        assertTrue(e.getMessage().contains("drift-scale"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> PcmModel.builder().progNoiseScale(-0.5).build());
        assertTrue(e.getMessage().contains("prog-noise-scale"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> PcmModel.builder().readNoiseScale(Double.NaN).build());
        assertTrue(e.getMessage().contains("read-noise-scale"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> PcmModel.builder().gMaxMicroSiemens(0).build());
        assertTrue(e.getMessage().contains("g-max"), e.getMessage());
    }
}
