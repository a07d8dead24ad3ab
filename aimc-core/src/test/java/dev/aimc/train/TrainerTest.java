package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.InPlace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static TrainConfig mlp(int epochs, int limit) {
        TrainConfig c = new TrainConfig();
        c.model = "mlp-mnist";
        c.dataset = "mnist-subset";
        c.epochs = epochs;
        c.batch = 64;
        c.optimizer = "sgd";
        c.lr = 0.05;
        c.momentum = 0.9;
        c.weightDecay = 5e-4;
        c.schedule = "cosine";
        c.seed = 7;
        c.threads = 2;
        c.trainLimit = limit;
        c.progress = false;
        return c;
    }

    private static Map<String, float[]> weights(Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = Checkpoint.load(dir, m);
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            c.model().namedParameters().forEach((k, a) -> out.put(k, a.toFloatArray()));
            return out;
        }
    }

    @Test
    void mlpOnEmbeddedMnistSubsetClearsChanceByFar(@TempDir Path tmp) {
        // One epoch over the 10,000 embedded training images; 10 % is chance.
        TrainRun.Result r = TrainRun.run(mlp(1, 0), tmp.resolve("mlp"), false, null, QUIET);
        assertTrue(r.testAccuracy() > 0.88, "test accuracy " + r.testAccuracy());
    }

    @Test
    void sameSeedSameResult(@TempDir Path tmp) {
        TrainRun.Result a = TrainRun.run(mlp(2, 1000), tmp.resolve("a"), false, null, QUIET);
        TrainRun.Result b = TrainRun.run(mlp(2, 1000), tmp.resolve("b"), false, null, QUIET);
        assertEquals(a.testAccuracy(), b.testAccuracy());
        Map<String, float[]> wa = weights(tmp.resolve("a"));
        Map<String, float[]> wb = weights(tmp.resolve("b"));
        wa.forEach((k, v) -> assertArrayEquals(v, wb.get(k), k));
    }

    @Test
    void resumeEqualsUninterrupted(@TempDir Path tmp) {
        TrainRun.run(mlp(2, 1000), tmp.resolve("straight"), false, null, QUIET);
        TrainConfig first = mlp(2, 1000);
        first.stopAfter = 1; // "killed" after epoch 1
        TrainRun.Result half = TrainRun.run(first, tmp.resolve("resumed"), false, null, QUIET);
        assertEquals(1, half.epochs());
        TrainRun.Result rest = TrainRun.run(mlp(2, 1000), tmp.resolve("resumed"), true, null, QUIET);
        assertEquals(2, rest.epochs());
        Map<String, float[]> wa = weights(tmp.resolve("straight"));
        Map<String, float[]> wb = weights(tmp.resolve("resumed"));
        wa.forEach((k, v) -> assertArrayEquals(v, wb.get(k), 1e-6f, k));
    }

    @Test
    void afterStepCallbackRunsEveryStep() {
        TrainConfig c = mlp(1, 256);
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.nn.Module net = dev.aimc.models.Models.create("mlp-mnist", m, 1);
            Trainer t = new Trainer(net, m, c.newOptimizer(m), c);
            int[] calls = {0};
            t.afterStepCallbacks().add(model -> {
                calls[0]++;
                NDArray w = model.namedParameters().get("1.weight");
                InPlace.assign(w, w.clip(-0.01f, 0.01f).toFloatArray()); // e.g. weight clipping
            });
            t.trainEpoch(TrainRun.loadData(c, null, dev.aimc.data.Split.TRAIN), 1, 1);
            assertEquals(4, calls[0]);
            float[] w = net.namedParameters().get("1.weight").toFloatArray();
            for (float v : w) {
                assertTrue(Math.abs(v) <= 0.01f + 1e-7f);
            }
        }
    }

    @Test
    void stepsLeaveNoArraysInTheModelManager() {
        TrainConfig c = mlp(2, 512);
        c.optimizer = "adam";
        c.weightDecay = 1e-4;
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.nn.Module net = dev.aimc.models.Models.create("mlp-mnist", m, 1);
            Trainer t = new Trainer(net, m, c.newOptimizer(m), c);
            dev.aimc.data.Dataset d = TrainRun.loadData(c, null, dev.aimc.data.Split.TRAIN);
            t.trainEpoch(d, 1, 2);
            int after1 = m.getManagedArrays().size(); // parameters + optimizer state
            t.trainEpoch(d, 2, 2);
            Accuracy.top1(net, d, 100, m);
            assertEquals(after1, m.getManagedArrays().size());
            assertEquals(net.namedParameters().size() * 3, after1);
        }
    }
}
