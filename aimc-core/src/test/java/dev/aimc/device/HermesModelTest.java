package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import org.junit.jupiter.api.Test;

/** The HERMES PCM fits: statistics of programming noise, drift exponents and read noise against the formulas. */
class HermesModelTest {
    private static final int N = 200_000;

    @Test
    void parsesWithTheUnitCellsCharacterizedRange() {
        HermesModel two = (HermesModel) DeviceModels.parse("hermes:unit-cell=2");
        assertEquals(2, two.unitCell());
        assertEquals(20.7, two.gMaxMicroSiemens());
        assertEquals(300, two.t0Seconds());
        HermesModel one = (HermesModel) DeviceModels.parse("hermes");
        assertEquals(HermesModel.of(1), one);
        assertEquals(10.35, one.gMaxMicroSiemens());
        assertEquals(200, one.t0Seconds());
        ConfigException e = assertThrows(ConfigException.class, () -> new HermesModel(15, 1, 1, 1, 1));
        assertTrue(e.getMessage().startsWith("g-max"), e.getMessage());
    }

    @Test
    void programmingNoiseAndDriftExponentsFollowTheFits() {
        HermesModel h = HermesModel.of(2);
        try (NDManager m = NDManager.newBaseManager()) {
            // mid-range target: high branches of μ_ν and σ_ν
            double gT = 0.5;
            ProgrammedState s = h.program(m.full(new Shape(N), (float) (gT * h.gMaxMicroSiemens())), RandomStream.of(1));
            float[] g = s.gProg().toFloatArray();
            Stats.assertRel(gT * h.gMaxMicroSiemens(), Stats.mean(g), 0.002, "mean g_prog");
            double sigma = (0.16603222 + 4.71806468 * gT - 8.48101252 * gT * gT + 4.68961419 * gT * gT * gT);
            assertEquals(sigma, h.progNoiseStdMicroSiemens(gT), 1e-9);
            Stats.assertRel(sigma, Stats.std(g), 0.01, "sigma_prog");
            double mu = -0.0436 * gT * gT - 0.0126 * gT + 0.0736;
            double sd = -0.0118 * gT * gT + 0.0093 * gT + 0.0073;
            float[] nu = s.nu().toFloatArray();
            Stats.assertRel(Stats.foldedMean(mu, sd), Stats.mean(nu), 0.01, "mean nu, high branch");
            Stats.assertRel(Stats.foldedStd(mu, sd), Stats.std(nu), 0.02, "std nu, high branch");
            // low target: logarithmic branches
            double lo = 0.05;
            float[] nuLo = h.program(m.full(new Shape(N), (float) (lo * h.gMaxMicroSiemens())), RandomStream.of(2))
                    .nu().toFloatArray();
            double muLo = Math.min(Math.max(-0.0387 * Math.log(lo) - 0.0182, 0.072), 0.13);
            double sdLo = Math.min(Math.max(-0.0117 * Math.log(lo) - 0.0057, 0.0091), 0.04);
            Stats.assertRel(Stats.foldedMean(muLo, sdLo), Stats.mean(nuLo), 0.01, "mean nu, low branch");
            Stats.assertRel(Stats.foldedStd(muLo, sdLo), Stats.std(nuLo), 0.02, "std nu, low branch");
        }
    }

    @Test
    void driftAndReadNoiseFollowTheFits() {
        HermesModel h = HermesModel.of(2);
        double y = 0.5;
        float g0 = (float) (y * h.gMaxMicroSiemens());
        try (NDManager m = NDManager.newBaseManager()) {
            ProgrammedState s = new ProgrammedState(m.full(new Shape(N), g0), m.full(new Shape(N), 0.05f));
            NDArray d = h.drift(s, 3600);
            assertEquals(g0 * Math.pow((3600 + 300) / 300.0, -0.05), d.getFloat(0), 1e-4);
            NDArray r = h.read(s, d, 3600, RandomStream.of(3));
            double qs = 0.0069 * y * y * y - 0.0280 * y * y + 0.0211 * y + 0.0123;
            double t = 3600 + 300;
            double sigma = qs * Math.sqrt(Math.log((t + 512e-9) / (2 * 512e-9)));
            float[] rv = r.toFloatArray();
            Stats.assertRel(d.getFloat(0), Stats.mean(rv), 0.001, "mean read");
            Stats.assertRel(sigma * d.getFloat(0), Stats.std(rv), 0.01, "read-noise std");
            // scale 0: no noise and no drift exactly
            HermesModel quiet = new HermesModel(h.gMaxMicroSiemens(), 2, 0, 0, 0);
            ProgrammedState q = quiet.program(m.full(new Shape(10), g0), RandomStream.of(4));
            assertEquals(g0, q.gProg().getFloat(3));
            assertEquals(0f, q.nu().getFloat(3));
            assertEquals(g0, quiet.read(q, quiet.drift(q, 100), 100, RandomStream.of(5)).getFloat(3));
        }
    }
}
