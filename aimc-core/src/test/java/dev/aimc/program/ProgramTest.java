package dev.aimc.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.IdealModel;
import dev.aimc.device.PcmModel;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramTest {
    private static RandomStream rng = RandomStream.of(0);
    static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static double std(NDArray a) {
        NDArray d = a.toType(DataType.FLOAT64, true);
        double mean = d.mean().getDouble();
        return Math.sqrt(d.sub(mean).square().mean().getDouble());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-4.0, 0.5, 6.0})
    void pulseErrorStdMatchesModel(double delta) {
        PulseModel pm = new PulseModel(0.1, 0.3, 2, 25);
        int n = 100_000;
        Rng.seed(3);
        rng = RandomStream.of(3);
        try (NDManager m = manager.newSubManager()) {
            NDArray g = m.full(new Shape(n), 12.5f);
            NDArray out = pm.apply(g, m.full(new Shape(n), (float) delta), null, rng);
            double f = delta < 0 ? 2 : 1;
            double expected = Math.sqrt(Math.pow(0.1 * f * Math.abs(delta), 2) + 0.09);
            assertEquals(expected, pm.errorStd(delta), 1e-12);
            assertEquals(expected, std(out), 0.02 * expected, "std at delta " + delta);
            assertEquals(12.5 + delta, out.mean().getFloat(), 4 * expected / Math.sqrt(n));
        }
    }

    @Test
    void pulseSaturatesAtZeroAndGMax() {
        // σ_rel 0.02: the decrement of −200 µS has σ ≈ 8 µS, so ending above 0 would take a 22σ draw (with σ_rel 0.1
        // it takes only 4.5σ, which one of 10,000 devices reaches with a probability of a few percent)
        PulseModel pm = new PulseModel(0.02, 0.5, 2, 25);
        Rng.seed(4);
        rng = RandomStream.of(4);
        try (NDManager m = manager.newSubManager()) {
            NDArray g = m.full(new Shape(10_000), 20f);
            NDArray up = pm.apply(g, m.full(new Shape(10_000), 30f), null, rng);
            assertEquals(25f, up.max().getFloat(), 0f);
            assertEquals(25f, up.min().getFloat(), 1e-6f, "all saturate far above g_max");
            NDArray down = pm.apply(g, m.full(new Shape(10_000), -200f), null, rng);
            assertEquals(0f, down.max().getFloat(), 0f);
            NDArray masked = pm.apply(g, m.full(new Shape(10_000), 3f), m.zeros(new Shape(10_000)), rng);
            assertEquals(20f, masked.min().getFloat(), 0f);
            assertEquals(20f, masked.max().getFloat(), 0f);
        }
    }

    static NDArray gaussianTargets(NDManager m, int rows, int cols, long seed) {
        Rng.seed(seed);
        rng = RandomStream.of(seed);
        return Targets.normalize(m.randomNormal(new Shape(cols, rows)))[0];
    }

    @Test
    void verifyRespectsIterationLimitAndLandsWithinMarginForSmallPulseError() {
        try (NDManager m = manager.newSubManager()) {
            NDArray wn = gaussianTargets(m, 64, 32, 1);
            IdealModel ideal = new IdealModel(25);
            // small pulse error, no read noise: every device lands within the margin
            PulseModel small = new PulseModel(0.02, 0.05, 2, 25);
            Rng.seed(5);
            rng = RandomStream.of(5);
            try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 64, 32, ideal, small, Periphery.defaults(), rng);
                    ProgramResult r = new ProgramVerify(5, 30, 0).run(ideal, xb, Targets.conductances(wn, xb.gMax()))) {
                double margin = 5 * Periphery.defaults().cellReadStepMicroSiemens(25);
                NDArray err = r.state().gProg().sub(Targets.conductances(wn, 25)).abs();
                // read ADC rounding adds at most half a count
                assertTrue(err.max().getFloat() <= margin + 0.5 * margin / 5 + 1e-4, "max error " + err.max().getFloat());
                assertTrue(r.pulsesPerDeviceMax() <= 30);
            }
            // large pulse error and PCM read noise: the limit still holds
            PcmModel pcm = PcmModel.defaults();
            PulseModel big = new PulseModel(0.5, 3, 2, 25);
            Rng.seed(6);
            rng = RandomStream.of(6);
            try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 64, 32, pcm, big, Periphery.defaults(), rng);
                    ProgramResult r = new ProgramVerify(1, 4, 0).run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                assertTrue(r.pulsesPerDeviceMax() <= 4, "max pulses " + r.pulsesPerDeviceMax());
                assertTrue(r.iterations() <= 4);
                assertEquals(4, r.pulsesPerDeviceMax(), "some device needed all 4");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.7})
    void verifyFinalErrorMatchesSigmaProg(double gT) {
        // calibration check: verify with the calibrated pulse model lands at the one-shot model's σ_prog (±10%)
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = manager.newSubManager()) {
            NDArray wn = m.full(new Shape(100, 100), (float) gT);
            Rng.seed(7);
            rng = RandomStream.of(7);
            try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 100, 100, pcm, PulseModel.calibrated(25),
                    Periphery.defaults(), rng); ProgramResult r = ProgramVerify.defaults().run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                NDArray err = r.state().gProg().get(0).sub((float) (25 * gT)).toType(DataType.FLOAT64, false);
                double rms = Math.sqrt(err.square().mean().getDouble());
                double sigma = pcm.progNoiseStdMicroSiemens(gT);
                assertEquals(sigma, rms, 0.10 * sigma, "verify error at g_T " + gT);
            }
        }
    }

    @Test
    void gdpDecreasesErrorOnNoiselessDeviceAndConvergesWithinAdcResolution() {
        IdealModel ideal = new IdealModel(25);
        // exact pulses would make the open-loop start perfect; give the start an error to remove
        try (NDManager m = manager.newSubManager()) {
            NDArray wn = gaussianTargets(m, 64, 32, 2);
            Periphery p = Periphery.defaults();
            Rng.seed(8);
            rng = RandomStream.of(8);
            try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 64, 32, ideal, PulseModel.exact(25), p, rng)) {
                // perturb: a noisy open-loop pulse first (σ_abs 1 µS), then exact GDP pulses
                NDArray t = Targets.conductances(wn, 25);
                NDArray noisy = new PulseModel(0, 1, 1, 25).apply(xb.conductances(), t, null, rng);
                xb.pulse(noisy.sub(xb.conductances()), null);
                double before = Programming.mvmError(xb, wn, 512);
                Gdp gdp = new Gdp(60, 0.5, 256, 0, 0);
                double[] h = new double[7];
                h[0] = before;
                for (int i = 1; i < h.length; i++) {
                    runIterations(gdp.withIterations(10), xb, wn);
                    h[i] = Programming.mvmError(xb, wn, 512);
                }
                assertTrue(h[1] < before && h[3] < h[1] && h[6] < 0.3 * before,
                        "eps history " + java.util.Arrays.toString(h));
                // converged to the target within the ADC resolution: the rms output error is at most ~1 ADC step
                NDArray x = dev.aimc.metric.MvmError.inputs(m, 512, 64, p.dacRange());
                double rmsOut = Math.sqrt(xb.mvm(x).sub(x.matMul(wn)).square().mean().getFloat());
                assertTrue(rmsOut < p.adcStep(), "rms output error " + rmsOut + " vs ADC step " + p.adcStep());
            }
        }
    }

    /** GDP iterations on an already programmed crossbar (no open-loop restart). */
    static void runIterations(Gdp gdp, SimulatedCrossbar xb, NDArray wn) {
        gdp.iterate(xb, wn, null);
    }

    @Test
    void bothAlgorithmsAreDeterministicForASeed() {
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = manager.newSubManager()) {
            NDArray wn = gaussianTargets(m, 48, 40, 3);
            float[][] out = new float[4][];
            for (int rep = 0; rep < 2; rep++) {
                Rng.seed(9);
                rng = RandomStream.of(9);
                try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 48, 40, pcm, PulseModel.calibrated(25),
                        Periphery.defaults(), rng); ProgramResult r = ProgramVerify.defaults().run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                    out[rep] = r.state().gProg().toFloatArray();
                }
                Rng.seed(9);
                rng = RandomStream.of(9);
                try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 48, 40, pcm, PulseModel.calibrated(25),
                        Periphery.defaults(), rng); ProgramResult r = Gdp.defaults().withIterations(5).run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                    out[2 + rep] = r.state().gProg().toFloatArray();
                }
            }
            assertArrayEquals(out[0], out[1]);
            assertArrayEquals(out[2], out[3]);
        }
    }
}
