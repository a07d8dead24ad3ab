package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc train with the Lipschitz regularizer: it lowers the penalty, logs spectral norms, records its settings. */
class LipschitzTrainingTest {

    private static TrainConfig cfg(double beta) {
        TrainConfig c = new TrainConfig();
        c.model = "mlp-mnist";
        c.dataset = "mnist-subset";
        c.epochs = 1;
        c.batch = 64;
        c.seed = 3;
        c.threads = 1;
        c.trainLimit = 512;
        c.progress = false;
        c.lipschitzBeta = beta;
        c.lipschitzLambda = 1;
        return c;
    }

    private static double penaltyAfter(TrainConfig c, Path out, ByteArrayOutputStream log) {
        TrainRun.run(c, out, false, null, new PrintStream(log, true, StandardCharsets.UTF_8));
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(out, m);
            assertEquals(c.lipschitzBeta, ck.meta().training.lipschitzBeta, 0, "β recorded");
            return LipschitzRegularizer.value(ck.model(), 1);
        }
    }

    @Test
    void regularizedTrainingLowersThePenaltyAndReportsSpectralNorms(@TempDir Path tmp) {
        ByteArrayOutputStream plainLog = new ByteArrayOutputStream();
        ByteArrayOutputStream lipLog = new ByteArrayOutputStream();
        double plain = penaltyAfter(cfg(0), tmp.resolve("plain"), plainLog);
        double reg = penaltyAfter(cfg(0.05), tmp.resolve("lip"), lipLog);
        assertTrue(reg < 0.9 * plain, "penalty " + reg + " (β 0.05) vs " + plain + " (β 0)");
        String log = lipLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Lipschitz regularization: beta 0.05, lambda 1.0; spectral norms before: 1 ")
                && log.contains("spectral norms after: 1 "), log);
        assertTrue(!plainLog.toString(StandardCharsets.UTF_8).contains("spectral norms"), "off by default");
    }

    @Test
    void hardwareAwareTrainingRegularizesTheNoisyTwins(@TempDir Path tmp) {
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.nn.Module net = dev.aimc.models.Models.create("mlp-mnist", m, 0);
            double before = LipschitzRegularizer.value(net, 1);
            dev.aimc.nn.Module hwa = dev.aimc.nn.hwa.HardwareAware.convert(net,
                    dev.aimc.nn.hwa.HwaConfig.defaults(), java.util.Set.of()).net();
            assertEquals(3, LipschitzRegularizer.weights(hwa).size(), "the three HWA linear layers");
            assertEquals(before, LipschitzRegularizer.value(hwa, 1), 0, "the twins share the weights");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainRun.run(cfg(0.05), tmp.resolve("hwa"), TrainRun.IfExists.REFUSE, null,
                new PrintStream(log, true, StandardCharsets.UTF_8),
                new TrainRun.Extras(dev.aimc.nn.hwa.HwaConfig.defaults(), java.util.Set.of(), null));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("hardware-aware training") && text.contains("spectral norms after: 1 "), text);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(tmp.resolve("hwa"), m);
            assertEquals(0.05, ck.meta().training.lipschitzBeta, 0);
            assertTrue(ck.meta().hwa != null, "HWA recorded");
        }
    }
}
