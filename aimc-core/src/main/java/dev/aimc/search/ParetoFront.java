package dev.aimc.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Pareto front of a set of evaluated candidates with one cost to minimize (e.g. ADC energy per inference) and
 * one value to maximize (e.g. Monte-Carlo accuracy): the candidates no other candidate dominates. A candidate a
 * dominates b when cost(a) ≤ cost(b) and value(a) ≥ value(b) with at least one strict; of candidates equal in both,
 * the first given is kept. NaN costs or values are not allowed.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /**
     * The non-dominated candidates, by increasing cost (and so increasing value).
     *
     * @param candidates the evaluated candidates (any order)
     * @param cost the cost to minimize
     * @param value the value to maximize
     * @param <T> the candidate type
     * @return the front, a new list; empty for no candidates
     * @throws IllegalArgumentException on a NaN cost or value
     */
    public static <T> List<T> of(Collection<T> candidates, ToDoubleFunction<T> cost, ToDoubleFunction<T> value) {
        List<T> sorted = new ArrayList<>(candidates);
        for (T t : sorted) {
            if (Double.isNaN(cost.applyAsDouble(t)) || Double.isNaN(value.applyAsDouble(t))) {
                throw new IllegalArgumentException("NaN cost or value: " + t);
            }
        }
        // stable sort: by cost, then by value descending; a candidate is on the front iff its value beats every
        // cheaper-or-equal one seen before it
        sorted.sort(Comparator.comparingDouble(cost).thenComparing(Comparator.comparingDouble(value).reversed()));
        List<T> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (T t : sorted) {
            double v = value.applyAsDouble(t);
            if (v > best) {
                front.add(t);
                best = v;
            }
        }
        return front;
    }

    /**
     * Whether {@code a} dominates {@code b}.
     *
     * @param costA cost of a
     * @param valueA value of a
     * @param costB cost of b
     * @param valueB value of b
     * @return true when a is no worse in both and better in one
     */
    public static boolean dominates(double costA, double valueA, double costB, double valueB) {
        return costA <= costB && valueA >= valueB && (costA < costB || valueA > valueB);
    }
}
