package dev.aimc.robust;

import dev.aimc.search.ParetoFront;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Per-layer quantization search of CorrectNet+ (Eldebiky et al., IEEE TCAD 2024, "the quantization setting of the
 * network is optimized for robustness against weight variations and for total ADC power"): per analog layer, the
 * cell resolution and weight bits ({@link CellChoice}) and the ADC bits, minimizing the total ADC energy per
 * inference subject to the Monte-Carlo accuracy under variation σ staying within {@code margin} of the target, the
 * accuracy of the uniform high-resolution baseline at the same σ on the same chips.
 *
 * <p><b>Objective (ours).</b> ADC energy per inference, pJ, from {@link dev.aimc.cost} via
 * {@link RramVariation#cost}: conversions per inference × energy per conversion at the layer's ADC bits (Walden or
 * thermal scaling). At a fixed inference rate, power is this energy × the rate, so the ratios to the baseline are
 * the same for power and energy. With the simulated periphery (slices summed in analog before one ADC conversion),
 * the number of conversions does not depend on the cell choice; the cell choice trades accuracy under variation
 * against cells (reported, used to break ties).
 *
 * <p><b>Search (ours; the paper's search algorithm was not available).</b> Greedy descent from the baseline: every
 * step evaluates, for every layer whose ADC is above the minimum, that layer's ADC one bit lower with each cell
 * choice, and takes the feasible move (accuracy ≥ target − margin) with the largest energy saved per accuracy lost
 * (accuracy loss floored at 0.1 point, so free moves rank by saving); it stops when no move is feasible or the
 * evaluation budget is spent. Every candidate is evaluated once (cached by design), on the same chips (common random
 * numbers, so differences between designs are not chip-to-chip noise), and all evaluated candidates form the
 * Pareto front (energy vs accuracy). The chosen design is the cheapest evaluated one within the margin.
 */
public final class QuantizationSearch {
    private QuantizationSearch() {}

    /**
     * A cell resolution and weight precision of a layer.
     *
     * @param cellBits bits per cell, in [1, {@link RramVariation#MAX_CELL_BITS}]
     * @param weightBits bits per weight with sign (bit-sliced over ⌈(weightBits − 1)/cellBits⌉ pairs)
     */
    public record CellChoice(int cellBits, int weightBits) {
        /**
         * Validates (naming --cell-options).
         *
         * @param cellBits bits per cell, in [1, {@link RramVariation#MAX_CELL_BITS}]
         * @param weightBits bits per weight with sign (bit-sliced over ⌈(weightBits − 1)/cellBits⌉ pairs)
         */
        public CellChoice {
            try {
                new RramVariation.LayerBits(cellBits, weightBits, 8);
            } catch (ConfigException e) {
                throw new ConfigException("--cell-options: " + e.getMessage());
            }
        }

        /**
         * Parses "CELL:WEIGHT", e.g. "2:9".
         *
         * @param s the text
         * @return the choice
         * @throws ConfigException naming --cell-options
         */
        public static CellChoice parse(String s) {
            String[] p = s.strip().split(":");
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                return new CellChoice(Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()));
            } catch (NumberFormatException e) {
                throw new ConfigException("--cell-options must be CELL_BITS:WEIGHT_BITS, got " + s);
            }
        }

        @Override
        public String toString() {
            return cellBits + ":" + weightBits;
        }
    }

    /**
     * The search space and budget.
     *
     * @param layers the dotted paths of the layers searched, in network order, at least one
     * @param cells the cell choices per layer, at least one
     * @param minAdcBits the lowest ADC resolution tried, in [2, 24]
     * @param margin the accuracy margin below the target, in [0, 1] (0.01 = one point)
     * @param maxEvaluations the most candidates evaluated (the baseline included), ≥ 1
     */
    public record Space(List<String> layers, List<CellChoice> cells, int minAdcBits, double margin,
            int maxEvaluations) {
        /**
         * Validates (naming the option) and copies.
         *
         * @param layers the dotted paths of the layers searched, in network order, at least one
         * @param cells the cell choices per layer, at least one
         * @param minAdcBits the lowest ADC resolution tried, in [2, 24]
         * @param margin the accuracy margin below the target, in [0, 1] (0.01 = one point)
         * @param maxEvaluations the most candidates evaluated (the baseline included), ≥ 1
         */
        public Space {
            if (layers == null || layers.isEmpty()) {
                throw new ConfigException("--layers must name at least one layer");
            }
            if (cells == null || cells.isEmpty()) {
                throw new ConfigException("--cell-options must list at least one CELL_BITS:WEIGHT_BITS");
            }
            Check.range("--min-adc-bits", minAdcBits, 2, 24);
            Check.range("--margin", margin, 0, 1);
            Check.range("--max-evaluations", maxEvaluations, 1, 1_000_000);
            layers = List.copyOf(layers);
            cells = List.copyOf(cells);
        }
    }

    /**
     * One evaluated design.
     *
     * @param hw the design (σ, per-layer resolutions)
     * @param adcEnergyPj ADC energy per inference, pJ
     * @param cells devices of the network's analog layers
     * @param accuracy Monte-Carlo accuracy per chip, mean and std
     * @param seconds wall time of its evaluation, s
     */
    public record Candidate(RramVariation hw, double adcEnergyPj, long cells, ChipMonteCarlo.Result accuracy,
            double seconds) {
        /**
         * The mean accuracy.
         *
         * @return in [0, 1]
         */
        public double mean() {
            return accuracy.mean();
        }
    }

    /**
     * What the search found.
     *
     * @param baseline the uniform high-resolution design
     * @param target the target accuracy (the baseline's)
     * @param chosen the cheapest evaluated design with accuracy ≥ target − margin
     * @param front the Pareto front (ADC energy vs accuracy) of every evaluated design, by increasing energy
     * @param evaluated every evaluated design, in order
     */
    public record Result(Candidate baseline, double target, Candidate chosen, List<Candidate> front,
            List<Candidate> evaluated) {}

    /**
     * The Monte-Carlo accuracy of one design and the wall time of its evaluation, wherever it ran.
     *
     * @param accuracy accuracy per chip, mean and std
     * @param seconds wall time of the evaluation, s
     *
     * @serial exclude
     */
    public record Measured(ChipMonteCarlo.Result accuracy, double seconds) implements java.io.Serializable {}

    /**
     * Runs the search, evaluating one design at a time.
     *
     * @param baseline the uniform high-resolution design at the σ of the search (its ADC bits ≥ the minimum)
     * @param space the layers, choices, margin and budget
     * @param cost (design → [ADC energy per inference in pJ, cells]), e.g. from {@link RramVariation#cost}
     * @param evaluate (design → Monte-Carlo accuracy), the same chips for every design
     * @param log one line per evaluated design, or null
     * @return the baseline, the chosen design and the front
     * @throws ConfigException naming --adc-bits when the baseline's ADC is below the minimum
     */
    public static Result run(RramVariation baseline, Space space, Function<RramVariation, double[]> cost,
            Function<RramVariation, ChipMonteCarlo.Result> evaluate, Consumer<String> log) {
        return runInBatches(baseline, space, cost, hws -> {
            List<Measured> out = new ArrayList<>();
            for (RramVariation hw : hws) {
                long t0 = System.nanoTime();
                ChipMonteCarlo.Result r = evaluate.apply(hw);
                out.add(new Measured(r, (System.nanoTime() - t0) / 1e9));
            }
            return out;
        }, log);
    }

    /**
     * Runs the search, handing the new designs of each step to {@code evaluateAll} as one batch (the baseline, then
     * every move of one descent step that is not evaluated yet, in the order of the layers and cell choices, cut at
     * the budget), so that a batch's designs can be evaluated side by side. The designs and the outcome are those
     * of {@link #run} for the same evaluations: a step's moves are all known before any of them is evaluated.
     *
     * @param baseline the uniform high-resolution design at the σ of the search (its ADC bits ≥ the minimum)
     * @param space the layers, choices, margin and budget
     * @param cost (design → [ADC energy per inference in pJ, cells]), e.g. from {@link RramVariation#cost}
     * @param evaluateAll (designs → their Monte-Carlo accuracies, in order), the same chips for every design
     * @param log one line per evaluated design, or null
     * @return the baseline, the chosen design and the front
     * @throws ConfigException naming --adc-bits when the baseline's ADC is below the minimum
     */
    public static Result runInBatches(RramVariation baseline, Space space, Function<RramVariation, double[]> cost,
            Function<List<RramVariation>, List<Measured>> evaluateAll, Consumer<String> log) {
        for (String l : space.layers()) {
            Check.range("--adc-bits", baseline.bitsOf(l).adcBits(), space.minAdcBits(), 24);
        }
        Map<String, Candidate> cache = new LinkedHashMap<>();
        Consumer<List<RramVariation>> eval = hws -> {
            List<RramVariation> fresh = new ArrayList<>();
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (RramVariation hw : hws) {
                if (!cache.containsKey(hw.describe()) && keys.add(hw.describe())) {
                    fresh.add(hw);
                }
            }
            if (fresh.isEmpty()) {
                return;
            }
            List<Measured> ms = evaluateAll.apply(fresh);
            if (ms.size() != fresh.size()) {
                throw new IllegalStateException(fresh.size() + " designs evaluated as " + ms.size());
            }
            for (int i = 0; i < fresh.size(); i++) {
                RramVariation hw = fresh.get(i);
                ChipMonteCarlo.Result r = ms.get(i).accuracy();
                double[] c = cost.apply(hw);
                if (log != null) {
                    log.accept(String.format(java.util.Locale.ROOT, "%3d  %.2f ± %.2f %%  ADC %.4g nJ  %s  (%.1f s)",
                            cache.size() + 1, 100 * r.mean(), 100 * r.std(), c[0] / 1e3, describeLayers(hw, space),
                            ms.get(i).seconds()));
                }
                cache.put(hw.describe(), new Candidate(hw, c[0], (long) c[1], r, ms.get(i).seconds()));
            }
        };
        eval.accept(List.of(baseline));
        Candidate base = cache.get(baseline.describe());
        double threshold = base.mean() - space.margin() - 1e-12;
        Candidate current = base;
        while (cache.size() < space.maxEvaluations()) {
            List<RramVariation> moves = new ArrayList<>();
            java.util.Set<String> fresh = new java.util.HashSet<>();
            for (String l : space.layers()) {
                RramVariation.LayerBits b = current.hw().bitsOf(l);
                if (b.adcBits() <= space.minAdcBits()) {
                    continue;
                }
                for (CellChoice c : space.cells()) {
                    if (cache.size() + fresh.size() >= space.maxEvaluations()) {
                        break;
                    }
                    RramVariation hw = current.hw().withLayer(l, new RramVariation.LayerBits(c.cellBits(),
                            c.weightBits(), b.adcBits() - 1));
                    moves.add(hw);
                    if (!cache.containsKey(hw.describe())) {
                        fresh.add(hw.describe());
                    }
                }
            }
            eval.accept(moves);
            Candidate best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (RramVariation hw : moves) {
                Candidate cand = cache.get(hw.describe());
                if (cand.mean() < threshold) {
                    continue;
                }
                double saved = current.adcEnergyPj() - cand.adcEnergyPj();
                double score = saved / Math.max(current.mean() - cand.mean(), 0.001);
                if (score > bestScore || score == bestScore && best != null && cand.cells() < best.cells()) {
                    bestScore = score;
                    best = cand;
                }
            }
            if (best == null) {
                break;
            }
            current = best;
        }
        List<Candidate> all = new ArrayList<>(cache.values());
        Candidate chosen = base;
        for (Candidate c : all) {
            if (c.mean() >= threshold && (c.adcEnergyPj() < chosen.adcEnergyPj()
                    || c.adcEnergyPj() == chosen.adcEnergyPj() && c.mean() > chosen.mean())) {
                chosen = c;
            }
        }
        ToDoubleFunction<Candidate> e = Candidate::adcEnergyPj;
        return new Result(base, base.mean(), chosen, ParetoFront.of(all, e, Candidate::mean), all);
    }

    /**
     * The per-layer resolutions of a design, compactly: "0=2:9/8 3=2:9/6 …" (cell bits : stored weight bits / ADC
     * bits).
     *
     * @param hw the design
     * @param space gives the layers
     * @return the description
     */
    public static String describeLayers(RramVariation hw, Space space) {
        StringBuilder s = new StringBuilder();
        for (String l : space.layers()) {
            RramVariation.LayerBits b = hw.bitsOf(l);
            s.append(s.length() == 0 ? "" : " ").append(l).append('=').append(b.cellBits()).append(':')
                    .append(b.storedBits()).append('/').append(b.adcBits());
        }
        return s.toString();
    }
}
