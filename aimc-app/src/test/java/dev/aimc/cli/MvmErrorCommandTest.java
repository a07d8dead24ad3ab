package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** aimc mvm-error: defaults measure the device, not ADC clipping; the saturated fraction is printed. */
class MvmErrorCommandTest {

    private static String run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute(args), out.toString());
        return out.toString();
    }

    /** The "none" row at 1 s: {MVM error %, ADC saturated %}. */
    private static double[] row(String out) {
        String line = out.lines().filter(l -> l.startsWith("none")).findFirst().orElseThrow();
        String[] f = line.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[3]), Double.parseDouble(f[5])};
    }

    /** Before: an ideal device showed 19.2 % MVM error at the default ADC range of 12 (512 rows): clipping. */
    @Test
    void anIdealDeviceHasASmallErrorAtTheDefaults() {
        String out = run("mvm-error", "--device", "ideal", "--cols", "64", "--inputs", "256", "--times", "1",
                "--compensation", "none", "--threads", "1");
        assertTrue(out.contains("range 30.2 (auto: 4 sqrt(rows)/3)"), out);
        assertTrue(out.lines().anyMatch(l -> l.contains("ADC sat. (%)")), out);
        double[] r = row(out);
        assertTrue(r[0] < 1.5, "ideal-device MVM error " + r[0] + " %\n" + out);
        assertTrue(r[1] < 0.05, "saturated " + r[1] + " %\n" + out);
    }

    @Test
    void aTooSmallRangeShowsItsSaturationAndSaysSo() {
        String out = run("mvm-error", "--device", "ideal", "--cols", "64", "--inputs", "256", "--times", "1",
                "--compensation", "none", "--adc-range", "12", "--threads", "1");
        double[] r = row(out);
        assertTrue(r[0] > 15, out);
        assertTrue(r[1] > 5, "a 1.6-std range clips > 5 % of the outputs\n" + out);
        assertTrue(out.contains("note: the ADC saturated up to"), out);
    }

    @Test
    void badRangeIsOneLine() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("mvm-error", "--adc-range", "wide"));
        assertEquals("aimc: --adc-range must be a number > 0 or auto, got wide", err.toString().strip());
    }

    @Test
    void helpExplainsTheAdcRange() {
        String help = Main.commandLine().getSubcommands().get("mvm-error").getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(help.contains("an ideal device shows 19 % at range 12 with 512 rows"), help);
        assertTrue(help.contains("(default: auto)"), help);
    }
}
