package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} without the module aimc-spark on the class path (as here: the CLI does not depend on Spark) is a
 * one-line error naming the option and what to build, exit status 2, before any work and with nothing written: for
 * run and evaluate, and for the design searches.
 */
class SparkOptionTest {
    @Test
    void sparkWithoutTheModuleIsOneLineAndWritesNothing(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("evaluate", "--checkpoint", tmp.resolve("ck").toString(), "--out", out.toString(),
                "--spark", "local[2]");
        assertTrue(r.badInput("--spark local[2]", "aimc-spark"), r.toString());
        r = CliRun.of("run", "../experiments/quick-mnist.yaml", "--out", out.toString(), "--spark", "local[2]");
        assertTrue(r.badInput("--spark local[2]", "aimc-spark"), r.toString());
        assertFalse(Files.exists(out));
        // the design searches, with the same wording
        Path json = tmp.resolve("s.json");
        String ck = tmp.resolve("ck").toString();
        r = CliRun.of("quant-search", "--checkpoint", ck, "--json", json.toString(), "--spark", "local[2]");
        assertTrue(r.badInput("--spark local[2]", "aimc-spark"), r.toString());
        r = CliRun.of("place-compensation", "--checkpoint", ck, "--json", json.toString(), "--spark", "local[2]");
        assertTrue(r.badInput("--spark local[2]", "aimc-spark"), r.toString());
        r = CliRun.of("arch-search", "--out", out.toString(), "--data-dir", tmp.toString(), "--spark", "local[2]");
        assertTrue(r.badInput("--spark local[2]", "aimc-spark"), r.toString());
        assertFalse(Files.exists(json) || Files.exists(out.resolve(ArchSearchCommand.JSON)));
    }
}
