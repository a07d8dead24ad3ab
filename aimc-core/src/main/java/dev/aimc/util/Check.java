package dev.aimc.util;

/** Argument checks that throw {@link ConfigException} naming the option, the rule and the value. */
public final class Check {
    private Check() {}

    /**
     * Requires a finite value &gt; 0.
     *
     * @param option the option named in the message
     * @param value the value
     * @return {@code value}
     * @throws ConfigException "OPTION must be a finite number &gt; 0, got VALUE"
     */
    public static double positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new ConfigException(option + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /**
     * Requires a finite value &ge; 0.
     *
     * @param option the option named in the message
     * @param value the value
     * @return {@code value}
     * @throws ConfigException "OPTION must be a finite number &gt;= 0, got VALUE"
     */
    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new ConfigException(option + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /**
     * Requires lo &le; value &le; hi.
     *
     * @param option the option named in the message
     * @param value the value
     * @param lo smallest valid value
     * @param hi largest valid value
     * @return {@code value}
     * @throws ConfigException "OPTION must be in [LO, HI], got VALUE"
     */
    public static int range(String option, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new ConfigException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /**
     * Requires lo &le; value &le; hi for a real value.
     *
     * @param option the option named in the message
     * @param value the value
     * @param lo smallest valid value
     * @param hi largest valid value
     * @return {@code value}
     * @throws ConfigException when the value is outside [lo, hi] or not a number
     */
    public static double range(String option, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new ConfigException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /**
     * Requires a condition; otherwise throws with {@code option + " " + rule + ", got " + value}.
     *
     * @param ok the condition
     * @param option the option named in the message
     * @param rule the rule, e.g. "must be 0 (off) or in [2, 24]"
     * @param value the value found
     */
    public static void that(boolean ok, String option, String rule, Object value) {
        if (!ok) {
            throw new ConfigException(option + " " + rule + ", got " + value);
        }
    }
}
