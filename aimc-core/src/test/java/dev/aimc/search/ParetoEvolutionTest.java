package dev.aimc.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ParetoEvolution} on a synthetic problem with a known front (no training): four integers x_i in 0 … 9, cost
 * Σ x_i, value −Σ (9 − x_i)². For a given cost c the value is largest when the x_i are as equal as possible
 * (max − min ≤ 1), and a larger cost always allows a larger value, so the true front has exactly one point per cost
 * 0 … 36, the balanced one, with value −(q·(9 − ⌈c/4⌉)² + (4 − q)·(9 − ⌊c/4⌋)²), q = c mod 4.
 */
class ParetoEvolutionTest {
    static final int N = 4;
    static final int MAX = 9;

    /** The synthetic problem; counts evaluations. */
    static class Balanced implements ParetoEvolution.Problem<int[]> {
        int evaluations;

        @Override
        public int[] random(SplittableRandom r) {
            int[] x = new int[N];
            for (int i = 0; i < N; i++) {
                x[i] = r.nextInt(MAX + 1);
            }
            return x;
        }

        @Override
        public int[] mutate(int[] g, SplittableRandom r) {
            int[] x = g.clone();
            int i = r.nextInt(N);
            x[i] = Math.max(0, Math.min(MAX, x[i] + (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(2))));
            return x;
        }

        @Override
        public int[] crossover(int[] a, int[] b, SplittableRandom r) {
            int[] x = new int[N];
            for (int i = 0; i < N; i++) {
                x[i] = r.nextBoolean() ? a[i] : b[i];
            }
            return x;
        }

        @Override
        public String key(int[] g) {
            return Arrays.toString(g);
        }

        @Override
        public ParetoEvolution.Score evaluate(int[] g) {
            evaluations++;
            double v = 0;
            int c = 0;
            for (int x : g) {
                c += x;
                v -= (MAX - x) * (MAX - x);
            }
            return new ParetoEvolution.Score(c, v);
        }
    }

    /** The best value at cost c (see the class comment). */
    static double bestValue(int c) {
        int q = c % N;
        int lo = c / N;
        int hi = lo + (q > 0 ? 1 : 0);
        return -(q * (MAX - hi) * (MAX - hi) + (N - q) * (MAX - lo) * (MAX - lo));
    }

    @Test
    void bestValueFormulaMatchesBruteForce() {
        double[] best = new double[N * MAX + 1];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Balanced p = new Balanced();
        for (int k = 0; k < 10_000; k++) {
            int[] x = {k % 10, k / 10 % 10, k / 100 % 10, k / 1000};
            ParetoEvolution.Score s = p.evaluate(x);
            best[(int) s.cost()] = Math.max(best[(int) s.cost()], s.value());
        }
        for (int c = 0; c <= N * MAX; c++) {
            assertEquals(best[c], bestValue(c), "cost " + c);
        }
    }

    @Test
    void findsTheKnownFrontWithAFractionOfTheSpace() {
        // budget 1,500 of the 10,000 candidates, population 40, three seeds
        for (long seed = 1; seed <= 3; seed++) {
            Balanced p = new Balanced();
            ParetoEvolution.Result<int[]> r = new ParetoEvolution(1500, 40, 0.9, seed).run(p, List.of(), null);
            assertEquals(1500, r.evaluated().size());
            assertEquals(1500, p.evaluations, "each distinct candidate evaluated once");
            assertEquals(1500, new HashSet<>(r.evaluated().stream().map(ParetoEvolution.Evaluated::key).toList())
                    .size());
            int optimal = 0;
            for (ParetoEvolution.Evaluated<int[]> e : r.front()) {
                double gap = bestValue((int) e.cost()) - e.value();
                assertTrue(gap >= 0 && gap <= 2, "at most one unit from the true front: " + e.key() + " gap " + gap);
                optimal += gap == 0 ? 1 : 0;
            }
            int random = randomSearchFound(1500, seed);
            assertTrue(optimal >= 34, "seed " + seed + ": true front points found " + optimal + " of 37");
            assertTrue(optimal >= 1.5 * random, "seed " + seed + ": evolution " + optimal + ", random " + random);
            if (seed == 3) { // this seed finds the whole true front, and nothing else
                assertEquals(37, r.front().size());
                assertEquals(37, optimal);
            }
        }
    }

    /** True front points that uniform random sampling of the same number of distinct candidates finds. */
    static int randomSearchFound(int budget, long seed) {
        Balanced p = new Balanced();
        SplittableRandom r = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        List<ParetoEvolution.Score> s = new ArrayList<>();
        while (seen.size() < budget) {
            int[] x = p.random(r);
            if (seen.add(p.key(x))) {
                s.add(p.evaluate(x));
            }
        }
        int n = 0;
        for (ParetoEvolution.Score f : ParetoFront.of(s, ParetoEvolution.Score::cost, ParetoEvolution.Score::value)) {
            n += f.value() == bestValue((int) f.cost()) ? 1 : 0;
        }
        return n;
    }

    @Test
    void sameSeedSameSearchOtherSeedOtherSearch() {
        ParetoEvolution a = new ParetoEvolution(200, 20, 0.9, 5);
        List<String> k1 = a.run(new Balanced(), List.of(), null).evaluated().stream()
                .map(ParetoEvolution.Evaluated::key).toList();
        List<String> k2 = a.run(new Balanced(), List.of(), null).evaluated().stream()
                .map(ParetoEvolution.Evaluated::key).toList();
        List<String> k3 = new ParetoEvolution(200, 20, 0.9, 6).run(new Balanced(), List.of(), null).evaluated()
                .stream().map(ParetoEvolution.Evaluated::key).toList();
        assertEquals(k1, k2);
        assertNotEquals(k1, k3);
    }

    @Test
    void eachGenerationIsOneBatchWhoseOrderOfEvaluationDoesNotMatter() {
        List<Integer> batches = new java.util.ArrayList<>();
        Balanced backwards = new Balanced() { // evaluates each batch last to first, as a cluster may finish it
            @Override
            public List<ParetoEvolution.Score> evaluateAll(List<int[]> gs) {
                batches.add(gs.size());
                ParetoEvolution.Score[] out = new ParetoEvolution.Score[gs.size()];
                for (int i = gs.size() - 1; i >= 0; i--) {
                    out[i] = evaluate(gs.get(i));
                }
                return List.of(out);
            }
        };
        ParetoEvolution evo = new ParetoEvolution(200, 20, 0.9, 5);
        ParetoEvolution.Result<int[]> a = evo.run(new Balanced(), List.of(), null);
        ParetoEvolution.Result<int[]> b = evo.run(backwards, List.of(), null);
        assertEquals(a.evaluated().stream().map(e -> e.key() + e.score() + e.generation()).toList(),
                b.evaluated().stream().map(e -> e.key() + e.score() + e.generation()).toList());
        assertEquals(a.generations(), b.generations());
        // the initial population, then one batch per generation of children
        assertEquals(a.generations() + 1, batches.size());
        assertEquals(200, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.stream().allMatch(n -> n == 20), batches.toString());
    }

    @Test
    void seedsComeFirstAndASmallSpaceIsExhaustedExactly() {
        // x in {0, 1}^4: 16 candidates; a budget of 100 stops when no new candidate can be drawn
        ParetoEvolution.Problem<int[]> small = new Balanced() {
            @Override
            public int[] random(SplittableRandom r) {
                int[] x = new int[N];
                for (int i = 0; i < N; i++) {
                    x[i] = r.nextInt(2);
                }
                return x;
            }

            @Override
            public int[] mutate(int[] g, SplittableRandom r) {
                int[] x = g.clone();
                x[r.nextInt(N)] ^= 1;
                return x;
            }
        };
        int[] seed = {1, 0, 1, 0};
        ParetoEvolution.Result<int[]> r = new ParetoEvolution(100, 4, 0.5, 3).run(small, List.of(seed, seed), null);
        assertEquals("[1, 0, 1, 0]", r.evaluated().get(0).key());
        assertEquals(16, r.evaluated().size());
        assertEquals(5, r.front().size(), "one balanced point per cost 0..4");
        for (ParetoEvolution.Evaluated<int[]> e : r.front()) {
            assertEquals(-((4 - e.cost()) * 81 + e.cost() * 64), e.value(), e.key());
        }
    }

    @Test
    void budgetZeroIsAnErrorNamingTheOption() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ParetoEvolution(0, 10, 0.9, 0));
        assertTrue(e.getMessage().contains("--budget"), e.getMessage());
    }
}
