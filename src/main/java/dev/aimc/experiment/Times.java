package dev.aimc.experiment;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.List;

/** Parsing and labelling of inference times. */
public final class Times {
    private Times() {}

    /** Parses "1,3600,1d,1y" (plain seconds or a number with s, m, h, d, w, mo, y); ConfigException on error. */
    public static List<Double> parse(String option, String list) {
        List<Double> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String s = raw.strip().toLowerCase();
            if (s.isEmpty()) {
                continue;
            }
            double unit = 1;
            String[][] units = {{"mo", "2592000"}, {"s", "1"}, {"m", "60"}, {"h", "3600"}, {"d", "86400"},
                {"w", "604800"}, {"y", "31536000"}};
            for (String[] u : units) {
                if (s.endsWith(u[0]) && s.length() > u[0].length()
                        && !Character.isLetter(s.charAt(s.length() - u[0].length() - 1))) {
                    unit = Double.parseDouble(u[1]);
                    s = s.substring(0, s.length() - u[0].length());
                    break;
                }
            }
            double v;
            try {
                v = Double.parseDouble(s) * unit;
            } catch (NumberFormatException e) {
                throw new ConfigException(option + " must be a comma-separated list of times in seconds, got "
                        + raw.strip());
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new ConfigException(option + " must be finite times >= 0 seconds, got " + raw.strip());
            }
            out.add(v);
        }
        if (out.isEmpty()) {
            throw new ConfigException(option + " must list at least one time, got " + list);
        }
        return out;
    }

    /** A short label: "1 s", "1 h", "1 d", "30 d", "1 y", or seconds. */
    public static String label(double t) {
        double[] u = {31536000, 86400, 3600, 60, 1};
        String[] n = {"y", "d", "h", "min", "s"};
        for (int i = 0; i < u.length; i++) {
            if (t >= u[i]) {
                double v = t / u[i];
                return (v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.3g", v)) + " " + n[i];
            }
        }
        return t == 0 ? "0 s" : String.format("%.3g s", t);
    }
}
