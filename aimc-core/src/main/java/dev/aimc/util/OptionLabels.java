package dev.aimc.util;

import java.util.Locale;

/**
 * The one way an enum-valued option is written and read on the command line, in experiment files and in metadata:
 * its constant's name in lower case with '-' for '_' ({@code PER_TIME} → {@code per-time}, {@code ABS_MAX} →
 * {@code abs-max}); reading ignores case and surrounding blanks and accepts '_' for '-'.
 */
public final class OptionLabels {
    private OptionLabels() {}

    /**
     * The label of an option value.
     *
     * @param value an enum constant
     * @return its label
     */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} whose {@link #label} is {@code text}, or null.
     *
     * @param <E> the option's enum
     * @param type the enum class
     * @param text the label as given (any case, surrounding blanks ignored, '_' read as '-'); null gives null
     * @return the constant, or null when no label matches
     */
    public static <E extends Enum<E>> E fromLabel(Class<E> type, String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(t)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The labels of an option's values for an error message: "a or b", "a, b or c".
     *
     * @param type the enum class
     * @return the labels joined
     */
    public static String labels(Class<? extends Enum<?>> type) {
        Enum<?>[] v = type.getEnumConstants();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : i == v.length - 1 ? " or " : ", ").append(label(v[i]));
        }
        return sb.toString();
    }

    /**
     * The constant of {@code type} labelled {@code text}; any other text is an error naming the option.
     *
     * @param <E> the option's enum
     * @param option the option or key named in the error, e.g. "--noise-kind"
     * @param type the enum class
     * @param text the label as given
     * @return the constant
     * @throws ConfigException "OPTION must be a, b or c, got TEXT" for any other text
     */
    public static <E extends Enum<E>> E parse(String option, Class<E> type, String text) {
        E v = fromLabel(type, text);
        if (v == null) {
            throw new ConfigException(option + " must be " + labels(type) + ", got " + text);
        }
        return v;
    }
}
