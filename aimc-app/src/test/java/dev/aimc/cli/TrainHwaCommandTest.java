package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc train --hwa / --init: HwaConfig in the metadata, plain parameter names, clipped weights, fine-tuning. */
class TrainHwaCommandTest {
    @TempDir Path dir;

    @Test
    void hwaTrainingRecordsConfigAndLoadsAsPlainNetwork() {
        Path base = dir.resolve("base");
        assertEquals(0, Main.commandLine().execute("train", "--model", "mlp-mnist", "--epochs", "1",
                "--train-limit", "256", "--batch", "64", "--out", base.toString(), "--threads", "1", "--no-progress"));
        Path hwa = dir.resolve("hwa");
        assertEquals(0, Main.commandLine().execute("train", "--model", "mlp-mnist", "--epochs", "1",
                "--train-limit", "256", "--batch", "64", "--out", hwa.toString(), "--threads", "1", "--no-progress",
                "--init", base.toString(), "--hwa", "--noise-eta", "0.038", "--clip-sigma", "2.5",
                "--hwa-dac-bits", "8", "--hwa-adc-bits", "8"));
        CheckpointMeta meta = Checkpoint.readMeta(hwa);
        HwaConfig cfg = HwaConfig.fromMap(meta.hwa);
        assertEquals(0.038, cfg.noiseEta(), 1e-12);
        assertEquals(HwaConfig.ClipMode.SIGMA, cfg.clipMode());
        assertEquals(8, cfg.dacBits());
        assertEquals(8, cfg.adcBits());
        assertEquals(base.toString(), meta.initCheckpoint);
        assertEquals(1, meta.initEpochs);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(hwa, m); // plain mlp-mnist: same parameter names
            NDArray w = ck.model().namedParameters().get("1.weight");
            double mean = w.mean().getFloat();
            double sd = Math.sqrt(w.sub((float) mean).square().sum().getFloat() / (w.size() - 1));
            assertTrue(w.abs().max().getFloat() <= 2.5 * sd * 1.05 + 1e-6, "weights clipped to about 2.5 sigma");
        }
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("train", "--model", "mlp-mnist", "--epochs", "1", "--out",
                dir.resolve("bad").toString(), "--hwa", "--noise-kind", "loud", "--no-progress"));
        assertTrue(err.toString().contains("noise-kind"), err.toString());
    }
}
