package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvaluateCommandTest {

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }

    @Test
    void invalidValuesGiveOneLineAndStatus2() {
        String[][] cases = {
            {"--adc-bits", "0", "--adc-bits"},
            {"--dac-bits", "0", "--dac-bits"},
            {"--out-noise", "-0.1", "--out-noise"},
            {"--times", "1,-5", "--times"},
            {"--device", "foo", "--device"},
            {"--read-noise-scale", "-1", "--read-noise-scale"},
            {"--repeats", "0", "--repeats"},
            {"--compensation", "magic", "--compensation"},
        };
        for (String[] c : cases) {
            String[] r = run("evaluate", "--checkpoint", "nowhere", "--out", "x", c[0], c[1]);
            assertEquals("2", r[0], c[0]);
            assertTrue(r[1].startsWith("aimc: " + c[2]), r[1]);
            assertEquals(1, r[1].strip().lines().count(), r[1]);
        }
    }

    /** Item 5: evaluate and demo default to global drift compensation, with none kept to compare. */
    @Test
    void evaluateAndDemoDefaultToGdcThenNone() {
        EvaluateCommand e = new EvaluateCommand();
        new CommandLine(e).parseArgs("--checkpoint", "ck", "--out", "o");
        assertEquals(java.util.List.of("gdc", "none"), e.config().compensationNames());
        DemoCommand d = new DemoCommand();
        new CommandLine(d).parseArgs();
        assertEquals(java.util.List.of("gdc", "none"), d.analogConfig().compensationNames());
    }
}
