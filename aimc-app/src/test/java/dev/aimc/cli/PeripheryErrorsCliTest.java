package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The periphery-error options of {@code aimc program} and {@code aimc mvm-error}. */
class PeripheryErrorsCliTest {

    @Test
    void programRecordsThePeripheryAndGdpBeatsVerifyUnderAdcGainErrors(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = ProgramCommandTest.run(out, err, "program", "--method", "verify,gdp", "--verify-tolerance", "1",
                "--rows", "48", "--cols", "48", "--adc-gain-std", "0.1", "--adc-offset-std", "0.5", "--ir-drop", "1e-5",
                "--times", "1", "--inputs", "512", "--out", dir.toString());
        assertEquals(0, rc, err.toString());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("program.json").toFile());
        JsonNode p = j.get("parameters");
        assertEquals(1e-5, p.get("ir_drop_r_gmax").asDouble(), 0);
        assertEquals(0.1, p.get("adc_gain_std").asDouble(), 0);
        assertEquals(0.5, p.get("adc_offset_std_counts").asDouble(), 0);
        assertTrue(!p.get("verify_reads_through_adc").asBoolean());
        JsonNode rows = j.get("rows");
        double verify = rows.get(0).get("mvm_error").asDouble();
        double gdp = rows.get(1).get("mvm_error").asDouble();
        // GDP sees the column gains and the IR drop through its MVMs; verify reads cells by an ideal converter and
        // cannot (through the column ADC its reads would absorb the gain: VerifyThroughAdcTest)
        assertTrue(gdp < verify, "gdp " + gdp + " verify " + verify);
        Path d2 = dir.resolve("through");
        assertEquals(0, ProgramCommandTest.run(new StringWriter(), err, "program", "--method", "verify", "--rows", "8",
                "--cols", "8", "--adc-gain-std", "0.1", "--out-noise", "0.02", "--verify-reads-through-adc",
                "--times", "1", "--inputs", "64", "--out", d2.toString()), err.toString());
        JsonNode p2 = new ObjectMapper().readTree(d2.resolve("program.json").toFile()).get("parameters");
        assertTrue(p2.get("verify_reads_through_adc").asBoolean());
        assertEquals(0.02, p2.get("out_noise").asDouble(), 0);
    }

    @Test
    void badValuesAreOneLineErrorsNamingTheOption(@TempDir Path dir) {
        for (String[] a : new String[][] {{"--ir-drop", "-1"}, {"--adc-gain-std", "1.5"}, {"--adc-offset-std", "-2"}}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int rc = ProgramCommandTest.run(out, err, "program", "--rows", "8", "--cols", "8", a[0], a[1], "--out",
                    dir.resolve("x").toString());
            assertEquals(2, rc, err.toString());
            String e = err.toString().strip();
            assertTrue(e.contains(a[0]) && !e.contains("\n") && !e.contains("Exception"), e);
        }
        StringWriter err = new StringWriter();
        int rc = ProgramCommandTest.run(new StringWriter(), err, "mvm-error", "--rows", "8", "--cols", "8",
                "--ir-drop", "-1");
        assertEquals(2, rc, err.toString());
        assertTrue(err.toString().contains("--ir-drop"), err.toString());
    }
}
