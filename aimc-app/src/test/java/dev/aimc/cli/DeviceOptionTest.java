package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.device.DeviceModels;
import dev.aimc.device.DeviceParameter;
import dev.aimc.device.DeviceType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device NAME[:KEY=VALUE,...]} through the command line: help, values reaching the model, errors. */
class DeviceOptionTest {
    @TempDir Path dir;

    /** Runs the CLI in-process (the shared test helper). */
    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void deviceHelpListsEveryKeyOfEveryModelFromTheTables() {
        CliRun r = run("device", "--help");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().map(String::stripTrailing).toList();
        assertTrue(lines.containsAll(DeviceModels.help().stream().map(String::stripTrailing).toList()), r.out());
        int rows = 0;
        for (DeviceType<?> t : DeviceModels.TYPES) {
            assertTrue(lines.contains(t.name() + ": " + t.summary()), t.name() + ":\n" + r.out());
            for (DeviceParameter<?> p : t.parameters()) {
                String row = DeviceModels.helpRow(p.key(), p.unit(), p.defaultText(), p.range()).stripTrailing();
                assertTrue(lines.contains(row), t.name() + " " + p.key() + ":\n" + r.out());
                assertTrue(lines.contains("      " + p.description()), t.name() + " " + p.key());
                rows++;
            }
        }
        assertEquals(4 + 5 + 4 + 7 + 5 + 1, rows); // pcm, pcm-table, hermes, rram, gst-st90, ideal
        assertTrue(r.out().contains("rram:sigma=0.3,bits=2,g-min=10,g-max=100"), r.out());
        // every command's --device help points there
        for (String cmd : List.of("evaluate", "mvm-error", "program", "demo")) {
            CliRun h = run(cmd, "--help");
            assertTrue(h.out().replaceAll("\\s+", " ").contains("every key with its unit and default: aimc device "
                    + "--help"), cmd + ":\n" + h.out());
        }
    }

    /** device stats of rram:sigma=0.3 at 50 µS: log-normal mean 50·exp(σ²/2), std 50·sqrt((e^σ² − 1)·e^σ²). */
    @Test
    void rramKeysReachTheSimulatedDevices() {
        CliRun r = run("device", "stats", "--device", "rram:sigma=0.3,g-min=10,g-max=100", "--g-rel", "0.5,0",
                "--time", "0", "--samples", "100000", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        String[] row = r.out().split("\n")[1].split(",");
        double s2 = 0.3 * 0.3;
        assertEquals(50 * Math.exp(s2 / 2), Double.parseDouble(row[2]), 0.3); // 52.30; SE 0.05
        assertEquals(50 * Math.sqrt((Math.exp(s2) - 1) * Math.exp(s2)), Double.parseDouble(row[3]), 0.3); // 16.05
        // a target of 0 is clipped to g-min = 10 µS before the variation
        String[] low = r.out().split("\n")[2].split(",");
        assertEquals(10 * Math.exp(s2 / 2), Double.parseDouble(low[2]), 0.06);
        // bits=1: two levels, g-min and g-max; sigma=0: exact
        CliRun b = run("device", "stats", "--device", "rram:bits=1,sigma=0,g-min=10,g-max=90", "--g-rel", "0.4,0.6",
                "--time", "0", "--samples", "10");
        assertEquals(0, b.code(), b.err());
        assertEquals("0.4,0,10.0000,0.00000", b.out().split("\n")[1].substring(0, 21));
        assertEquals("0.6,0,90.0000,0.00000", b.out().split("\n")[2].substring(0, 21));
    }

    @Test
    void pcmKeysAndTheSeparateOptionsGiveTheSameNumbers() {
        String[] common = {"--g-rel", "0.5", "--time", "0,86400", "--samples", "20000", "--seed", "4"};
        CliRun a = run(concat(new String[] {"device", "stats", "--device", "pcm:g-max=40,drift-scale=0.5"},
                common));
        CliRun b = run(concat(new String[] {"device", "stats", "--device", "pcm", "--g-max", "40",
            "--drift-scale", "0.5"}, common));
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertEquals(20, Double.parseDouble(a.out().split("\n")[1].split(",")[2]), 0.05, a.out());
    }

    @Test
    void badSpecsExitTwoWithOneLineNamingTheKeyAndValue() {
        String[][] cases = {
            {"flash", "aimc: --device: unknown device model 'flash' in 'flash'; valid: pcm, pcm-table, hermes, rram, gst-st90, ideal"},
            {"rram:foo=1", "aimc: --device rram: unknown key 'foo'; valid keys: g-min, g-max, bits, sigma, "
                + "stuck-min, stuck-max, read-noise"},
            {"rram:sigma", "aimc: --device rram: expected KEY=VALUE, got 'sigma'"},
            {"rram:sigma=-0.1", "aimc: --device rram: sigma must be >= 0, got -0.1"},
            {"rram:bits=17", "aimc: --device rram: bits must be an integer in [0, 16], got 17"},
            {"rram:g-min=50,g-max=20", "aimc: --device rram: g-min must be < g-max, got g-min=50, g-max=20"},
            {"pcm:g-max=0", "aimc: --device pcm: g-max must be > 0, got 0"},
            {"ideal:g-max=x", "aimc: --device ideal: g-max must be a number > 0, got x"},
            {"pcm-table:g-max=30", "aimc: --device pcm-table: file is required"},
        };
        for (String[] c : cases) {
            List<String[]> commands = List.of(
                    new String[] {"device", "stats", "--samples", "10", "--device", c[0]},
                    new String[] {"evaluate", "--checkpoint", dir.resolve("none").toString(), "--out",
                        dir.resolve("out").toString(), "--device", c[0]},
                    new String[] {"mvm-error", "--rows", "8", "--cols", "8", "--device", c[0]},
                    new String[] {"demo", "--out", dir.resolve("demo").toString(), "--device", c[0]});
            for (String[] args : commands) {
                CliRun r = run(args);
                String what = String.join(" ", args);
                assertEquals(2, r.code(), what + ": " + r.err());
                assertTrue(r.err().startsWith(c[1]), what + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), what + ": " + r.err());
            }
        }
    }

    @Test
    void aSeparateOptionAndTheSameKeyInDeviceIsAnError() {
        CliRun r = run("device", "stats", "--samples", "10", "--device", "pcm:g-max=30", "--g-max", "40");
        assertEquals(2, r.code(), r.err());
        assertEquals("aimc: --g-max 40 conflicts with g-max=30 in the device spec pcm:g-max=30; set g-max in one "
                + "place only", r.err().strip());
        CliRun e = run("evaluate", "--checkpoint", dir.resolve("none").toString(), "--out",
                dir.resolve("out").toString(), "--device", "rram:sigma=0.3", "--prog-noise-scale", "2");
        assertEquals(2, e.code(), e.err());
        assertEquals("aimc: --prog-noise-scale 2 conflicts with sigma=0.3 in the device spec rram:sigma=0.3; set "
                + "sigma in one place only", e.err().strip());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
