package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcmTableModelTest {
    private static RandomStream rng = RandomStream.of(0);
    static final int N = 100_000;

    @TempDir
    Path dir;

    static final double[] G = {0, 5, 15, 25};
    static final double[] MEAN = {0.1, 0.06, 0.05, 0.04};
    static final double[] STD = {0.04, 0.02, 0.01, 0.01};

    Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void scalarInterpolationAtNodesMidpointsAndOutside() {
        NuTable t = NuTable.of(G, MEAN, STD);
        for (int i = 0; i < G.length; i++) {
            assertEquals(MEAN[i], t.meanAt(G[i]), 1e-15);
            assertEquals(STD[i], t.stdAt(G[i]), 1e-15);
        }
        assertEquals(0.08, t.meanAt(2.5), 1e-12);
        assertEquals(0.055, t.meanAt(10), 1e-12);
        assertEquals(0.015, t.stdAt(10), 1e-12);
        assertEquals(0.04, t.meanAt(40), 1e-15);
        assertEquals(0.1, t.meanAt(-1), 1e-15);
    }

    @Test
    void vectorisedInterpolationMatchesScalar() {
        NuTable t = NuTable.of(G, MEAN, STD);
        float[] x = {-3, 0, 2.5f, 5, 10, 12.5f, 15, 20, 25, 30, 7.3f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] ms = t.interpolate(m.create(x));
            float[] mean = ms[0].toFloatArray();
            float[] std = ms[1].toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(t.meanAt(x[i]), mean[i], 1e-6, "mean at " + x[i]);
                assertEquals(t.stdAt(x[i]), std[i], 1e-6, "std at " + x[i]);
            }
        }
    }

    @Test
    void loadsCsvWithHeaderAndDrawsFoldedNormalNu() throws IOException {
        Path p = csv("nu.csv", "g_us,nu_mean,nu_std\n0,0.1,0.04\n5,0.06,0.02\n\n# comment\n15,0.05,0.01\n25,0.04,0.01\n");
        PcmTableModel model = PcmTableModel.load(p);
        assertEquals("pcm-table", model.name());
        assertEquals(25.0, model.gMaxMicroSiemens());
        assertArrayEquals(G, model.table().gMicroSiemens());
        assertArrayEquals(STD, model.table().nuStd());
        for (double g : new double[] {5, 10, 25}) {
            Rng.seed(31);
            rng = RandomStream.of(31);
            try (NDManager m = NDManager.newBaseManager();
                    ProgrammedState s = model.program(m.full(new Shape(N), (float) g), rng)) {
                float[] nu = s.nu().toFloatArray();
                double mu = model.table().meanAt(g);
                double sd = model.table().stdAt(g);
                Stats.assertRel(Stats.foldedMean(mu, sd), Stats.mean(nu), 0.02, "nu mean at " + g);
                Stats.assertRel(Stats.foldedStd(mu, sd), Stats.std(nu), 0.02, "nu std at " + g);
                // programming noise (1) and drift (3) as in PcmModel
                double gT = g / 25;
                Stats.assertRel(0.26348 + 1.9650 * gT - 1.1731 * gT * gT, Stats.std(s.gProg().toFloatArray()), 0.02,
                        "prog std");
                float[] gp = s.gProg().toFloatArray();
                float[] gd = model.drift(s, 3600).toFloatArray();
                for (int i = 0; i < N; i += 97) {
                    assertEquals(gp[i] * Math.pow(3620 / 20.0, -nu[i]), gd[i], 1e-5 * Math.max(1, gp[i]));
                }
            }
        }
    }

    @Test
    void zeroScalesSwitchSourcesOff() {
        PcmTableModel model = PcmTableModel.builder(NuTable.of(G, MEAN, STD))
                .progNoiseScale(0).driftScale(0).readNoiseScale(0).build();
        try (NDManager m = NDManager.newBaseManager();
                ProgrammedState s = model.program(m.create(new float[] {0, 3, 25}), rng)) {
            NDArray gd = model.drift(s, 1e6);
            assertArrayEquals(new float[] {0, 3, 25}, model.read(s, gd, 1e6, rng).toFloatArray());
        }
    }

    @Test
    void brokenCsvGivesOneLineErrorWithFileAndLine() throws IOException {
        assertError(csv("a.csv", "g,m,s\n0,0.1,0.01\n5,abc,0.01\n"), "a.csv:3:", "not a number");
        assertError(csv("b.csv", "0,0.1,0.01\n5,0.1,0.01\n4,0.1,0.01\n"), "b.csv:3:", "strictly increasing");
        assertError(csv("c.csv", "0,0.1,0.01\n5,0.1,-0.01\n"), "c.csv:2:", "nu_std must be >= 0");
        assertError(csv("d.csv", "g,m,s\n0,0.1,0.01\n"), "d.csv", "at least 2");
        assertError(csv("e.csv", "0,0.1,0.01\n5,0.1\n"), "e.csv:2:", "3 columns");
        assertError(csv("f.csv", "0,0.1,0.01\n5,NaN,0.01\n"), "f.csv:2:", "not a number");
        assertError(dir.resolve("missing.csv"), "missing.csv", "cannot read");
    }

    private static void assertError(Path p, String where, String what) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NuTable.load(p));
        String msg = e.getMessage();
        assertTrue(msg.contains(where) && msg.contains(what), msg);
        assertTrue(msg.contains(p.toString()), msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    @Test
    void tableFromArraysIsValidated() {
        assertThrows(ConfigException.class, () -> NuTable.of(new double[] {1}, new double[] {1}, new double[] {1}));
        assertThrows(ConfigException.class,
                () -> NuTable.of(new double[] {1, 1}, new double[] {1, 1}, new double[] {1, 1}));
        assertThrows(ConfigException.class,
                () -> NuTable.of(new double[] {1, 2}, new double[] {1, 1}, new double[] {1, -1}));
        ConfigException e = assertThrows(ConfigException.class,
                () -> PcmTableModel.builder(NuTable.of(G, MEAN, STD)).driftScale(-2).build());
        assertTrue(e.getMessage().contains("drift-scale"));
    }

    @Test
    void factoryParsesTableDevice() throws IOException {
        Path p = csv("ok.csv", "0,0.1,0.04\n25,0.04,0.01\n");
        DeviceModel d = DeviceModels.parse("pcm-table:" + p);
        assertEquals("pcm-table", d.name());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DeviceModels.parse("pcm-table:" + dir.resolve("nope.csv")));
        assertTrue(e.getMessage().contains("nope.csv"));
    }
}
