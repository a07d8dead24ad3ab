package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aimc train --lipschitz-*} and {@code aimc variation}: recorded settings, results, bad input. */
class VariationCommandTest {
    @TempDir static Path tmp;
    static String ck;

    @BeforeAll
    static void train() {
        ck = tmp.resolve("lip").toString();
        CliRun r = CliRun.of("train", "--model", "lenet5-mnist", "--epochs", "1", "--train-limit", "512", "--out", ck,
                "--no-progress", "--threads", "1", "--lipschitz-beta", "0.002", "--lipschitz-lambda", "0.5");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void trainRecordsTheRegularizer() throws Exception {
        String meta = Files.readString(Path.of(ck, "model.json"));
        assertTrue(meta.contains("\"lipschitzBeta\": 0.002") && meta.contains("\"lipschitzLambda\": 0.5"), meta);
        assertTrue(CliRun.of("train", "--model", "lenet5-mnist", "--out", tmp.resolve("x").toString(),
                "--lipschitz-beta", "-1").badInput("--lipschitz-beta"));
        assertTrue(CliRun.of("train", "--model", "lenet5-mnist", "--out", tmp.resolve("x").toString(),
                "--lipschitz-lambda", "-0.5").badInput("--lipschitz-lambda"));
    }

    @Test
    void variationReportsAccuracyAmplificationAndCompensation() throws Exception {
        Path json = tmp.resolve("v.json");
        String[] args = {"variation", "--checkpoint", ck, "--sigma", "0,0.5", "--chips", "2", "--test-limit", "100",
            "--spectral", "--amplification", "--amp-limit", "50", "--compensate", "9", "--comp-train-limit", "128",
            "--threads", "1", "--json", json.toString()};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("spectral norms: 0 "), r.out());
        assertTrue(r.out().contains("relative feature error at σ=0.5: 0 "), r.out());
        assertTrue(r.out().contains("compensation after [9] trained at σ=0.5"), r.out());
        assertTrue(r.out().contains("lip + comp"), r.out());
        String doc = Files.readString(json);
        assertTrue(doc.contains("\"lipschitzBeta\" : 0.002") && doc.contains("\"backboneMacs\""), doc);
        String html = Files.readString(tmp.resolve("v.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("<th>lip (%)</th>")
                && html.contains("<th>lip + comp (%)</th>") && html.contains("<tr><td>0.5</td>"), html);
        assertTrue(CliRun.of(args).badInput("--json", "exists"), "an existing --json is kept");
    }

    @Test
    void compensationPerSigmaIsTheOneTrainedAtThatSigma() throws Exception {
        String[] common = compensated();
        Path each = tmp.resolve("each.json");
        CliRun r = CliRun.of(cat(common, "--sigma", "0.2,0.5", "--comp-per-sigma", "--json", each.toString()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("compensation after [9] trained at σ=0.2")
                && r.out().contains("compensation after [9] trained at σ=0.5"), r.out());
        Path one = tmp.resolve("one.json");
        CliRun s = CliRun.of(cat(common, "--sigma", "0.5", "--comp-sigma", "0.5", "--json", one.toString()));
        assertEquals(0, s.code(), s.toString());
        var a = dev.aimc.report.Json.PRETTY.readTree(each.toFile()).get("results").get(0).get("compensation");
        var b = dev.aimc.report.Json.PRETTY.readTree(one.toFile()).get("results").get(0).get("compensation");
        assertEquals("each evaluated σ", a.get("trainSigma").asText());
        assertEquals(2, a.get("accuracy").size());
        assertEquals(b.get("accuracy").get("0.5"), a.get("accuracy").get("0.5"),
                "the compensation for σ 0.5 is the one a run trained at σ 0.5 alone gives, chip for chip");
        assertTrue(CliRun.of("variation", "--checkpoint", ck, "--comp-per-sigma").badInput("--comp-per-sigma"));
        assertTrue(CliRun.of(cat(common, "--comp-per-sigma", "--comp-sigma", "0.5")).badInput("--comp-per-sigma"));
    }

    @Test
    void compensationPerChipIsTrainedAndEvaluatedOnEachChip() throws Exception {
        String[] common = compensated();
        Path json = tmp.resolve("chip.json");
        CliRun r = CliRun.of(cat(common, "--sigma", "0,0.5", "--comp-per-chip", "--json", json.toString()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("compensation after [9] trained on each chip at σ=0.5")
                && r.out().contains("lip + comp on chip"), r.out());
        var c = dev.aimc.report.Json.PRETTY.readTree(json.toFile()).get("results").get(0).get("compensation");
        assertEquals("each evaluated σ, on each evaluation chip alone", c.get("trainSigma").asText());
        assertEquals(2, c.get("accuracy").get("0.5").get("chips").size(), c.toString());
        assertEquals(1, c.get("training").get("valChips").asInt(), "selection on the chip itself");
        assertTrue(Files.readString(tmp.resolve("chip.html")).contains("<th>lip + comp on chip (%)</th>"));
        assertTrue(CliRun.of("variation", "--checkpoint", ck, "--comp-per-chip").badInput("--comp-per-chip"));
        assertTrue(CliRun.of(cat(common, "--comp-per-chip", "--comp-per-sigma")).badInput("--comp-per-chip"));
    }

    /** A small variation run of the checkpoint with compensation after layer 9. */
    private static String[] compensated() {
        return new String[] {"variation", "--checkpoint", ck, "--chips", "2", "--test-limit", "100", "--compensate",
            "9", "--comp-train-limit", "128", "--threads", "1"};
    }

    private static String[] cat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void badInputNamesTheOption() {
        String[][] cases = {
            {"--sigma", "-0.1"}, {"--cell-bits", "5"}, {"--cell-bits", "0"}, {"--weight-bits", "1"},
            {"--adc-bits", "1"}, {"--chips", "0"}, {"--compensate", "2"}, {"--layer-adc-bits", "4=6"},
            {"--compensate", "9", "--comp-rank", "0"}, {"--compensate", "9", "--comp-val-limit", "-1"},
            {"--compensate", "9", "--comp-val-chips", "0"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 4];
            args[0] = "variation";
            args[1] = "--checkpoint";
            args[2] = ck;
            System.arraycopy(c, 0, args, 3, c.length);
            args[args.length - 1] = "--test-limit=10";
            CliRun r = CliRun.of(args);
            String option = c[0].equals("--layer-adc-bits") ? "--layer" : c[c.length - 2];
            assertTrue(r.badInput(option), String.join(" ", c) + ": " + r);
        }
    }
}
