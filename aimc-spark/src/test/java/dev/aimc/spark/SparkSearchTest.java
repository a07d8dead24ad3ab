package dev.aimc.spark;

import static dev.aimc.spark.SparkTestSupport.ROOT;
import static dev.aimc.spark.SparkTestSupport.aimc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The design searches with {@code --spark local[2]}: each step's candidates run as the tasks of a Spark job on two
 * task threads, side by side, and the results (every candidate, the front, the choice) equal the in-process run's
 * bit for bit, timing fields aside. Tiny settings: a few candidates each.
 */
class SparkSearchTest {
    /** Fields that hold wall times or the machine: they differ between two runs of the same search. */
    private static final Set<String> TIMING = Set.of("seconds", "secondsPerCandidate", "searchSeconds",
            "provenance");

    /** The document without its timing fields, at any depth. */
    static JsonNode withoutTiming(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = ((ObjectNode) n).deepCopy();
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                if (TIMING.contains(f)) {
                    o.remove(f);
                } else {
                    o.set(f, withoutTiming(o.get(f)));
                }
            }
            return o;
        }
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode a = ((com.fasterxml.jackson.databind.node.ArrayNode) n)
                    .deepCopy();
            for (int i = 0; i < a.size(); i++) {
                a.set(i, withoutTiming(a.get(i)));
            }
            return a;
        }
        return n;
    }

    /** Runs {@code args} in process and with --spark local[2]; returns both documents, checked equal. */
    private static JsonNode[] inProcessAndSpark(String name, Path inProcess, Path spark, List<String> args,
            String... outOption) throws IOException {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of(outOption[0], inProcess.toString()));
        SparkTestSupport.Run in = aimc(a);
        assertEquals(0, in.code(), in.err());
        List<String> b = new ArrayList<>(args);
        b.addAll(List.of(outOption[0], spark.toString(), "--spark", "local[2]"));
        SparkTestSupport.Run sp = aimc(b);
        assertEquals(0, sp.code(), sp.err());
        Path fi = outOption.length > 1 ? inProcess.resolve(outOption[1]) : inProcess;
        Path fs = outOption.length > 1 ? spark.resolve(outOption[1]) : spark;
        ObjectMapper om = new ObjectMapper();
        JsonNode di = om.readTree(fi.toFile());
        JsonNode ds = om.readTree(fs.toFile());
        assertEquals(withoutTiming(di), withoutTiming(ds), name + ": --spark local[2] differs from the in-process run");
        return new JsonNode[] {di, ds};
    }

    @Test
    void quantSearchOnLocal2EqualsTheInProcessRun() throws IOException {
        Path base = ROOT.resolve("search-quant");
        SparkTestSupport.deleteTree(base);
        Files.createDirectories(base);
        List<String> args = List.of("quant-search", "--checkpoint", SparkTestSupport.checkpoint().toString(),
                "--sigma", "0.3", "--chips", "2", "--val-limit", "300", "--max-evaluations", "5", "--test-limit", "50",
                "--seed", "4", "--threads", "1");
        JsonNode[] d = inProcessAndSpark("quant-search", base.resolve("in.json"), base.resolve("spark.json"), args,
                "--json");
        JsonNode ev = d[1].get("evaluated");
        assertEquals(5, ev.size(), "the baseline and one step of four candidates");
        // the candidates differ (chips and designs): the equality above is not of constants
        assertTrue(ev.findValues("accuracy").stream().map(JsonNode::asDouble).distinct().count() > 1, ev.toString());
        assertTrue(d[1].get("test").get("images").asInt() == 50, d[1].toString());
        System.out.println("local[2] quant-search: 5 candidates and the test evaluation equal to the in-process run");
    }

    @Test
    void placeCompensationOnLocal2EqualsTheInProcessRun() throws IOException {
        Path base = ROOT.resolve("search-place");
        SparkTestSupport.deleteTree(base);
        Files.createDirectories(base);
        List<String> args = List.of("place-compensation", "--checkpoint", SparkTestSupport.checkpoint().toString(),
                "--sigma", "0.3", "--chips", "2", "--val-limit", "300", "--layers", "0,3,9", "--episodes", "4",
                "--rl-batch", "2", "--comp-train-limit", "128", "--seed", "2", "--threads", "1");
        JsonNode[] d = inProcessAndSpark("place-compensation", base.resolve("in.json"), base.resolve("spark.json"),
                args, "--json");
        JsonNode placements = d[1].get("placements");
        assertTrue(placements.size() >= 6, "none, everywhere, three single sites, prefixes: " + placements);
        assertTrue(placements.findValues("accuracy").stream().map(JsonNode::asDouble).distinct().count() > 1,
                placements.toString());
        System.out.println("local[2] place-compensation: " + placements.size() + " placements equal to the "
                + "in-process run");
    }

    @Test
    void archSearchOnLocal2EqualsTheInProcessRun() throws IOException {
        assumeTrue(System.getenv("AIMC_DATA") != null, "AIMC_DATA not set: HAR data needed");
        Path base = ROOT.resolve("search-arch");
        SparkTestSupport.deleteTree(base);
        List<String> args = List.of("arch-search", "--dataset", "har265", "--budget", "5", "--population", "2",
                "--seed", "3", "--widths", "16,32", "--baseline", "32,16", "--proxy-fp-epochs", "1",
                "--proxy-qat-epochs", "1", "--val-limit", "500", "--threads", "1");
        JsonNode[] d = inProcessAndSpark("arch-search", base.resolve("in"), base.resolve("spark"), args, "--out",
                "search.json");
        JsonNode c = d[1].get("candidates");
        assertEquals(5, c.size(), "two initial designs, then generations of two children");
        assertTrue(c.findValues("validationAccuracy").stream().map(JsonNode::asDouble).distinct().count() > 1,
                c.toString());
        System.out.println("local[2] arch-search: 5 designs trained side by side, equal to the in-process run");
    }
}
