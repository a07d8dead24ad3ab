package dev.aimc.util;

/** Argument checks that throw {@link ConfigException} naming the option, the rule and the value. */
public final class Check {
    private Check() {}

    /** Requires a finite value &gt; 0. */
    public static double positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new ConfigException(option + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** Requires a finite value &ge; 0. */
    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new ConfigException(option + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** Requires lo &le; value &le; hi. */
    public static int range(String option, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new ConfigException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /** Requires lo &le; value &le; hi for a real value. */
    public static double range(String option, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new ConfigException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /** Requires a condition; otherwise throws with {@code option + " " + rule + ", got " + value}. */
    public static void that(boolean ok, String option, String rule, Object value) {
        if (!ok) {
            throw new ConfigException(option + " " + rule + ", got " + value);
        }
    }
}
