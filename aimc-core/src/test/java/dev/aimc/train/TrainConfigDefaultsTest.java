package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.util.ConfigException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 14: no silent CIFAR-10 default (and its augmentation); epochs are 1-based in the API. */
class TrainConfigDefaultsTest {

    @Test
    void aConfigurationWithoutADatasetDoesNotAugmentAndDoesNotValidate() {
        TrainConfig c = new TrainConfig();
        // before: dataset "cifar10", so crop-and-flip for whatever data the Trainer was given (MNIST: 62.7 %)
        assertNull(c.dataset);
        assertFalse(c.augmentation());
        assertNull(c.augmenter(1));
        c.model = "mlp-mnist";
        ConfigException e = assertThrows(ConfigException.class, c::validate);
        assertTrue(e.getMessage().startsWith("--dataset is required"), e.getMessage());
        c.dataset = "mnist";
        assertFalse(c.augmentation());
        c.dataset = "cifar10";
        assertTrue(c.augmentation());
        c.augment = false;
        assertFalse(c.augmentation());
    }

    @Test
    void epochsAreNumberedFromOne(@TempDir Path tmp) {
        TrainConfig c = DemoRunner.config("mlp-mnist", 2, 4);
        c.trainLimit = 256;
        c.threads = 1;
        c.progress = false;
        try (NDManager m = NDManager.newBaseManager()) {
            Dataset d = TrainRun.loadData(c, null, Split.TRAIN);
            Trainer t = new Trainer(Models.create("mlp-mnist", m, 1), m, c.newOptimizer(m), c);
            // before: 0 was the first epoch and 2 of 2 ran a third schedule segment without complaint
            assertThrows(ConfigException.class, () -> t.trainEpoch(d, 0, 2));
            assertThrows(ConfigException.class, () -> t.trainEpoch(d, 3, 2));
            assertTrue(Double.isFinite(t.trainEpoch(d, 1, 2).loss()));
        }
        // and the API's epoch numbers are the checkpoint's: a run of 2 records epochs 1 and 2
        TrainRun.Result r = TrainRun.run(c, tmp.resolve("ck"), false, null,
                new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(2, r.epochs());
        assertEquals(1, r.meta().history.get(0).epoch);
        assertEquals(2, r.meta().history.get(1).epoch);
    }

    /** A Trainer given MNIST and a configuration that names no data set trains exactly as without augmentation. */
    @Test
    void trainerWithoutADatasetNameTrainsWithoutAugmentation() {
        float[][] w = new float[2][];
        for (int k = 0; k < 2; k++) {
            TrainConfig c = new TrainConfig(); // k = 0: no data set named (before: "cifar10", so crop and flip)
            c.model = "mlp-mnist";
            c.batch = 64;
            c.seed = 9;
            c.progress = false;
            if (k == 1) {
                c.dataset = "mnist-subset";
                c.augment = false;
            }
            TrainConfig load = DemoRunner.config("mlp-mnist", 1, 9);
            load.trainLimit = 256;
            load.augment = false;
            try (NDManager m = NDManager.newBaseManager()) {
                Dataset d = TrainRun.loadData(load, null, Split.TRAIN);
                dev.aimc.nn.Module net = Models.create("mlp-mnist", m, 1);
                new Trainer(net, m, c.newOptimizer(m), c).trainEpoch(d, 1, 1);
                w[k] = net.namedParameters().get("1.weight").toFloatArray();
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(w[1], w[0]);
    }
}
