package dev.aimc.device;

import dev.aimc.util.ConfigException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.function.Function;

/**
 * One settable parameter of a device model: its key in {@code --device NAME:KEY=VALUE,...} and in experiment
 * files, its unit, default and valid range, and how to read it back from a built model. The rows of a
 * {@link DeviceType}'s table; the parser, the help text and {@link DeviceModel#parameters()} all come from them.
 *
 * @param key the key, lower-case words joined by '-', e.g. {@code g-max}
 * @param unit the unit, e.g. {@code µS}; {@code 1} for a dimensionless number, {@code path} for a file
 * @param kind real number, integer or file path
 * @param defaultValue the default (a {@code Double}, an {@code Integer}), or null when the key is required
 * @param min the smallest valid value (REAL, INTEGER)
 * @param minExclusive whether {@code min} itself is invalid
 * @param max the largest valid value, or +∞
 * @param description one line for the help text
 * @param valueOf the parameter's value in a built model (a {@code Double}, {@code Integer} or {@code String})
 * @param <M> the model type
 */
public record DeviceParameter<M extends DeviceModel>(String key, String unit, Kind kind, Object defaultValue,
        double min, boolean minExclusive, double max, String description, Function<M, Object> valueOf) {

    /** What a value is. */
    public enum Kind {
        /** A finite real number, stored as a {@code Double}. */
        REAL,
        /** An integer, stored as an {@code Integer}. */
        INTEGER,
        /** A file path, stored as a {@code String}. */
        FILE
    }

    /**
     * Checks the row itself (a programming error, not bad input, if it fails).
     *
     * @param key the key as written in a spec, lower-case words joined by '-', e.g. "g-max"
     * @param unit the unit shown in the help, e.g. "µS", or "" for a dimensionless value
     * @param kind real number, integer or file path
     * @param defaultValue the default (a {@code Double}, an {@code Integer}), or null when the key is required
     * @param min the smallest valid value (REAL, INTEGER)
     * @param minExclusive whether {@code min} itself is invalid
     * @param max the largest valid value, or +∞
     * @param description one line for the help text
     * @param valueOf the parameter's value in a built model
     * @throws IllegalArgumentException when the key is not lower-case words joined by '-'
     */
    public DeviceParameter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(valueOf, "valueOf");
        if (!key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("bad key " + key);
        }
    }

    /**
     * A real parameter valid in [min, max] (or (min, max] when {@code minExclusive}).
     *
     * @param <M> the model type
     * @param key the key, e.g. "drift-scale"
     * @param unit the unit shown in the help, or ""
     * @param dflt the default value
     * @param min the smallest valid value
     * @param minExclusive whether {@code min} itself is invalid (e.g. g-max &gt; 0)
     * @param max the largest valid value, or {@code Double.POSITIVE_INFINITY}
     * @param description one line for the help text
     * @param valueOf reads the value from a built model
     * @return the table row
     */
    public static <M extends DeviceModel> DeviceParameter<M> real(String key, String unit, double dflt, double min,
            boolean minExclusive, double max, String description, Function<M, Object> valueOf) {
        return new DeviceParameter<>(key, unit, Kind.REAL, dflt, min, minExclusive, max, description, valueOf);
    }

    /**
     * An integer parameter valid in [min, max].
     *
     * @param <M> the model type
     * @param key the key, e.g. "bits"
     * @param unit the unit shown in the help, or ""
     * @param dflt the default value
     * @param min the smallest valid value
     * @param max the largest valid value
     * @param description one line for the help text
     * @param valueOf reads the value from a built model
     * @return the table row
     */
    public static <M extends DeviceModel> DeviceParameter<M> integer(String key, String unit, int dflt, int min,
            int max, String description, Function<M, Object> valueOf) {
        return new DeviceParameter<>(key, unit, Kind.INTEGER, dflt, min, false, max, description, valueOf);
    }

    /**
     * A required file path.
     *
     * @param <M> the model type
     * @param key the key, e.g. "file"
     * @param description one line for the help text
     * @param valueOf reads the path from a built model
     * @return the table row, without a default
     */
    public static <M extends DeviceModel> DeviceParameter<M> file(String key, String description,
            Function<M, Object> valueOf) {
        return new DeviceParameter<>(key, "path", Kind.FILE, null, 0, false, 0, description, valueOf);
    }

    /**
     * Whether the key must be given (it has no default).
     *
     * @return true when {@link #defaultValue()} is null
     */
    public boolean required() {
        return defaultValue == null;
    }

    /**
     * The valid range as text, e.g. {@code > 0}, {@code >= 0}, {@code [0, 16]}; "a file" for a path.
     *
     * @return the range for the help table
     */
    public String range() {
        if (kind == Kind.FILE) {
            return "a file";
        }
        if (Double.isInfinite(max)) {
            return (minExclusive ? "> " : ">= ") + format(min);
        }
        return (minExclusive ? "(" : "[") + format(min) + ", " + format(max) + "]";
    }

    /**
     * The default as text, or "required".
     *
     * @return e.g. "25" or "required"
     */
    public String defaultText() {
        return required() ? "required" : format(defaultValue);
    }

    /**
     * Converts and validates one value given as text (command line) or a YAML scalar.
     *
     * @param where what to name in an error, e.g. {@code "--device rram"}
     * @param raw a {@code String} or a {@code Number}
     * @return a {@code Double}, {@code Integer} or {@code String} as {@link #kind()} says
     * @throws ConfigException one line naming {@code where}, the key and the value
     */
    public Object parse(String where, Object raw) {
        String text = raw == null ? "" : String.valueOf(raw).strip();
        switch (kind) {
            case FILE -> {
                if (text.isEmpty() || !(raw instanceof String)) {
                    throw bad(where, "must be a file path", raw);
                }
                return text;
            }
            case INTEGER -> {
                long v;
                try {
                    v = raw instanceof Number n && !(raw instanceof Double || raw instanceof Float)
                            ? n.longValue() : Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw bad(where, "must be an integer in " + range(), raw);
                }
                if (v < min || v > max) {
                    throw bad(where, "must be an integer in " + range(), raw);
                }
                return (int) v;
            }
            default -> {
                double v;
                try {
                    v = raw instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw bad(where, "must be a number " + range(), raw);
                }
                if (!Double.isFinite(v) || text.endsWith("d") || text.endsWith("D") || text.endsWith("f")
                        || text.endsWith("F")) {
                    throw bad(where, "must be a finite number " + range(), raw);
                }
                boolean ok = (minExclusive ? v > min : v >= min) && v <= max;
                if (!ok) {
                    throw bad(where, "must be " + (Double.isInfinite(max) ? range() : "in " + range()), raw);
                }
                return v;
            }
        }
    }

    private ConfigException bad(String where, String rule, Object raw) {
        return new ConfigException(where + ": " + key + " " + rule + ", got " + raw);
    }

    /** A value as written in a spec: integers and reals without trailing zeros, paths as they are. */
    static String format(Object v) {
        if (v instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : d.toString();
        }
        return String.valueOf(v);
    }
}
