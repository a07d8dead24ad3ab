package dev.aimc.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ParetoFront} on synthetic problems with known fronts. */
class ParetoFrontTest {
    record P(double cost, double value) {}

    @Test
    void frontOfPointsOnAndUnderAKnownCurveIsTheCurve() {
        // the front: value = sqrt(cost) at cost = 1..10; every other point lies strictly below the curve at its cost
        // (value ≤ sqrt(cost) − 0.01), so it is dominated by a cheaper-or-equal front point with a higher value
        List<P> known = new ArrayList<>();
        for (int c = 1; c <= 10; c++) {
            known.add(new P(c, Math.sqrt(c)));
        }
        List<P> all = new ArrayList<>(known);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 500; i++) {
            double c = 1 + 9.5 * r.nextDouble();
            double frontValue = Math.sqrt(Math.floor(Math.min(c, 10)));
            all.add(new P(c, frontValue - 0.01 - 2 * r.nextDouble()));
        }
        java.util.Collections.shuffle(all, new java.util.Random(3));
        List<P> front = ParetoFront.of(all, P::cost, P::value);
        assertEquals(known, front);
    }

    @Test
    void equalPointsKeepTheFirstAndTiesInCostKeepTheBestValue() {
        P a = new P(1, 0.5);
        P b = new P(1, 0.5);
        P c = new P(1, 0.7);
        P d = new P(2, 0.7);
        List<P> front = ParetoFront.of(List.of(a, b, c, d), P::cost, P::value);
        assertEquals(1, front.size());
        assertTrue(front.get(0) == c);
        assertEquals(List.of(), ParetoFront.of(List.<P>of(), P::cost, P::value));
        assertTrue(ParetoFront.dominates(1, 0.7, 1, 0.5));
        assertFalse(ParetoFront.dominates(1, 0.5, 1, 0.5));
        assertFalse(ParetoFront.dominates(1, 0.5, 2, 0.7));
        assertThrows(IllegalArgumentException.class, () -> ParetoFront.of(List.of(new P(Double.NaN, 1)), P::cost,
                P::value));
    }
}
