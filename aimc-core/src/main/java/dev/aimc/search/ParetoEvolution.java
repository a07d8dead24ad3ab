package dev.aimc.search;

import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A two-objective evolutionary search (minimize a cost, maximize a value) in the manner of NSGA-II (K. Deb, A. Pratap,
 * S. Agarwal, T. Meyarivan, "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE Trans. Evol. Comput.
 * 6(2), 2002): a population ranked by non-dominated sorting and crowding distance, binary tournaments on (rank,
 * crowding) to pick parents, crossover and mutation to make children, and elitist survival of the best
 * {@code population} of parents and children. The front returned is over <em>every</em> candidate evaluated
 * ({@link ParetoFront#of}), not only the last population.
 *
 * <p>Ours: the budget counts distinct candidates evaluated (a child whose {@link Problem#key} was seen before is not
 * evaluated again; after {@value #MAX_TRIES} duplicate children in a row a random candidate is drawn instead, and when
 * that too is a duplicate the space is taken as exhausted and the search stops). The seeds given first (e.g. a
 * baseline design) are evaluated before the random ones. All randomness comes from one {@link SplittableRandom}
 * seeded with {@code seed}. No choice depends on a score of the generation being made, so every new candidate of a
 * generation (the initial population, then each generation's children) is drawn before any of them is evaluated,
 * and they are handed to {@link Problem#evaluateAll} as one batch, which may evaluate them side by side; a
 * deterministic objective gives the same result for the same seed, however the batch is evaluated.
 *
 * @param budget distinct candidates to evaluate, ≥ 1
 * @param population candidates kept per generation, ≥ 2
 * @param crossoverProbability probability that a child is a crossover of two parents (else a copy of one), in [0, 1]
 * @param seed the seed of all random choices
 */
public record ParetoEvolution(int budget, int population, double crossoverProbability, long seed) {
    /** Duplicate children drawn in a row before a random candidate is drawn instead. */
    public static final int MAX_TRIES = 50;

    /**
     * Validates.
     *
     * @param budget distinct candidates to evaluate, ≥ 1 ({@code --budget})
     * @param population candidates kept per generation, ≥ 2 ({@code --population})
     * @param crossoverProbability in [0, 1]
     * @param seed the seed of all random choices
     */
    public ParetoEvolution {
        Check.range("--budget", budget, 1, 1_000_000);
        Check.range("--population", population, 2, 1_000_000);
        Check.range("crossover-probability", crossoverProbability, 0, 1);
    }

    /**
     * The search space and its variation operators.
     *
     * @param <G> the candidate (genome) type, immutable
     */
    public interface Problem<G> {
        /**
         * A random candidate.
         *
         * @param r the random source
         * @return a candidate
         */
        G random(SplittableRandom r);

        /**
         * A random change of a candidate.
         *
         * @param g the parent
         * @param r the random source
         * @return a new candidate (may equal g; then it is drawn again)
         */
        G mutate(G g, SplittableRandom r);

        /**
         * A mix of two candidates.
         *
         * @param a one parent
         * @param b the other parent
         * @param r the random source
         * @return a new candidate
         */
        G crossover(G a, G b, SplittableRandom r);

        /**
         * A text that is equal for equal candidates (evaluation cache key, and how the candidate is reported).
         *
         * @param g the candidate
         * @return its key
         */
        String key(G g);

        /**
         * The objectives of a candidate (e.g. area after a short training's accuracy); called once per distinct key.
         *
         * @param g the candidate
         * @return its cost (to minimize) and value (to maximize), neither NaN
         */
        Score evaluate(G g);

        /**
         * The objectives of several candidates, which an implementation may evaluate side by side (e.g. as the tasks
         * of a cluster job). Default: {@link #evaluate} of each, in order.
         *
         * @param gs distinct candidates (by key), in order
         * @return their scores, in order
         */
        default List<Score> evaluateAll(List<G> gs) {
            List<Score> out = new ArrayList<>();
            for (G g : gs) {
                out.add(evaluate(g));
            }
            return out;
        }
    }

    /**
     * The objectives of one candidate.
     *
     * @param cost to minimize, not NaN
     * @param value to maximize, not NaN
     */
    public record Score(double cost, double value) {
        /**
         * Validates.
         *
         * @param cost to minimize, not NaN
         * @param value to maximize, not NaN
         */
        public Score {
            if (Double.isNaN(cost) || Double.isNaN(value)) {
                throw new IllegalArgumentException("NaN objective: cost " + cost + ", value " + value);
            }
        }
    }

    /**
     * A candidate with its objectives.
     *
     * @param key the candidate's key
     * @param genome the candidate
     * @param score its objectives
     * @param index its place in the order of evaluation, from 0
     * @param generation 0 for the initial population, then the generation whose children it was
     * @param <G> the candidate type
     */
    public record Evaluated<G>(String key, G genome, Score score, int index, int generation) {
        /**
         * The cost.
         *
         * @return score().cost()
         */
        public double cost() {
            return score.cost();
        }

        /**
         * The value.
         *
         * @return score().value()
         */
        public double value() {
            return score.value();
        }
    }

    /**
     * The outcome of a search.
     *
     * @param evaluated every distinct candidate, in the order evaluated
     * @param front the non-dominated ones among them, by increasing cost
     * @param generations generations of children made
     * @param <G> the candidate type
     */
    public record Result<G>(List<Evaluated<G>> evaluated, List<Evaluated<G>> front, int generations) {
        /**
         * Copies the lists.
         *
         * @param evaluated every distinct candidate, in the order evaluated
         * @param front the non-dominated ones, by increasing cost
         * @param generations generations of children made
         */
        public Result {
            evaluated = List.copyOf(evaluated);
            front = List.copyOf(front);
        }
    }

    /**
     * Runs the search.
     *
     * @param problem the space, its operators and objective
     * @param seeds candidates evaluated first, in order (duplicates skipped; beyond the budget ignored)
     * @param onEvaluated told of each candidate once evaluated (e.g. a progress line), or null
     * @param <G> the candidate type
     * @return every candidate evaluated and the Pareto front among them
     */
    public <G> Result<G> run(Problem<G> problem, List<G> seeds, Consumer<Evaluated<G>> onEvaluated) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Evaluated<G>> seen = new LinkedHashMap<>();
        Evaluator<G> ev = new Evaluator<>(problem, seen, onEvaluated);
        for (G g : seeds) {
            if (ev.count() >= budget) {
                break;
            }
            ev.add(g, 0);
        }
        int misses = 0;
        while (ev.pending() < population && ev.count() < budget && misses < MAX_TRIES) {
            if (ev.add(problem.random(r), 0)) {
                misses = 0;
            } else {
                misses++;
            }
        }
        List<Evaluated<G>> pop = ev.evaluatePending();
        int generation = 0;
        boolean exhausted = false;
        while (seen.size() < budget && !exhausted && !pop.isEmpty()) {
            generation++;
            Ranking<G> rank = rank(pop);
            int want = Math.min(population, budget - seen.size());
            while (ev.pending() < want) {
                boolean added = false;
                for (int t = 0; t < MAX_TRIES && !added; t++) {
                    G a = tournament(pop, rank, r).genome();
                    G child;
                    if (pop.size() > 1 && r.nextDouble() < crossoverProbability) {
                        child = problem.mutate(problem.crossover(a, tournament(pop, rank, r).genome(), r), r);
                    } else {
                        child = problem.mutate(a, r);
                    }
                    added = ev.add(child, generation);
                }
                if (!added && !ev.add(problem.random(r), generation)) {
                    exhausted = true;
                    break;
                }
            }
            List<Evaluated<G>> all = new ArrayList<>(pop);
            all.addAll(ev.evaluatePending());
            pop = survivors(all, population);
        }
        List<Evaluated<G>> everything = new ArrayList<>(seen.values());
        return new Result<>(everything, ParetoFront.of(everything, Evaluated::cost, Evaluated::value), generation);
    }

    /** Collects new candidates (each distinct key once) and evaluates them as one batch. */
    private static final class Evaluator<G> {
        private final Problem<G> problem;
        private final Map<String, Evaluated<G>> seen;
        private final Consumer<Evaluated<G>> onEvaluated;
        private final Map<String, G> pending = new LinkedHashMap<>();
        private final List<Integer> pendingGeneration = new ArrayList<>();

        Evaluator(Problem<G> problem, Map<String, Evaluated<G>> seen, Consumer<Evaluated<G>> onEvaluated) {
            this.problem = problem;
            this.seen = seen;
            this.onEvaluated = onEvaluated;
        }

        /** Candidates evaluated or waiting to be. */
        int count() {
            return seen.size() + pending.size();
        }

        /** Candidates waiting to be evaluated. */
        int pending() {
            return pending.size();
        }

        /** Adds a candidate to the next batch; false when its key was seen or added before. */
        boolean add(G g, int generation) {
            String k = problem.key(g);
            if (seen.containsKey(k) || pending.containsKey(k)) {
                return false;
            }
            pending.put(k, g);
            pendingGeneration.add(generation);
            return true;
        }

        /** Evaluates the waiting candidates as one batch; they are numbered and told in the order added. */
        List<Evaluated<G>> evaluatePending() {
            List<G> gs = new ArrayList<>(pending.values());
            List<Score> scores = gs.isEmpty() ? List.of() : problem.evaluateAll(gs);
            if (scores.size() != gs.size()) {
                throw new IllegalStateException(gs.size() + " candidates evaluated as " + scores.size());
            }
            List<Evaluated<G>> out = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, G> p : pending.entrySet()) {
                Evaluated<G> e = new Evaluated<>(p.getKey(), p.getValue(), scores.get(i), seen.size(),
                        pendingGeneration.get(i));
                i++;
                seen.put(e.key(), e);
                out.add(e);
                if (onEvaluated != null) {
                    onEvaluated.accept(e);
                }
            }
            pending.clear();
            pendingGeneration.clear();
            return out;
        }
    }

    /** Non-domination rank (0 = the front) and crowding distance of every member, by index in the list. */
    private record Ranking<G>(int[] rank, double[] crowding) {}

    private static <G> Ranking<G> rank(List<Evaluated<G>> pop) {
        List<List<Integer>> fronts = fronts(pop);
        int[] rank = new int[pop.size()];
        double[] crowd = new double[pop.size()];
        for (int f = 0; f < fronts.size(); f++) {
            for (int i : fronts.get(f)) {
                rank[i] = f;
            }
            crowding(pop, fronts.get(f), crowd);
        }
        return new Ranking<>(rank, crowd);
    }

    /**
     * Fast non-dominated sorting (Deb et al. 2002, section III-A): the indices of each front, best first.
     *
     * @param pop the candidates
     * @param <G> the candidate type
     * @return fronts of indices into {@code pop}, each in increasing index
     */
    static <G> List<List<Integer>> fronts(List<Evaluated<G>> pop) {
        int n = pop.size();
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Evaluated<G> a = pop.get(i);
                Evaluated<G> b = pop.get(j);
                if (i != j && ParetoFront.dominates(a.cost(), a.value(), b.cost(), b.value())) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                }
            }
        }
        List<List<Integer>> fronts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        while (!current.isEmpty()) {
            fronts.add(current);
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            next.sort(Integer::compare);
            current = next;
        }
        return fronts;
    }

    /** Crowding distance of one front (Deb et al. 2002, III-B): the ends infinite, others the normalised gaps. */
    private static <G> void crowding(List<Evaluated<G>> pop, List<Integer> front, double[] out) {
        for (int obj = 0; obj < 2; obj++) {
            final int o = obj;
            List<Integer> s = new ArrayList<>(front);
            s.sort(Comparator.comparingDouble((Integer i) -> o == 0 ? pop.get(i).cost() : pop.get(i).value())
                    .thenComparingInt(i -> i));
            double lo = objective(pop.get(s.get(0)), o);
            double hi = objective(pop.get(s.get(s.size() - 1)), o);
            out[s.get(0)] = Double.POSITIVE_INFINITY;
            out[s.get(s.size() - 1)] = Double.POSITIVE_INFINITY;
            if (hi > lo) {
                for (int k = 1; k < s.size() - 1; k++) {
                    out[s.get(k)] += (objective(pop.get(s.get(k + 1)), o) - objective(pop.get(s.get(k - 1)), o))
                            / (hi - lo);
                }
            }
        }
    }

    private static double objective(Evaluated<?> e, int o) {
        return o == 0 ? e.cost() : e.value();
    }

    /** Binary tournament: lower rank wins, then larger crowding distance, then the first drawn. */
    private static <G> Evaluated<G> tournament(List<Evaluated<G>> pop, Ranking<G> rk, SplittableRandom r) {
        int a = r.nextInt(pop.size());
        int b = r.nextInt(pop.size());
        if (rk.rank()[a] != rk.rank()[b]) {
            return pop.get(rk.rank()[a] < rk.rank()[b] ? a : b);
        }
        return pop.get(rk.crowding()[b] > rk.crowding()[a] ? b : a);
    }

    /** Elitist survival: whole fronts while they fit, then the last front by decreasing crowding distance. */
    private static <G> List<Evaluated<G>> survivors(List<Evaluated<G>> all, int n) {
        Ranking<G> rk = rank(all);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> rk.rank()[i])
                .thenComparing((Integer i) -> -rk.crowding()[i])
                .thenComparingInt(i -> all.get(i).index()));
        List<Evaluated<G>> out = new ArrayList<>();
        for (int k = 0; k < Math.min(n, order.size()); k++) {
            out.add(all.get(order.get(k)));
        }
        return out;
    }
}
