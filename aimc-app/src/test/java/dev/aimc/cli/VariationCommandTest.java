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
    void badInputNamesTheOption() {
        String[][] cases = {
            {"--sigma", "-0.1"}, {"--cell-bits", "5"}, {"--cell-bits", "0"}, {"--weight-bits", "1"},
            {"--adc-bits", "1"}, {"--chips", "0"}, {"--compensate", "2"}, {"--layer-adc-bits", "4=6"},
            {"--compensate", "9", "--comp-rank", "0"},
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
