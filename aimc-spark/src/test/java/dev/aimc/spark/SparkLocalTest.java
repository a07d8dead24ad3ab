package dev.aimc.spark;

import static dev.aimc.spark.SparkTestSupport.ROOT;
import static dev.aimc.spark.SparkTestSupport.aimc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --spark local[2]}: Spark's real engine with two task threads in this JVM. Same seeds and one thread per
 * task give results bit-identical to the in-process run, for {@code aimc evaluate} and {@code aimc run}; bad masters
 * are one-line errors naming {@code --spark}, exit status 2, with nothing written.
 */
class SparkLocalTest {
    @Test
    void evaluateOnLocal2EqualsTheInProcessRunBitForBit() throws IOException {
        Path base = ROOT.resolve("local-evaluate");
        SparkTestSupport.deleteTree(base);
        SparkTestSupport.Run in = aimc(SparkTestSupport.evaluate(base.resolve("in-process"), 4, 200));
        assertEquals(0, in.code(), in.err());
        SparkTestSupport.Run sp = aimc(SparkTestSupport.evaluate(base.resolve("spark"), 4, 200, "--spark",
                "local[2]"));
        assertEquals(0, sp.code(), sp.err());
        SparkTestSupport.assertSameResults(base.resolve("in-process"), base.resolve("spark"));
        JsonNode r = SparkTestSupport.results(base.resolve("spark"));
        assertEquals(4 * 2 * 2, r.get("repeats").size());
        // the chips differ (programming noise): equality above is not of constants
        assertTrue(r.get("repeats").findValues("accuracy").stream().map(JsonNode::asDouble).distinct()
                .count() > 2, r.get("repeats").toString());
        System.out.println("local[2] evaluate: 4 chips x 2 times x 2 variants equal to the in-process run, bit for"
                + " bit");
    }

    @Test
    void runOnLocal2EqualsTheInProcessRunBitForBit() throws IOException {
        Path base = ROOT.resolve("local-run");
        SparkTestSupport.deleteTree(base);
        Files.createDirectories(base);
        Path yaml = base.resolve("exp.yaml");
        Files.writeString(yaml, String.join("\n", "name: spark-run", "dataset: mnist-subset", "networks:",
                "  - name: net", "    model: lenet5-mnist", "    checkpoint: "
                        + SparkTestSupport.checkpoint().toAbsolutePath(),
                "evaluation:", "  device: pcm", "  times: [1s, 1h]", "  repeats: 3", "  seed: 5",
                "  compensations: [none, gdc]", "  testLimit: 150", "  cost: true", ""));
        SparkTestSupport.Run in = aimc("run", yaml.toString(), "--out", base.resolve("in-process").toString(),
                "--threads", "1", "--no-progress");
        assertEquals(0, in.code(), in.err());
        SparkTestSupport.Run sp = aimc("run", yaml.toString(), "--out", base.resolve("spark").toString(),
                "--threads", "1", "--no-progress", "--spark", "local[2]");
        assertEquals(0, sp.code(), sp.err());
        SparkTestSupport.assertSameResults(base.resolve("in-process/net"), base.resolve("spark/net"));
        SparkTestSupport.assertSameResults(base.resolve("in-process"), base.resolve("spark"));
        assertTrue(Files.exists(base.resolve("spark/summary.md")));
        System.out.println("local[2] run: experiment file's 3 chips equal to the in-process run, bit for bit");
    }

    @Test
    void aMasterThatIsNotOneOrCannotBeReachedIsOneLineAndWritesNothing() throws IOException {
        Path out = ROOT.resolve("bad-master");
        SparkTestSupport.deleteTree(out);
        SparkTestSupport.Run r = aimc(SparkTestSupport.evaluate(out, 2, 50, "--spark", "localhost:7077"));
        r.assertBadInput("--spark localhost:7077", "not a Spark master URL");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        r = aimc(SparkTestSupport.evaluate(out, 2, 50, "--spark", "spark://127.0.0.1:" + port));
        r.assertBadInput("--spark spark://127.0.0.1:" + port, "cannot reach the master");
        r = aimc(SparkTestSupport.evaluate(out, 2, 50, "--spark", "yarn"));
        r.assertBadInput("--spark yarn", "spark-submit");
        r = aimc(SparkTestSupport.evaluate(out, 2, 50, "--spark", "local[0]"));
        r.assertBadInput("--spark local[0]", "not a Spark master URL");
        assertFalse(Files.exists(out), "nothing written for a bad master");
        for (String m : List.of("local", "local[2]", "local[*]", "local[2,3]", "spark://a:7077,b:7078")) {
            SparkMasters.check("--spark", m.startsWith("spark") ? "local" : m); // accepted forms
            assertTrue(SparkMasters.isLocal(m) || SparkMasters.standalone(m).size() == 2, m);
        }
    }
}
