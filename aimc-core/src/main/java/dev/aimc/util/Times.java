package dev.aimc.util;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Times since programming: "1,3600,1h,1d,1y" (seconds, or a number with s, m, h, d, w, mo, y), and short labels. */
public final class Times {
    private Times() {}

    private static final String[][] UNITS = {{"mo", "2592000"}, {"s", "1"}, {"m", "60"}, {"h", "3600"},
        {"d", "86400"}, {"w", "604800"}, {"y", "31536000"}};

    /**
     * Parses a comma-separated list; a bad entry is a ConfigException naming {@code option}.
     *
     * @param option the option named in the message
     * @param list e.g. "1,1h,1d,1y"
     * @return seconds, in order
     * @throws ConfigException naming {@code option} for a bad entry
     */
    public static List<Double> parse(String option, String list) {
        List<Double> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            if (!raw.isBlank()) {
                out.add(parseOne(option, raw));
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(option + " must list at least one time, got " + list);
        }
        return out;
    }

    /**
     * One time: seconds, or a number with a unit suffix.
     *
     * @param option the option named in the message
     * @param raw e.g. "3600", "1h", "30d"
     * @return seconds, ≥ 0
     * @throws ConfigException naming {@code option} for a malformed, negative or infinite time
     */
    public static double parseOne(String option, String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        double unit = 1;
        for (String[] u : UNITS) {
            if (s.endsWith(u[0]) && s.length() > u[0].length()
                    && !Character.isLetter(s.charAt(s.length() - u[0].length() - 1))) {
                unit = Double.parseDouble(u[1]);
                s = s.substring(0, s.length() - u[0].length()).strip();
                break;
            }
        }
        double v;
        try {
            v = Double.parseDouble(s) * unit;
        } catch (NumberFormatException e) {
            throw new ConfigException(option + " must be times in seconds or with a unit (s, m, h, d, w, mo, y), got "
                    + raw.strip());
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigException(option + " must be finite times >= 0 seconds, got " + raw.strip());
        }
        return v;
    }

    /**
     * "1 s", "1 h", "1 d", "30 d", "1 y".
     *
     * @param t seconds
     * @return the label
     */
    public static String label(double t) {
        double[] u = {31536000, 86400, 3600, 60, 1};
        String[] n = {"y", "d", "h", "min", "s"};
        for (int i = 0; i < u.length; i++) {
            if (t >= u[i]) {
                double v = t / u[i];
                return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3g", v)) + " "
                        + n[i];
            }
        }
        return t == 0 ? "0 s" : String.format(Locale.ROOT, "%.3g s", t);
    }
}
