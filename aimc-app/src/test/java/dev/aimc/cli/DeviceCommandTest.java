package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCommandTest {
    static final String HEADER = "g_rel,time_s,prog_mean_us,prog_std_us,nu_mean,nu_std,g_mean_us,g_std_us";

    /** Runs the CLI in-process (the shared test helper). */
    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void statsPrintsHeaderAndOneRowPerTargetAndTime() {
        CliRun r = run("device", "stats", "--device", "pcm", "--g-rel", "0.1,0.5,1.0",
                "--time", "0,3600,86400,31536000", "--samples", "20000", "--seed", "1");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(HEADER, lines[0]);
        assertEquals(1 + 3 * 4, lines.length);
        assertTrue(lines[1].startsWith("0.1,0,"), lines[1]);
        assertTrue(lines[12].startsWith("1,31536000,"), lines[12]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            assertEquals(8, f.length, lines[i]);
            for (String v : f) {
                assertTrue(Double.isFinite(Double.parseDouble(v)), lines[i]);
            }
        }
        // g_rel = 0.5: programmed mean ≈ 12.5 µS, σ_prog ≈ 0.953 µS, ν ≈ |N(0.049, 0.008)|; conductance decays
        String[] row = lines[5].split(",");
        assertEquals(12.5, Double.parseDouble(row[2]), 0.05);
        assertEquals(0.9527, Double.parseDouble(row[3]), 0.03);
        assertEquals(0.049, Double.parseDouble(row[4]), 0.001);
        double g0 = Double.parseDouble(lines[5].split(",")[6]);
        double gYear = Double.parseDouble(lines[8].split(",")[6]);
        assertEquals(12.5 * Math.pow(31536020 / 20.0, -0.049), gYear, 0.2);
        assertTrue(gYear < g0);
    }

    @Test
    void noiseFreeStatsAreExact() {
        CliRun r = run("device", "stats", "--g-rel", "0.5", "--time", "0,1000", "--samples", "10",
                "--prog-noise-scale", "0", "--drift-scale", "0", "--read-noise-scale", "0", "--g-max", "40");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length);
        String[] f = lines[2].split(",");
        assertEquals(20.0, Double.parseDouble(f[2]));
        assertEquals(0.0, Double.parseDouble(f[3]));
        assertEquals(0.0, Double.parseDouble(f[4]));
        assertEquals(20.0, Double.parseDouble(f[6]));
        assertEquals(0.0, Double.parseDouble(f[7]));
    }

    @Test
    void sameSeedSameOutputDifferentSeedDifferent() {
        String[] base = {"device", "stats", "--device", "pcm", "--g-rel", "0.2,0.9", "--time", "0,100",
            "--samples", "5000", "--seed"};
        String a = run(concat(base, "5")).out();
        String b = run(concat(base, "5")).out();
        String c = run(concat(base, "6")).out();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void otherDevices(@TempDir Path dir) throws IOException {
        CliRun r = run("device", "stats", "--device", "rram", "--g-rel", "0,1", "--time", "0", "--samples", "1000");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().split("\n").length);
        Path csv = dir.resolve("nu.csv");
        Files.writeString(csv, "g,m,s\n0,0.1,0.02\n25,0.05,0.01\n");
        r = run("device", "stats", "--device", "pcm-table:" + csv, "--g-rel", "1", "--time", "0", "--samples", "20000");
        assertEquals(0, r.code(), r.err());
        assertEquals(0.05, Double.parseDouble(r.out().split("\n")[1].split(",")[4]), 0.001);
        r = run("device", "stats", "--device", "ideal", "--g-rel", "0.3", "--time", "5", "--samples", "3");
        assertEquals("0.3,5,7.50000,0.00000,0.00000,0.00000,7.50000,0.00000", r.out().split("\n")[1]);
    }

    @Test
    void badOptionsExitWithStatus2AndOneLine() {
        String[][] bad = {
            {"--device", "flash"},
            {"--samples", "0"},
            {"--g-rel", "1.5"},
            {"--g-rel", "-0.1"},
            {"--time", "-1"},
            {"--drift-scale", "-1"},
            {"--prog-noise-scale", "-2"},
            {"--read-noise-scale", "-3"},
            {"--g-max", "0"},
            {"--samples", "abc"},
            {"--bogus"},
            {"--device", "pcm-table:/nonexistent/nu.csv"},
        };
        for (String[] b : bad) {
            CliRun r = run(concat(new String[] {"device", "stats", "--samples", "10"}, b));
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
            assertTrue(r.err().startsWith("aimc: "), r.err());
            assertEquals(1, r.err().strip().split("\n").length, r.err());
            assertEquals("", r.out(), String.join(" ", b));
        }
        assertEquals("aimc: --device: unknown device model 'flash' in 'flash'; valid: pcm, pcm-table, hermes, rram, gst-st90, ideal "
                + "(NAME[:KEY=VALUE,...])",
                run("device", "stats", "--device", "flash").err().strip());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
