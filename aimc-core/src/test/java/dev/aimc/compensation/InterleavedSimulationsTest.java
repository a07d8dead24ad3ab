package dev.aimc.compensation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.PcmModel;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Randomness as an object: two simulations in one JVM, run step by step in turn, give exactly the outputs each gives
 * alone, and a calibration read never shifts the noise of the forward passes that follow it.
 */
class InterleavedSimulationsTest {

    /** PCM on several tiles with per-batch read noise and output noise: every forward pass draws. */
    static TileConfig noisy() {
        return TileConfig.builder().tileSize(16, 8).outputNoise(0.04).readNoise(TileConfig.ReadNoise.PER_BATCH)
                .build();
    }

    /** One simulation as a list of steps; the forward steps record their outputs. */
    static final class Simulation {
        final List<Runnable> steps = new ArrayList<>();
        final List<float[]> outputs = new ArrayList<>();
        final List<AutoCloseable> open = new ArrayList<>();

        void forward(AnalogMatrix a, NDArray x) {
            steps.add(() -> outputs.add(AnalogNetwork.inference(() -> a.forward(x)).toFloatArray()));
        }

        void close() throws Exception {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    /** A: programmed from seed 11, read at 1 h (two batches) and at 1 day. */
    static Simulation matrixA(NDArray w, NDArray x) {
        Simulation s = new Simulation();
        AnalogMatrix a = new AnalogMatrix(w, null, noisy());
        s.open.add(a);
        s.steps.add(() -> a.program(PcmModel.defaults(), RandomStream.of(11)));
        s.steps.add(() -> a.driftTo(3600));
        s.forward(a, x);
        s.forward(a, x);
        s.steps.add(() -> a.driftTo(86400));
        s.forward(a, x);
        return s;
    }

    /** B: programmed from seed 12, drifted to 1 day, GDC calibrated (periphery reads), two batches, then undone. */
    static Simulation matrixB(NDArray w, NDArray x) {
        Simulation s = new Simulation();
        AnalogMatrix b = new AnalogMatrix(w, null, noisy());
        s.open.add(b);
        Undo[] undo = new Undo[1];
        s.steps.add(() -> b.program(PcmModel.defaults(), RandomStream.of(12)));
        s.steps.add(() -> b.driftTo(86400));
        s.steps.add(() -> undo[0] = GlobalDriftCompensation.perTile().apply(b));
        s.forward(b, x);
        s.forward(b, x);
        s.steps.add(() -> undo[0].close());
        s.forward(b, x);
        return s;
    }

    static void runAlone(Simulation s) {
        s.steps.forEach(Runnable::run);
    }

    static void runInterleaved(Simulation a, Simulation b) {
        for (int i = 0; i < Math.max(a.steps.size(), b.steps.size()); i++) {
            if (i < a.steps.size()) {
                a.steps.get(i).run();
            }
            if (i < b.steps.size()) {
                b.steps.get(i).run();
            }
        }
    }

    static void assertSameOutputs(List<float[]> alone, List<float[]> interleaved, String what) {
        assertEquals(alone.size(), interleaved.size());
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), interleaved.get(i), 0f, what + " output " + i);
        }
    }

    @Test
    void twoInterleavedMatricesGiveWhatEachGivesAlone() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(3);
            NDArray wa = m.randomNormal(new Shape(20, 40));
            NDArray wb = m.randomNormal(new Shape(12, 24));
            NDArray xa = m.randomUniform(-1f, 1f, new Shape(5, 40));
            NDArray xb = m.randomUniform(-1f, 1f, new Shape(7, 24));
            Simulation a = matrixA(wa, xa);
            Simulation b = matrixB(wb, xb);
            runAlone(a);
            runAlone(b);
            Simulation a2 = matrixA(wa, xa);
            Simulation b2 = matrixB(wb, xb);
            runInterleaved(b2, a2); // B's program, drift and calibration come before A's steps
            assertSameOutputs(a.outputs, a2.outputs, "A");
            assertSameOutputs(b.outputs, b2.outputs, "B");
            // the outputs really are noisy: two batches of the same input differ
            assertFalse(Arrays.equals(a.outputs.get(0), a.outputs.get(1)));
            assertFalse(Arrays.equals(b.outputs.get(0), b.outputs.get(1)));
            for (Simulation s : List.of(a, b, a2, b2)) {
                s.close();
            }
        }
    }

    @Test
    void twoInterleavedNetworksGiveWhatEachGivesAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module netA = Models.create("mlp-mnist", m, 1);
            Module netB = Models.create("mlp-mnist", m, 2);
            Rng.seed(4);
            NDArray x = m.randomUniform(0f, 1f, new Shape(6, 1, 28, 28));
            TileConfig cfg = TileConfig.builder().tileSize(128, 128).outputNoise(0.04)
                    .readNoise(TileConfig.ReadNoise.PER_BATCH).build();
            float[][] alone = new float[2][];
            float[][] together = new float[2][];
            try (AnalogNetwork a = AnalogConverter.convert(netA, Set.of(), cfg, PcmModel.defaults())) {
                a.program(21);
                a.driftTo(86400);
                alone[0] = a.forward(x).toFloatArray();
            }
            try (AnalogNetwork b = AnalogConverter.convert(netB, Set.of(), cfg, PcmModel.defaults())) {
                b.program(22);
                b.driftTo(3600);
                try (Undo u = GlobalDriftCompensation.perTile().apply(b)) {
                    alone[1] = b.forward(x).toFloatArray();
                }
            }
            try (AnalogNetwork a = AnalogConverter.convert(netA, Set.of(), cfg, PcmModel.defaults());
                    AnalogNetwork b = AnalogConverter.convert(netB, Set.of(), cfg, PcmModel.defaults())) {
                a.program(21);
                b.program(22);
                b.driftTo(3600);
                a.driftTo(86400);
                try (Undo u = GlobalDriftCompensation.perTile().apply(b)) {
                    b.forward(x).close(); // an extra batch of B between B's calibration and A's forward
                    together[0] = a.forward(x).toFloatArray();
                }
                b.program(22); // B again from the start: its own stream, not shifted by A
                b.driftTo(3600);
                try (Undo u = GlobalDriftCompensation.perTile().apply(b)) {
                    together[1] = b.forward(x).toFloatArray();
                }
            }
            assertArrayEquals(alone[0], together[0], 0f, "A");
            assertArrayEquals(alone[1], together[1], 0f, "B");
        }
    }

    @Test
    void aCalibrationReadDoesNotChangeTheNextForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(5);
            NDArray w = m.randomNormal(new Shape(20, 40));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(5, 40));
            float[][] plain = new float[2][];
            float[][] calibrated = new float[2][];
            for (int run = 0; run < 2; run++) {
                try (AnalogMatrix a = new AnalogMatrix(w, null, noisy())) {
                    a.program(PcmModel.defaults(), RandomStream.of(7));
                    a.driftTo(86400);
                    float[][] out = run == 0 ? plain : calibrated;
                    out[0] = AnalogNetwork.inference(() -> a.forward(x)).toFloatArray();
                    if (run == 1) { // calibration reads (periphery and ideal-analog GDC), undone
                        GlobalDriftCompensation.perTile().apply(a).close();
                        GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG).apply(a)
                                .close();
                    }
                    out[1] = AnalogNetwork.inference(() -> a.forward(x)).toFloatArray();
                }
            }
            assertArrayEquals(plain[0], calibrated[0], 0f);
            assertArrayEquals(plain[1], calibrated[1], 0f, "the forward after the calibration reads");
            assertFalse(Arrays.equals(plain[0], plain[1]), "per-batch reads: the second forward draws anew");
        }
    }
}
