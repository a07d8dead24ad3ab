package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProgramCommandTest {

    static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void gdpWritesJsonAndChart(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(out, err, "program", "--method", "gdp", "--rows", "32", "--cols", "16", "--iterations", "3",
                "--out", dir.toString(), "--times", "3600", "--inputs", "256");
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().contains("mvm error right after programming"), out.toString());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("program.json").toFile());
        assertEquals("gdp", j.get("method").asText());
        assertTrue(j.get("mvm_error").asDouble() > 0);
        assertTrue(j.get("pulses").asLong() >= 2 * 32 * 16);
        assertTrue(j.has("seconds") && j.has("seed"));
        assertEquals(3, j.get("parameters").get("iterations").asInt());
        assertEquals(0.3, j.get("parameters").get("lr").asDouble(), 1e-12);
        assertEquals(4, j.get("error_vs_iteration").size());
        assertTrue(Files.size(dir.resolve("error_vs_iteration.png")) > 0);
    }

    @Test
    void matrixFileAndVerify(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.txt");
        Files.writeString(f, "1, -0.5, 0.25\n0 0.75 -1\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(out, err, "program", "--method", "verify", "--weights", f.toString(), "--out",
                dir.resolve("o").toString(), "--times", "0", "--inputs", "64");
        assertEquals(0, rc, err.toString());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("o/program.json").toFile());
        assertEquals(3, j.get("parameters").get("rows").asInt());
        assertEquals(2, j.get("parameters").get("cols").asInt());
    }

    @Test
    void verifyToleranceSweepReportsErrorAgainstPulsesForEveryMethod(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(out, err, "program", "--method", "oneshot,verify,gdp", "--verify-tolerance", "1,5", "--rows",
                "24", "--cols", "16", "--iterations", "4", "--repeats", "2", "--out", dir.toString(), "--times",
                "3600", "--inputs", "256");
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().contains("| method | verify tolerance (counts) | pulses/device mean |"), out.toString());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("program.json").toFile());
        JsonNode rows = j.get("rows");
        assertEquals(4, rows.size()); // oneshot, verify ±1, verify ±5, gdp
        assertEquals(8, j.get("runs").size()); // × 2 seeds
        assertEquals("oneshot", rows.get(0).get("method").asText());
        assertEquals(1.0, rows.get(0).get("pulses_per_device").asDouble(), 0);
        assertEquals(1.0, rows.get(1).get("verify_tolerance_counts").asDouble(), 0);
        assertEquals(5.0, rows.get(2).get("verify_tolerance_counts").asDouble(), 0);
        assertTrue(rows.get(1).get("pulses_per_device").asDouble() >= rows.get(2).get("pulses_per_device").asDouble(),
                rows.toString());
        for (JsonNode r : rows) {
            assertTrue(r.get("mvm_error").asDouble() > 0 && r.get("pulses_per_device").asDouble() >= 1, r.toString());
            assertEquals(1, r.get("later").size());
        }
        assertEquals(0, run(new StringWriter(), new StringWriter(), "program", "--method", "verify", "--margin", "2",
                "--rows", "8", "--cols", "8", "--out", dir.resolve("alias").toString(), "--times", "0", "--inputs",
                "32"));
        assertEquals(2.0, new ObjectMapper().readTree(dir.resolve("alias/program.json").toFile()).get("parameters")
                .get("margin_counts").asDouble(), 0);
    }

    @Test
    void invalidValuesExitTwoWithOneLine(@TempDir Path dir) {
        for (String[] bad : new String[][] {{"--method", "anneal"}, {"--lr", "0"}, {"--batch", "0"},
                {"--adc-bits", "1"}, {"--weights", "/no/such/file"}, {"--device", "rram"}, {"--times", "-1"},
                {"--method", "gdp,gdp"}, {"--verify-tolerance", "-1"}, {"--repeats", "0"},
                {"--gdc-calibration", "magic"}}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] args = new String[bad.length + 4];
            args[0] = "program";
            args[1] = "--out";
            args[2] = dir.toString();
            System.arraycopy(bad, 0, args, 3, bad.length);
            args[args.length - 1] = "--rows=8";
            int rc = run(out, err, args);
            assertEquals(2, rc, String.join(" ", bad) + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
        }
    }
}
