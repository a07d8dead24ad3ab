package dev.aimc.robust;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.search.PlacementProblem;
import dev.aimc.search.PlacementResult;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where to place error compensation (CorrectNet+, step "error compensation … at the locations that reinforcement
 * learning selects") as a {@link PlacementProblem}: one site per candidate analog layer; the reward of a placement
 * is its Monte-Carlo accuracy under variation minus {@code overheadWeight} × its overhead, the compensation's MACs
 * as a fraction of the backbone's (ours: the paper weighs accuracy against overhead but its exact reward was not
 * available). For each placement a fresh {@link ErrorCompensation} is created at those layers, trained with the
 * backbone frozen and a new chip per batch ({@link CompensationTrainer}, chips from the training seed), installed and
 * evaluated on chips from the evaluation seed (distinct streams), then removed. Outcomes are cached by placement, so
 * the agents compared on one instance share the trained compensations.
 */
public final class CompensationPlacement implements PlacementProblem {
    private final Module net;
    private final RramVariation hw;
    private final List<String> sites;
    private final Dataset train;
    private final CompensationTrainer.Settings settings;
    private final int rank;
    private final Dataset val;
    private final int chips;
    private final long seed;
    private final double overheadWeight;
    private final Shape inputShape;
    private final NDManager manager;
    private final Consumer<String> log;
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
    private Function<List<boolean[]>, List<Outcome>> evaluator = ps -> ps.stream().map(this::evaluate).toList();

    /**
     * The outcome of one placement.
     *
     * @param paths the compensated layers
     * @param accuracy Monte-Carlo accuracy (mean, std, per chip)
     * @param overhead the compensation's parameters and MACs against the backbone's (zero for none)
     * @param reward accuracy − overheadWeight × MAC fraction
     * @param seconds wall time of training and evaluation, s
     *
     * @serial exclude
     */
    public record Outcome(List<String> paths, ChipMonteCarlo.Result accuracy, ErrorCompensation.Overhead overhead,
            double reward, double seconds) implements java.io.Serializable {
        /**
         * Copies the paths (into a serializable list).
         *
         * @param paths the compensated layers
         * @param accuracy Monte-Carlo accuracy (mean, std, per chip)
         * @param overhead the compensation's parameters and MACs against the backbone's (zero for none)
         * @param reward accuracy − overheadWeight × MAC fraction
         * @param seconds wall time of training and evaluation, s
         */
        public Outcome {
            paths = List.copyOf(paths);
        }
    }

    /**
     * A placement problem.
     *
     * @param net the trained digital network (left unchanged)
     * @param hw the hardware and variation level of training and evaluation
     * @param sites the candidate layers (dotted paths of Linear/Conv2d layers), at least one
     * @param train the compensation's training samples
     * @param settings its training settings (the seed gives the training chips)
     * @param rank rank of the compensation of fully connected layers, ≥ 1
     * @param val the validation samples (all used)
     * @param chips evaluation chips, ≥ 1
     * @param seed the evaluation chips' seed ({@link ChipMonteCarlo#chipSeed})
     * @param overheadWeight weight of the MAC fraction in the reward, ≥ 0
     * @param inputShape one input's shape (for the MAC count)
     * @param manager parent of every temporary
     * @param log one line per placement evaluated, or null
     * @throws dev.aimc.util.ConfigException naming --layers when a site names no Linear/Conv2d layer
     */
    public CompensationPlacement(Module net, RramVariation hw, List<String> sites, Dataset train,
            CompensationTrainer.Settings settings, int rank, Dataset val, int chips, long seed, double overheadWeight,
            Shape inputShape, NDManager manager, Consumer<String> log) {
        Check.nonNegative("--overhead-weight", overheadWeight);
        Check.range("--chips", chips, 1, 1_000_000);
        if (sites.isEmpty()) {
            throw new dev.aimc.util.ConfigException("--layers must name at least one layer");
        }
        try {
            ErrorCompensation.create(net, sites, rank, seed, manager).close();
        } catch (dev.aimc.util.ConfigException e) {
            throw new dev.aimc.util.ConfigException(e.getMessage().replace("--compensate", "--layers"));
        }
        this.net = net;
        this.hw = hw;
        this.sites = List.copyOf(sites);
        this.train = train;
        this.settings = settings;
        this.rank = rank;
        this.val = val;
        this.chips = chips;
        this.seed = seed;
        this.overheadWeight = overheadWeight;
        this.inputShape = inputShape;
        this.manager = manager;
        this.log = log;
    }

    @Override
    public int sites() {
        return sites.size();
    }

    @Override
    public String label(int site) {
        return sites.get(site);
    }

    /**
     * Evaluates the placements not cached yet with {@code batch} (e.g. as the tasks of a cluster job, each on its own
     * copy of this problem calling {@link #evaluate}) instead of one after the other here.
     *
     * @param batch (placements → their outcomes, in order), each as {@link #evaluate} gives it
     */
    public void evaluateWith(Function<List<boolean[]>, List<Outcome>> batch) {
        this.evaluator = batch;
    }

    @Override
    public double reward(boolean[] placement) {
        return outcome(placement).reward();
    }

    @Override
    public double[] rewards(List<boolean[]> placements) {
        return outcomesOf(placements).stream().mapToDouble(Outcome::reward).toArray();
    }

    /**
     * The outcome of a placement (trained and evaluated on first use, then cached).
     *
     * @param placement one flag per site
     * @return its outcome
     */
    public Outcome outcome(boolean[] placement) {
        return outcomesOf(List.of(placement)).get(0);
    }

    /**
     * The outcomes of several placements; those not cached yet are trained and evaluated as one batch, then cached
     * (and logged) in order.
     *
     * @param placements one flag per site each
     * @return their outcomes, in order
     */
    public List<Outcome> outcomesOf(List<boolean[]> placements) {
        List<boolean[]> fresh = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (boolean[] p : placements) {
            String key = PlacementResult.key(p);
            if (!outcomes.containsKey(key) && keys.add(key)) {
                fresh.add(p.clone());
            }
        }
        if (!fresh.isEmpty()) {
            List<Outcome> os = evaluator.apply(fresh);
            if (os.size() != fresh.size()) {
                throw new IllegalStateException(fresh.size() + " placements evaluated as " + os.size());
            }
            for (int i = 0; i < os.size(); i++) {
                String key = PlacementResult.key(fresh.get(i));
                Outcome o = os.get(i);
                outcomes.put(key, o);
                if (log != null) {
                    log.accept(String.format(java.util.Locale.ROOT, "%s %-14s %.2f ± %.2f %%, MACs +%.2f %%, reward "
                            + "%.4f (%.1f s)", key, o.paths(), 100 * o.accuracy().mean(), 100 * o.accuracy().std(),
                            100 * o.overhead().macFraction(), o.reward(), o.seconds()));
                }
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (boolean[] p : placements) {
            out.add(outcomes.get(PlacementResult.key(p)));
        }
        return out;
    }

    /**
     * Trains and evaluates a placement here, uncached: a fresh compensation at the placed layers, trained with the
     * training seed, then its Monte-Carlo accuracy on the evaluation chips. Depends on the placement and the
     * problem's settings only, so any copy of the problem (the same network, data and settings) gives the same
     * outcome.
     *
     * @param placement one flag per site
     * @return its outcome
     */
    public Outcome evaluate(boolean[] placement) {
        long t0 = System.nanoTime();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < placement.length; i++) {
            if (placement[i]) {
                paths.add(sites.get(i));
            }
        }
        ChipMonteCarlo.Result acc;
        ErrorCompensation.Overhead over;
        if (paths.isEmpty()) {
            acc = ChipMonteCarlo.accuracy(net, hw, val, val.size(), chips, seed, 500, manager);
            try (ErrorCompensation any = ErrorCompensation.create(net, sites.subList(0, 1), rank, seed, manager)) {
                ErrorCompensation.Overhead a = any.overhead(net, inputShape);
                over = new ErrorCompensation.Overhead(0, a.backboneParameters(), 0, a.backboneMacs());
            }
        } else {
            try (ErrorCompensation comp = ErrorCompensation.create(net, paths, rank, settings.seed(), manager)) {
                CompensationTrainer.train(net, hw, comp, train, settings, null);
                over = comp.overhead(net, inputShape);
                try (AnalogNetwork an = hw.convert(net)) {
                    acc = comp.installedDuring(net,
                            () -> ChipMonteCarlo.accuracy(an, val, val.size(), chips, seed, 500, manager));
                }
            }
        }
        double reward = acc.mean() - overheadWeight * over.macFraction();
        return new Outcome(paths, acc, over, reward, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Every placement evaluated so far, by key ('1' placed per site), in order.
     *
     * @return the outcomes
     */
    public Map<String, Outcome> outcomes() {
        return new LinkedHashMap<>(outcomes);
    }
}
