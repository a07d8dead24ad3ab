package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aimc quant-search} and {@code aimc place-compensation}: results, seeded determinism, bad input. */
class RobustSearchCommandTest {
    @TempDir static Path tmp;
    static String ck;

    @BeforeAll
    static void train() {
        ck = tmp.resolve("net").toString();
        CliRun r = CliRun.of("train", "--model", "lenet5-mnist", "--epochs", "1", "--train-limit", "512", "--out", ck,
                "--no-progress", "--threads", "1");
        assertEquals(0, r.code(), r.toString());
    }

    static String[] quant(Path json, String... extra) {
        String[] base = {"quant-search", "--checkpoint", ck, "--sigma", "0.3", "--chips", "2", "--val-limit", "100",
            "--max-evaluations", "4", "--test-limit", "50", "--threads", "1", "--json", json.toString()};
        String[] a = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return a;
    }

    @Test
    void quantSearchWritesTheFrontAndIsSeeded() throws Exception {
        Path a = tmp.resolve("q1.json");
        CliRun r = CliRun.of(quant(a));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("unseen in training") && r.out().contains("Pareto front"), r.out());
        assertTrue(r.out().contains("4 candidates in"), r.out());
        assertTrue(r.out().contains("test split (50 images, same chips): baseline "), r.out());
        String doc = Files.readString(a);
        assertTrue(doc.contains("\"front\"") && doc.contains("\"adcEnergyRatio\"") && doc.contains("\"target\""),
                doc);
        String html = Files.readString(tmp.resolve("q1.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("<td class=\"l\">baseline: 0=2:9/8")
                && html.contains("<td class=\"l\">chosen: ") && html.contains("<td class=\"l\">front: "), html);
        Path b = tmp.resolve("q2.json");
        assertEquals(0, CliRun.of(quant(b)).code());
        String da = Files.readString(a);
        String db = Files.readString(b);
        String evalA = da.substring(da.indexOf("\"evaluated\""), da.indexOf("\"seconds\" :", da.indexOf("\"evaluated\"")));
        String evalB = db.substring(db.indexOf("\"evaluated\""), db.indexOf("\"seconds\" :", db.indexOf("\"evaluated\"")));
        assertEquals(evalA, evalB, "same seed, same candidates and accuracies");
        assertTrue(CliRun.of(quant(a)).badInput("--json", "exists"), "an existing --json is kept");
    }

    @Test
    void quantSearchBadInputNamesTheOption() {
        String[][] cases = {
            {"--sigma", "-0.1"}, {"--cell-bits", "5"}, {"--cell-options", "0:9"}, {"--cell-options", "2-9"},
            {"--adc-bits", "2"}, {"--min-adc-bits", "1"}, {"--margin", "2"}, {"--chips", "0"},
            {"--val-limit", "0"}, {"--test-limit", "-2"},
        };
        for (String[] c : cases) {
            String[] args = quant(tmp.resolve("bad.json"), c);
            CliRun r = CliRun.of(args);
            assertTrue(r.badInput(c[0]), String.join(" ", c) + ": " + r);
        }
    }

    static String[] place(String... extra) {
        String[] base = {"place-compensation", "--checkpoint", ck, "--sigma", "0.5", "--chips", "2", "--val-limit",
            "100", "--layers", "3,9", "--episodes", "3", "--comp-train-limit", "128", "--threads", "1"};
        String[] a = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return a;
    }

    @Test
    void placeCompensationComparesTheMethods() throws Exception {
        Path json = tmp.resolve("p.json");
        CliRun r = CliRun.of(place("--json", json.toString(), "--test-limit", "150"));
        assertEquals(0, r.code(), r.toString());
        for (String m : new String[] {"none", "everywhere", "greedy", "rl"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(m + " ")), m + ": " + r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("test split (150 images") && l.contains(" " + m
                    + " ")), m + " on the test split: " + r.out());
        }
        String doc = Files.readString(json);
        assertTrue(doc.contains("\"test\"") && doc.contains("\"images\" : 150"), doc);
        assertTrue(doc.contains("\"macFraction\"") && doc.contains("\"placements\""), doc);
        assertTrue(doc.contains("\"00\"") && doc.contains("\"11\""), doc);
        String html = Files.readString(tmp.resolve("p.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("<td class=\"l\">rl: [")
                && html.contains("<td class=\"l\">none: []"), html);
        Files.delete(json);
        assertTrue(CliRun.of(place("--json", json.toString())).badInput("--json", "p.html exists"),
                "an existing report beside --json is kept");
    }

    @Test
    void placeCompensationBadInputNamesTheOption() {
        String[][] cases = {
            {"--layers", "2"}, {"--sigma", "-1"}, {"--cell-bits", "9"}, {"--overhead-weight", "-1"},
            {"--episodes", "0"}, {"--comp-rank", "0"}, {"--test-limit", "-2"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of(place(c));
            assertTrue(r.badInput(c[0]), String.join(" ", c) + ": " + r);
        }
    }
}
