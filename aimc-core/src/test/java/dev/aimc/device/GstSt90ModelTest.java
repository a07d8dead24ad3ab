package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GstSt90ModelTest {
    static final int N = 50_000;
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** N copies of each target, in blocks. */
    private static float[] targets(float... levels) {
        float[] t = new float[N * levels.length];
        for (int i = 0; i < levels.length; i++) {
            Arrays.fill(t, i * N, (i + 1) * N, levels[i]);
        }
        return t;
    }

    private static float[] block(float[] a, int i) {
        return Arrays.copyOfRange(a, i * N, (i + 1) * N);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        GstSt90Model d = GstSt90Model.defaults();
        assertEquals("gst-st90", d.name());
        assertEquals(25.0, d.gMaxMicroSiemens());
        assertEquals(0.0, d.gMinMicroSiemens());
        assertEquals(4, d.levels());
        assertEquals(0.1, d.sigmaRel());
        assertEquals(0.03, d.driftRelPerDecade());
        assertEquals(0.01, d.readNoiseRel());
        assertEquals(Map.of("g-max", 25.0, "levels", 4, "sigma", 0.1, "drift", 0.03, "read-noise", 0.01),
                d.parameters());
        assertEquals(d, DeviceModels.parse("gst-st90"));
    }

    @Test
    void withoutSpreadTargetsSnapToTheLevels() {
        GstSt90Model d = new GstSt90Model(30, 4, 0, 0.03, 0);
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = d.program(m.randomUniform(-5f, 40f, new Shape(N)), RandomStream.of(1))) {
            TreeSet<Float> distinct = new TreeSet<>();
            for (float v : s.gProg().toFloatArray()) {
                distinct.add(v);
            }
            assertEquals(new TreeSet<>(Arrays.asList(0f, 10f, 20f, 30f)), distinct);
            // the drift multiplier marks the programmed (SET-side) cells
            float[] g = s.gProg().toFloatArray();
            float[] mark = s.nu().toFloatArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i] > 0 ? 1f : 0f, mark[i]);
            }
        }
        // nearest level: 4.9 -> 0, 5.1 -> 10, 24.9 -> 20, 25.1 -> 30
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = d.program(m.create(new float[] {4.9f, 5.1f, 24.9f, 25.1f}), RandomStream.of(1))) {
            assertArrayEquals(new float[] {0f, 10f, 20f, 30f}, s.gProg().toFloatArray());
        }
        assertEquals(20.0, d.levelMicroSiemens(2), 1e-12);
    }

    @Test
    void everyProgrammedLevelHasTheSameAbsoluteSpreadAndResetHasNone() {
        GstSt90Model d = new GstSt90Model(25, 4, 0.08, 0, 0);
        double sigma = 0.08 * 25;
        float step = 25f / 3;
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = d.program(m.create(targets(0f, step, 2 * step, 3 * step)),
                        RandomStream.of(7))) {
            float[] g = s.gProg().toFloatArray();
            float[] reset = block(g, 0);
            for (float v : reset) {
                assertEquals(0f, v);
            }
            for (int k = 1; k <= 3; k++) {
                float[] level = block(g, k);
                // 4 sigma of the estimator: std of the mean sigma/sqrt(N), of the std sigma/sqrt(2N)
                assertEquals(k * step, Stats.mean(level), 4 * sigma / Math.sqrt(N), "mean of level " + k);
                assertEquals(sigma, Stats.std(level), 4 * sigma / Math.sqrt(2.0 * N), "std of level " + k);
            }
        }
    }

    @Test
    void driftIsARigidShiftOfEveryProgrammedCellByTheLogLaw() {
        GstSt90Model d = new GstSt90Model(25, 4, 0.1, 0.03, 0);
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = d.program(m.create(targets(0f, 25f / 3, 50f / 3, 25f)), RandomStream.of(3))) {
            float[] g0 = s.gProg().toFloatArray();
            float[] mark = s.nu().toFloatArray();
            for (double t : new double[] {0, 1, 3600, 86_400, 3.15e7}) {
                double shift = 0.03 * 25 * Math.log10((t + 1) / 1);
                assertEquals(shift, d.driftShiftMicroSiemens(t), 1e-12);
                try (NDArray gt = d.drift(s, t)) {
                    float[] g = gt.toFloatArray();
                    for (int i = 0; i < g.length; i++) {
                        double want = Math.max(0, g0[i] - mark[i] * shift);
                        assertEquals(want, g[i], 1e-5 * (1 + Math.abs(want)), "t=" + t + ", i=" + i);
                    }
                }
            }
            // exact values: one decade of (t + t0)/t0 costs 0.03·25 = 0.75 µS on a programmed cell
            try (NDArray gt = d.drift(s, 9)) {
                float[] g = gt.toFloatArray();
                int i = 3 * N; // a top-level cell
                assertEquals(Math.max(0, g0[i] - 0.75), g[i], 1e-5);
                assertEquals(0f, g[0]); // RESET stays at 0
            }
        }
        assertThrows(ConfigException.class, () -> d.driftShiftMicroSiemens(-1));
    }

    @Test
    void readNoiseIsAbsoluteOnProgrammedCellsOnly() {
        GstSt90Model d = new GstSt90Model(25, 4, 0, 0, 0.02);
        try (NDManager m = manager.newSubManager();
                ProgrammedState s = d.program(m.create(targets(0f, 25f)), RandomStream.of(5));
                NDArray gd = d.drift(s, 100)) {
            RandomStream reads = RandomStream.of(9);
            try (DeviceModel.Reader r = d.reader(s, gd, 100, reads)) {
                assertNotNull(r.gaussianParts());
                float[] g = r.read().toFloatArray();
                for (float v : block(g, 0)) {
                    assertEquals(0f, v);
                }
                float[] top = block(g, 1);
                assertEquals(25.0, Stats.mean(top), 4 * 0.5 / Math.sqrt(N));
                assertEquals(0.5, Stats.std(top), 4 * 0.5 / Math.sqrt(2.0 * N));
            }
            // read() equals a reader's first read with the same stream state
            float[] a = d.read(s, gd, 100, RandomStream.of(11)).toFloatArray();
            try (DeviceModel.Reader r = d.reader(s, gd, 100, RandomStream.of(11))) {
                assertArrayEquals(a, r.read().toFloatArray());
            }
        }
    }

    @Test
    void sameSeedSameConductancesOtherSeedOthers() {
        GstSt90Model d = GstSt90Model.defaults();
        try (NDManager m = manager.newSubManager()) {
            NDArray t = m.randomUniform(0f, 25f, new Shape(2000));
            float[] a;
            float[] b;
            float[] c;
            try (ProgrammedState s = d.program(t, RandomStream.of(42))) {
                a = d.read(s, d.drift(s, 3600), 3600, RandomStream.of(1)).toFloatArray();
            }
            try (ProgrammedState s = d.program(t, RandomStream.of(42))) {
                b = d.read(s, d.drift(s, 3600), 3600, RandomStream.of(1)).toFloatArray();
            }
            try (ProgrammedState s = d.program(t, RandomStream.of(43))) {
                c = d.read(s, d.drift(s, 3600), 3600, RandomStream.of(1)).toFloatArray();
            }
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
        }
    }

    @Test
    void specKeysAndScaleOptions() {
        assertEquals(new GstSt90Model(30, 8, 0.05, 0, 0.02),
                DeviceModels.parse("gst-st90:g-max=30,levels=8,sigma=0.05,drift=0,read-noise=0.02"));
        GstSt90Model scaled = (GstSt90Model) DeviceModels.parse("gst-st90",
                new DeviceModels.Options(Double.NaN, 2, 0, 3));
        assertEquals(0.2, scaled.sigmaRel(), 1e-12);
        assertEquals(0.0, scaled.driftRelPerDecade());
        assertEquals(0.03, scaled.readNoiseRel(), 1e-12);
        DeviceModel d = DeviceModels.parse("gst-st90:levels=5");
        assertEquals(d, DeviceModels.parse(DeviceSpec.parse("gst-st90:levels=5").toString()));
        assertTrue(DeviceModels.typeOf(d) == DeviceModels.GST_ST90);
    }

    @Test
    void badParametersAreOneLineErrors() {
        assertEquals("--device gst-st90: levels must be an integer in [2, 256], got 1",
                assertThrows(ConfigException.class, () -> DeviceModels.parse("gst-st90:levels=1")).getMessage());
        assertEquals("--device gst-st90: sigma must be >= 0, got -0.1",
                assertThrows(ConfigException.class, () -> DeviceModels.parse("gst-st90:sigma=-0.1")).getMessage());
        assertEquals("--device gst-st90: drift must be >= 0, got x",
                assertThrows(ConfigException.class, () -> DeviceModels.parse("gst-st90:drift=x")).getMessage()
                        .replace("a number ", ""));
        assertEquals("--device gst-st90: g-max must be > 0, got 0",
                assertThrows(ConfigException.class, () -> DeviceModels.parse("gst-st90:g-max=0")).getMessage());
        assertEquals("--device gst-st90: unknown key 'bits'; valid keys: g-max, levels, sigma, drift, read-noise",
                assertThrows(ConfigException.class, () -> DeviceModels.parse("gst-st90:bits=2")).getMessage());
        ConfigException e = assertThrows(ConfigException.class, () -> new GstSt90Model(25, 4, 0.1, -1, 0));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("drift"), e.getMessage());
    }
}
