package dev.aimc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HarnessTest {

    @Test
    void medianAndQuantiles() {
        Stats s = new Stats(new long[] {5, 1, 4, 2, 3});
        assertEquals(3.0, s.medianNs());
        assertEquals(2.0, s.quantileNs(0.25));
        assertEquals(1.0, s.minNs());
        assertEquals(2.5, new Stats(new long[] {4, 1, 2, 3}).quantileNs(0.5));
    }

    @Test
    void interleavesVariantsAndWarmsUp() {
        List<String> calls = new ArrayList<>();
        List<Stats> s = Harness.interleaved(Harness.Plan.of(1, 3), List.of(() -> calls.add("a"), () -> calls.add("b")));
        assertEquals(List.of("a", "b", "a", "b", "b", "a", "a", "b"), calls);
        assertEquals(2, s.size());
        assertEquals(3, s.get(0).count());
    }

    @Test
    void budgetStopsAfterMinimumRounds() {
        Stats s = Harness.single(new Harness.Plan(0, 100, 2, 1), () -> { });
        assertEquals(2, s.count());
    }

    @Test
    void workloadListParsing() {
        assertEquals(BenchOptions.ALL, BenchOptions.parseWorkloads(null));
        assertEquals(List.of("W1", "W3"), BenchOptions.parseWorkloads("w3, W1"));
        ConfigException e = assertThrows(ConfigException.class, () -> BenchOptions.parseWorkloads("W1,W99"));
        assertTrue(e.getMessage().startsWith("--workloads"));
    }

    @Test
    void tableAndJsonOfARowSet() throws Exception {
        Stats st = new Stats(new long[] {2_000_000, 3_000_000});
        List<BenchRow> rows = List.of(
                BenchRow.timed("W1", "digital", st, 100, "img/s", Double.NaN, "", null, "n"),
                BenchRow.timed("W1", "analog", st, 90, "img/s", 1.1, "≤ 1.30", true, ""),
                BenchRow.missing("W5", "GDP", "< 10 s", "not built"));
        BenchReport r = new BenchReport(new BenchOptions(true, 2, List.of("W1", "W5"), 0), rows,
                new double[] {1, 2, 3}, new double[] {Double.NaN, 2, 3}, java.time.Instant.EPOCH);
        String t = r.table();
        assertTrue(t.lines().findFirst().orElseThrow().startsWith("workload"), t);
        assertTrue(t.contains("PASS") && t.contains("n/a"), t);
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.json());
        assertTrue(node.get("results").get(2).get("medianMs").isNull());
        assertTrue(node.get("machine").get("loadAfter").get(0).isNull());
        assertEquals(2.5, node.get("results").get(0).get("medianMs").asDouble(), 1e-9);
        assertTrue(String.format(Locale.ROOT, "%s", t).contains("machine: "));
    }
}
