package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.models.Models;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.train.TrainConfig;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aimc evaluate --programming} end to end and {@code aimc program --weights CHECKPOINT:layer}. */
class ProgrammingCliTest {
    @TempDir
    static Path dir;
    static Path ck;

    /** An (untrained) LeNet-5 checkpoint for the embedded MNIST subset. */
    @BeforeAll
    static void checkpoint() {
        ck = dir.resolve("ck");
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointMeta meta = new CheckpointMeta();
            meta.architecture = "lenet5-mnist";
            meta.dataset = "mnist-subset";
            meta.training = new TrainConfig();
            meta.training.model = meta.architecture;
            meta.training.dataset = meta.dataset;
            meta.epoch = 0;
            meta.testAccuracy = 0.1;
            Checkpoint.save(ck, Models.create("lenet5-mnist", m, 1), null, meta);
        }
    }

    @Test
    void evaluateProgramsEveryLayerWithTheAlgorithm() throws Exception {
        for (String method : new String[] {"verify", "gdp"}) {
            Path out = dir.resolve("eval-" + method);
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int rc = ProgramCommandTest.run(o, e, "evaluate", "--checkpoint", ck.toString(), "--out", out.toString(),
                    "--programming", method, "--repeats", "1", "--times", "1,1d", "--test-limit", "64",
                    "--threads", "1", "--no-progress");
            assertEquals(0, rc, e.toString());
            JsonNode j = new ObjectMapper().readTree(out.resolve("results.json").toFile());
            assertTrue(j.toString().contains("\"programming\":\"" + method + "\""), j.toString());
            assertTrue(Files.size(out.resolve("report.html")) > 0);
        }
    }

    /**
     * The periphery errors of {@code aimc program} reach the evaluated tiles and the programming algorithm: the
     * configuration recorded in results.json has the wire resistance, the ADC mismatch, the verify margin and the
     * verify reads through the ADC.
     */
    @Test
    void evaluateTakesThePeripheryErrorsAndTheVerifySettings() throws Exception {
        Path out = dir.resolve("eval-periphery");
        StringWriter e = new StringWriter();
        int rc = ProgramCommandTest.run(new StringWriter(), e, "evaluate", "--checkpoint", ck.toString(), "--out",
                out.toString(), "--programming", "verify", "--verify-tolerance", "1", "--verify-reads-through-adc",
                "--ir-drop", "1e-6", "--adc-gain-std", "0.05", "--adc-offset-std", "1", "--out-noise", "0.04",
                "--repeats", "1", "--times", "1", "--test-limit", "64", "--threads", "1", "--no-progress");
        assertEquals(0, rc, e.toString());
        JsonNode c = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("configuration");
        assertEquals(1e-6, c.get("tile").get("wireResistance").asDouble(), 0);
        assertEquals(0.05, c.get("tile").get("adcGainStd").asDouble(), 0);
        assertEquals(1.0, c.get("tile").get("adcOffsetStd").asDouble(), 0);
        assertTrue(c.get("programmingAlgorithm").asText().contains("marginCounts=1.0"), c.toString());
        assertTrue(c.get("cellReadsThroughAdc").asBoolean(), c.toString());
    }

    @Test
    void evaluateRejectsBadProgramming() {
        String[][] cases = {{"--programming", "anneal"}, {"--programming", "gdp", "--mapping", "unipolar-offset"},
            {"--programming", "verify", "--device", "rram"}, {"--programming", "verify", "--verify-tolerance", "-1"},
            {"--ir-drop", "-1"}, {"--adc-gain-std", "NaN"}};
        for (String[] c : cases) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            String[] args = new String[c.length + 5];
            args[0] = "evaluate";
            args[1] = "--checkpoint";
            args[2] = ck.toString();
            args[3] = "--out";
            args[4] = dir.resolve("bad").toString();
            System.arraycopy(c, 0, args, 5, c.length);
            int rc = ProgramCommandTest.run(o, e, args);
            assertEquals(2, rc, String.join(" ", c) + ": " + e);
            assertEquals(1, e.toString().strip().lines().count(), e.toString());
            assertTrue(e.toString().contains("--"), e.toString());
        }
    }

    @Test
    void programLoadsACheckpointLayer() throws Exception {
        Path out = dir.resolve("prog");
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = ProgramCommandTest.run(o, e, "program", "--method", "gdp", "--iterations", "3", "--weights",
                ck + ":3", "--out", out.toString(), "--times", "3600", "--inputs", "256");
        assertEquals(0, rc, e.toString());
        JsonNode j = new ObjectMapper().readTree(out.resolve("program.json").toFile());
        assertEquals(150, j.get("parameters").get("rows").asInt()); // conv 6→16 k5 unrolled to [16, 6·5·5]
        assertEquals(16, j.get("parameters").get("cols").asInt());
        assertEquals("3", j.get("parameters").get("layer").asText());
        assertTrue(j.get("mvm_error").asDouble() > 0 && j.get("mvm_error").asDouble() < 0.5);
        // no layer: the first Linear/Conv2d layer
        rc = ProgramCommandTest.run(new StringWriter(), e, "program", "--method", "oneshot", "--weights",
                ck.toString(), "--out", out.toString(), "--times", "1", "--inputs", "64");
        assertEquals(0, rc, e.toString());
        j = new ObjectMapper().readTree(out.resolve("program.json").toFile());
        assertEquals("0", j.get("parameters").get("layer").asText());
        assertEquals(25, j.get("parameters").get("rows").asInt());
    }

    @Test
    void badCheckpointLayerIsOneLineNamingIt() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = ProgramCommandTest.run(o, e, "program", "--weights", ck + ":fc9", "--out",
                dir.resolve("x").toString());
        assertEquals(2, rc, e.toString());
        String msg = e.toString().strip();
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("'fc9'") && msg.contains("--weights"), msg);
        // a layer path that is not a Linear/Conv2d (ReLU at 1) is refused the same way
        StringWriter e2 = new StringWriter();
        assertEquals(2, ProgramCommandTest.run(o, e2, "program", "--weights", ck + ":1", "--out",
                dir.resolve("x").toString()));
        assertTrue(e2.toString().contains("'1'"), e2.toString());
    }
}
