package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** aimc evaluate --compensation: several variants in one report, GDC by default, AdaBS refused without batch norm. */
class EvaluateCompensationTest {
    @TempDir Path dir;

    @Test
    void severalCompensationsInOneReport() throws Exception {
        Path ck = dir.resolve("ck");
        assertEquals(0, Main.commandLine().execute("train", "--model", "lenet5-mnist", "--epochs", "1",
                "--train-limit", "256", "--batch", "64", "--out", ck.toString(), "--threads", "1", "--no-progress"));
        Path out = dir.resolve("rep");
        assertEquals(0, Main.commandLine().execute("evaluate", "--checkpoint", ck.toString(), "--out", out.toString(),
                "--times", "1,1d", "--repeats", "1", "--test-limit", "64", "--threads", "1", "--no-progress",
                "--compensation", "none,gdc,gdc-col,ratio"));
        String csv = Files.readString(out.resolve("results.csv"));
        for (String v : new String[] {"none", "gdc", "gdc-col", "ratio"}) {
            assertTrue(csv.contains("\n" + v + ","), v + " in " + csv);
        }
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"compensationApplied\""), json);

        // Item 5: with no --compensation the report has GDC (aihwkit's default) first and none to compare.
        Path def = dir.resolve("default");
        assertEquals(0, Main.commandLine().execute("evaluate", "--checkpoint", ck.toString(), "--out", def.toString(),
                "--times", "1d", "--repeats", "1", "--test-limit", "32", "--threads", "1", "--no-progress"));
        assertTrue(Files.readString(def.resolve("results.json")).contains("\"variants\" : [ \"gdc\", \"none\" ]"));

        // Item 6: AdaBS on LeNet-5 (no batch norm) would silently equal "none": refused, one line, status 2,
        // before any report is written. Before: exit 0 with an "adabs" curve identical to "none".
        for (String v : new String[] {"adabs", "gdc+adabs"}) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            Path refused = dir.resolve("refused");
            assertEquals(2, cl.execute("evaluate", "--checkpoint", ck.toString(), "--out", refused.toString(),
                    "--times", "1", "--repeats", "1", "--test-limit", "32", "--threads", "1", "--no-progress",
                    "--compensation", "gdc," + v));
            assertEquals("aimc: --compensation " + v + ": lenet5-mnist has no batch-norm layers, so AdaBS (batch-norm "
                    + "recalibration) would change nothing; use gdc or ratio", err.toString().strip());
            assertFalse(Files.exists(refused.resolve("report.html")));
        }
    }
}
