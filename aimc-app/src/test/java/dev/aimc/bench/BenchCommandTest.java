package dev.aimc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke test of {@code aimc bench --quick}: the output is well formed. No timing is asserted. */
class BenchCommandTest {

    static final List<String> FIELDS = List.of("workload", "variant", "medianMs", "q1Ms", "q3Ms", "reps", "value",
            "unit", "ratio", "target", "pass", "note");

    @Test
    void quickRunPrintsTableAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/bench.json");
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("bench", "--quick", "--json", json.toString());
        assertEquals(0, rc, err.toString());
        String text = out.toString();
        String[] lines = text.split("\n");
        for (String h : BenchReport.HEADER) {
            assertTrue(lines[0].contains(h), "header lacks " + h + ": " + lines[0]);
        }
        assertTrue(lines[1].matches("-+"), lines[1]);
        Set<String> inTable = new HashSet<>();
        for (int i = 2; i < lines.length && !lines[i].isBlank(); i++) {
            inTable.add(lines[i].split("\\s+")[0]);
        }
        assertEquals(new HashSet<>(BenchOptions.ALL), inTable, text);
        assertTrue(text.contains("machine: "), text);

        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertEquals(BenchReport.SCHEMA, root.get("schema").asInt());
        assertTrue(root.get("quick").asBoolean());
        assertTrue(root.get("threads").asInt() >= 1);
        assertEquals(3, root.get("machine").get("loadBefore").size());
        assertTrue(root.get("machine").get("nativeKernels").isTextual());
        assertTrue(text.contains("native kernels: "), text);
        Set<String> inJson = new HashSet<>();
        for (JsonNode r : root.get("results")) {
            for (String f : FIELDS) {
                assertTrue(r.has(f), "result lacks " + f + ": " + r);
            }
            inJson.add(r.get("workload").asText());
            if (r.get("variant").asText().equals("analog")) {
                assertTrue(r.get("ratio").isNumber() && r.get("ratio").asDouble() > 0, r.toString());
                assertTrue(r.get("medianMs").asDouble() > 0, r.toString());
                assertTrue(r.get("pass").isBoolean(), r.toString());
            }
        }
        assertEquals(new HashSet<>(BenchOptions.ALL), inJson);
        try (var s = Files.list(json.getParent())) {
            assertEquals(1, s.count(), "only the JSON file, no temporary left behind");
        }
    }

    @Test
    void badWorkloadIsOneLineErrorWithExit2() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(Main.EXIT_BAD_INPUT, cl.execute("bench", "--workloads", "W1,W99"));
        assertTrue(err.toString().startsWith("aimc: --workloads"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
}
