package dev.aimc.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.IdealModel;
import dev.aimc.device.PcmModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The programming algorithms read through the tile package's AnalogMatrix. */
class TilePathTest {
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

    /**
     * ε after verify and GDP (defaults, Gaussian 128×64, seeds 1–3, PCM, 2,048 inputs) equals what the earlier
     * stand-alone quantizer copy (program.Periphery.mvm/cellAdc, commit d0b6d43, ProgramBench cmp) measured:
     * verify 0.1052/0.1056/0.1047, GDP 0.0928/0.0927/0.0907.
     */
    @Test
    void verifyAndGdpThroughTheTileGiveTheEarlierEpsilon() {
        PcmModel pcm = PcmModel.defaults();
        Periphery p = Periphery.defaults();
        double verify = 0;
        double gdp = 0;
        for (long seed = 1; seed <= 3; seed++) {
            try (NDManager m = manager.newSubManager()) {
                Rng.seed(seed);
                rng = RandomStream.of(seed);
                NDArray wn = Targets.normalize(m.randomNormal(new Shape(64, 128)))[0];
                for (String meth : new String[] {"verify", "gdp"}) {
                    Rng.seed(Rng.derive(seed, 99));
                    rng = RandomStream.of(Rng.derive(seed, 99));
                    try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 128, 64, pcm, PulseModel.calibrated(25), p, rng);
                            ProgramResult r = meth.equals("verify") ? new ProgramVerify(5, 30, 0).run(pcm, xb, Targets.conductances(wn, xb.gMax()))
                                    : Gdp.defaults().withHistoryInputs(0).run(pcm, xb, Targets.conductances(wn, xb.gMax()))) {
                        Rng.seed(Rng.derive(seed, 7));
                        rng = RandomStream.of(Rng.derive(seed, 7));
                        double eps = Programming.mvmError(pcm, r.state(), wn, p, 0, 2048, rng).mvmError();
                        if (meth.equals("verify")) {
                            verify += eps / 3;
                        } else {
                            gdp += eps / 3;
                        }
                    }
                }
            }
        }
        assertEquals((0.1052 + 0.1056 + 0.1047) / 3, verify, 0.004, "verify");
        assertEquals((0.0928 + 0.0927 + 0.0907) / 3, gdp, 0.004, "gdp");
        assertTrue(gdp < verify);
    }

    @Test
    void crossbarReadsAreTheTileForward() {
        // ideal device, exact pulses: the crossbar's MVM is the tile forward of the programmed conductances
        IdealModel ideal = new IdealModel(25);
        try (NDManager m = manager.newSubManager()) {
            Rng.seed(4);
            rng = RandomStream.of(4);
            NDArray wn = Targets.normalize(m.randomNormal(new Shape(8, 16)))[0];
            try (SimulatedCrossbar xb = new SimulatedCrossbar(m, 16, 8, ideal, PulseModel.exact(25),
                    Periphery.defaults(), rng)) {
                Programming.openLoop(xb, Targets.conductances(wn, 25));
                NDArray x = dev.aimc.metric.MvmError.inputs(m, 32, 16, xb.periphery().dacRange());
                try (AnalogMatrix tile = new AnalogMatrix(wn.transpose(), null, TileConfig.defaults())) {
                    tile.program(ideal, rng);
                    tile.driftTo(0);
                    assertTrue(xb.mvm(x).sub(tile.forward(x)).abs().max().getFloat() < 1e-5f);
                }
                // single-cell reads: the conductances on the cell-read ADC grid (ideal: no read noise)
                NDArray cells = xb.readCells(m);
                double step = Periphery.defaults().cellReadStepMicroSiemens(25);
                assertTrue(cells.sub(xb.conductances()).abs().max().getFloat() <= step / 2 + 1e-4);
            }
        }
    }

    @Test
    void layerIsProgrammedTileByTile() {
        PcmModel pcm = PcmModel.defaults();
        try (NDManager m = manager.newSubManager()) {
            Rng.seed(5);
            rng = RandomStream.of(5);
            NDArray w = m.randomNormal(new Shape(20, 40)); // [out, in]: 3 × 2 tiles of 16 × 16
            TileConfig cfg = TileConfig.builder().tileSize(16, 16).build();
            double[] eps = new double[3];
            String[] names = {"oneshot", "verify", "gdp"};
            for (int i = 0; i < 3; i++) {
                try (AnalogMatrix mat = new AnalogMatrix(w, null, cfg)) {
                    Rng.seed(6);
                    rng = RandomStream.of(6);
                    var prog = Programmers.parse("--programming", names[i]);
                    mat.program(pcm, prog);
                    assertEquals(mat.normalizedTargets().getShape(), mat.state().gProg().getShape());
                    mat.driftTo(0);
                    eps[i] = dev.aimc.metric.MvmError.of(mat, w, 1024).mvmError();
                    if (prog instanceof Programmers.Process pr) {
                        assertEquals(6, pr.tiles());
                        assertTrue(pr.pulsesPerDevice() >= 1, "pulses per device " + pr.pulsesPerDevice());
                    }
                }
            }
            for (double e : eps) {
                assertTrue(e > 0.02 && e < 0.3, java.util.Arrays.toString(eps));
            }
            assertTrue(eps[2] < eps[1], "gdp below verify: " + java.util.Arrays.toString(eps));
        }
    }

    @Test
    void processProgrammingNeedsDifferentialMapping() {
        try (NDManager m = manager.newSubManager();
                AnalogMatrix mat = new AnalogMatrix(m.randomNormal(new Shape(4, 4)), null,
                        TileConfig.builder().mapping(TileConfig.Mapping.UNIPOLAR_OFFSET).build())) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> mat.program(PcmModel.defaults(), Programmers.parse("--programming", "gdp")));
            assertTrue(e.getMessage().contains("differential"), e.getMessage());
        }
        assertThrows(ConfigException.class, () -> Programmers.parse("--programming", "anneal"));
    }
}
