package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ziggurat's own exp and log (shared with the native kernels) against the JDK's correctly specified ones. */
class ZigguratMathTest {
    /** Distance in units in the last place. */
    static long ulps(double a, double b) {
        return Math.abs(Double.doubleToLongBits(a) - Double.doubleToLongBits(b));
    }

    @Test
    void expIsWithinTwoUlpOnTheRangeTheWedgeTestUses() {
        SplittableRandom r = new SplittableRandom(11);
        long worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double a = -r.nextDouble() * 8; // −x²/2 for x up to r = 3.65 is ≥ −6.7
            worst = Math.max(worst, ulps(Ziggurat.exp(a), StrictMath.exp(a)));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1.0, Ziggurat.exp(0.0));
        assertEquals(StrictMath.exp(-700.0), Ziggurat.exp(-700.0), Math.ulp(StrictMath.exp(-700.0)) * 2);
    }

    @Test
    void logIsWithinFourUlpDownToTheSmallestUniform() {
        SplittableRandom r = new SplittableRandom(12);
        long worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double v = 1.0 - r.nextDouble(); // (0, 1], as in the tail
            worst = Math.max(worst, ulps(Ziggurat.log(v), StrictMath.log(v)));
        }
        for (double v : new double[] {Math.ulp(1.0), 0x1p-40, 0.5, Math.sqrt(0.5), Math.sqrt(2) / 2 + 1e-12, 1.0}) {
            worst = Math.max(worst, ulps(Ziggurat.log(v), StrictMath.log(v)));
        }
        assertTrue(worst <= 4, "worst error " + worst + " ulp"); // 3 seen: ln m − ln 2 cancels for v near ½
        assertEquals(0.0, Ziggurat.log(1.0));
    }
}
