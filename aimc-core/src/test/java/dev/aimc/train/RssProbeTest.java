package dev.aimc.train;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Memory and speed probe (opt-in: {@code -Daimc.probe=true}; model {@code -Daimc.probe.model}, steps
 * {@code -Daimc.probe.steps}): trains on synthetic uint8 data of the model's input shape, prints VmRSS and
 * images/s at a few points. Measures only; asserts nothing.
 */
@EnabledIfSystemProperty(named = "aimc.probe", matches = "true")
class RssProbeTest {

    static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void probe() throws Exception {
        String model = System.getProperty("aimc.probe.model", "lenet5");
        int totalSteps = Integer.getInteger("aimc.probe.steps", 2000);
        int chunk = Integer.getInteger("aimc.probe.chunk", 250);
        int batch = 128;
        int[] shape = java.util.Arrays.stream(Models.inputShape(model).getShape()).mapToInt(x -> (int) x).toArray();
        int sample = 1;
        for (int d : shape) {
            sample *= d;
        }
        int n = batch * chunk;
        byte[] px = new byte[n * sample];
        new Random(1).nextBytes(px);
        int[] labels = new Random(2).ints(n, 0, 10).toArray();
        float[] mean = new float[shape[0]];
        float[] std = new float[shape[0]];
        java.util.Arrays.fill(mean, 0.5f);
        java.util.Arrays.fill(std, 0.25f);
        Dataset d = Dataset.ofBytes("synthetic", shape, px, labels, List.of("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9"), dev.aimc.data.Normalization.uint8(mean, std));
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.dataset = "cifar10";
        c.batch = batch;
        c.augment = false;
        c.progress = false;
        c.epochs = totalSteps / chunk;
        TrainRun.setThreads(c.threadCount());
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create(model, m, 0);
            Trainer t = new Trainer(net, m, c.newOptimizer(m), c);
            System.out.printf("PROBE %s threads=%d step 0 RSS %d MiB%n", model, c.threadCount(), rssKb() / 1024);
            for (int e = 0; e < c.epochs; e++) {
                Trainer.EpochStats st = t.trainEpoch(d, e + 1, c.epochs);
                Runtime rt = Runtime.getRuntime();
                System.out.printf("PROBE %s step %d RSS %d MiB, Java heap used %d MiB, arrays in model manager %d,"
                        + " %.0f img/s, loss %.3f%n", model, (e + 1) * chunk, rssKb() / 1024,
                        (rt.totalMemory() - rt.freeMemory()) >> 20, m.getManagedArrays().size(),
                        st.imagesPerSecond(), st.loss());
            }
        }
    }
}
