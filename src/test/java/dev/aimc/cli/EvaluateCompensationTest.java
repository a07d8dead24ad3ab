package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc evaluate --compensation with several variants (AdaBS combined) in one report. */
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
                "--compensation", "none,gdc,adabs,gdc+adabs,ratio", "--adabs-samples", "64"));
        String csv = Files.readString(out.resolve("results.csv"));
        for (String v : new String[] {"none", "gdc", "adabs", "gdc+adabs", "ratio"}) {
            assertTrue(csv.contains("\n" + v + ","), v + " in " + csv);
        }
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"adabsSamples\" : 64"));
    }
}
