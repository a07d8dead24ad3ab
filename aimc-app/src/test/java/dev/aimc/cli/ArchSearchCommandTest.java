package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.report.ArchSearchReport;
import dev.aimc.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc arch-search: one-line errors, and a tiny seeded search on HAR (needs AIMC_DATA) that repeats exactly. */
class ArchSearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineNamingTheOption() throws Exception {
        String out = dir.resolve("o").toString();
        assertTrue(CliRun.of("arch-search", "--out", out, "--budget", "0").badInput("--budget"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--sign-modes", "+,x")
                .badInput("--sign-modes must be +, - or bipolar, got x"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--sign-modes", "+,+").badInput("--sign-modes"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--objective", "speed")
                .badInput("--objective must be area or energy, got speed"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--widths", "").badInput("--widths"));
        Files.createDirectories(dir.resolve("o"));
        Files.writeString(dir.resolve("o").resolve(ArchSearchCommand.JSON), "{}");
        assertTrue(CliRun.of("arch-search", "--out", out).badInput("already holds search.json"));
        Path o2 = dir.resolve("o2");
        Files.createDirectories(o2.resolve("chosen"));
        Files.writeString(o2.resolve("chosen").resolve(dev.aimc.train.Checkpoint.META), "{}");
        assertTrue(CliRun.of("arch-search", "--out", o2.toString(), "--final-epochs", "1")
                .badInput("already holds the checkpoint chosen"));
    }

    @Test
    void tinySearchOnHarIsReproducibleAndWritesItsReport() throws Exception {
        assumeTrue(System.getenv("AIMC_DATA") != null, "AIMC_DATA not set: HAR data needed");
        String[] args = {"arch-search", "--dataset", "har265", "--budget", "3", "--population", "2", "--seed", "3",
            "--widths", "16,32", "--baseline", "32,16", "--proxy-fp-epochs", "1", "--proxy-qat-epochs", "1",
            "--val-limit", "500"};
        JsonNode[] docs = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("run" + i);
            String[] a = java.util.Arrays.copyOf(args, args.length + 2);
            a[args.length] = "--out";
            a[args.length + 1] = out.toString();
            CliRun r = CliRun.of(a);
            assertEquals(0, r.code(), r + "\n" + r.out());
            assertTrue(r.out().contains("har265 (265 features, 6 classes)"), r.out());
            docs[i] = Json.PRETTY.readTree(out.resolve(ArchSearchCommand.JSON).toFile());
            assertTrue(Files.size(out.resolve(ArchSearchReport.AREA_PNG)) > 0);
            assertTrue(Files.size(out.resolve(ArchSearchReport.ENERGY_PNG)) > 0);
            assertTrue(Files.readString(out.resolve(ArchSearchReport.HTML)).contains("har265 (265 features)"));
        }
        JsonNode c = docs[0].get("candidates");
        assertEquals(3, c.size());
        assertEquals("265-32-16-6 000", c.get(0).get("design").asText(), "the baseline first");
        assertEquals("265-32-16-6 000", docs[0].get("baseline").asText());
        for (int k = 0; k < 3; k++) {
            assertEquals(c.get(k).get("design"), docs[1].get("candidates").get(k).get("design"));
            assertEquals(c.get(k).get("validationAccuracy").asDouble(),
                    docs[1].get("candidates").get(k).get("validationAccuracy").asDouble(), 0.0, "same seed, same run");
            assertEquals(c.get(k).get("energyPj").asDouble(),
                    docs[1].get("candidates").get(k).get("energyPj").asDouble(), 0.0);
        }
        // the chosen design is within the tolerance of the best and the cheapest such
        double best = 0;
        for (JsonNode n : c) {
            best = Math.max(best, n.get("validationAccuracy").asDouble());
        }
        for (JsonNode n : c) {
            if (n.get("design").asText().equals(docs[0].get("chosen").asText())) {
                assertTrue(n.get("validationAccuracy").asDouble() >= best - 0.01);
            }
        }
    }
}
