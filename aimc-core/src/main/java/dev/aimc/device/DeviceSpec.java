package dev.aimc.device;

import dev.aimc.util.ConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed device specification: a model name and the parameters given for it, validated against the model's
 * table ({@link DeviceType}); the keys not given keep their defaults.
 *
 * <p>Text form ({@code --device}, {@code evaluation.device} in an experiment file):
 * <pre>
 * SPEC  := NAME [ ":" PAIR { "," PAIR } ]      e.g. rram:sigma=0.3,bits=2,g-min=10,g-max=100
 * PAIR  := KEY "=" VALUE                       keys and units: aimc device --help
 * </pre>
 * For {@code pcm-table} the table file is the key {@code file} ({@code pcm-table:file=nu.csv,g-max=25}), or,
 * when the text after the ':' holds no '=', that whole text ({@code pcm-table:nu.csv}); a path holding ',' or
 * '=' can only be given in that second form, without other keys. Blanks around names, keys and values are
 * ignored; a key may be given once.
 *
 * <p>Map form (experiment files): {@code {name: rram, sigma: 0.3, bits: 2}}, the same keys.
 */
public final class DeviceSpec {
    /** Label of errors in specs from the command line. */
    public static final String OPTION = "--device";

    private final DeviceType<?> type;
    private final Map<String, Object> given;
    private final String label;

    private DeviceSpec(DeviceType<?> type, Map<String, Object> given, String label) {
        this.type = type;
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        this.label = label;
        Object file = given.get("file");
        if (file != null && given.size() > 1 && (file.toString().contains(",") || file.toString().contains("="))) {
            throw new ConfigException(where() + ": file path " + file + " holds ',' or '=', which is only "
                    + "allowed without other keys (" + type.name() + ":PATH)");
        }
    }

    /**
     * Parses a command-line spec; errors name {@value #OPTION}.
     *
     * @param text the spec, e.g. "rram:sigma=0.3,bits=2"
     * @return the parsed, validated spec
     */
    public static DeviceSpec parse(String text) {
        return parse(OPTION, text);
    }

    /**
     * Parses a spec in text form.
     *
     * @param label what errors name first, e.g. {@code --device} or {@code exp.yaml: evaluation.device}
     * @param text the spec, e.g. {@code rram:sigma=0.3,bits=2}
     * @return the parsed, validated spec
     * @throws ConfigException one line for an unknown model, a malformed pair, an unknown or repeated key or an
     *     invalid value
     */
    public static DeviceSpec parse(String label, String text) {
        String s = text == null ? "" : text.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip();
        DeviceType<?> type = type(label, name, text);
        String where = label + " " + name;
        Map<String, Object> given = new LinkedHashMap<>();
        if (colon >= 0) {
            String args = s.substring(colon + 1).strip();
            if (args.isEmpty()) {
                throw new ConfigException(where + ": expected KEY=VALUE after '" + name + ":', got nothing"
                        + (type.parameter("file") != null ? " (pcm-table:FILE.csv)" : ""));
            }
            if (type.parameter("file") != null && args.indexOf('=') < 0) {
                given.put("file", type.parameter("file").parse(where, args));
            } else {
                for (String item : args.split(",", -1)) {
                    int eq = item.indexOf('=');
                    String key = eq < 0 ? "" : item.substring(0, eq).strip();
                    String value = eq < 0 ? "" : item.substring(eq + 1).strip();
                    if (key.isEmpty() || value.isEmpty()) {
                        throw new ConfigException(where + ": expected KEY=VALUE, got '" + item.strip() + "'");
                    }
                    put(type, where, given, key, value);
                }
            }
        }
        return new DeviceSpec(type, given, label);
    }

    /**
     * Builds a spec from a map with the key {@code name} and parameter keys, e.g. a YAML mapping
     * {@code {name: rram, sigma: 0.3}}; values are strings or numbers.
     *
     * @param label what errors name first
     * @param map the mapping: {@code name} and parameter keys
     * @return the validated spec
     * @throws ConfigException as {@link #parse(String, String)}
     */
    public static DeviceSpec of(String label, Map<String, ?> map) {
        Object n = map.get("name");
        if (!(n instanceof String name) || name.isBlank()) {
            throw new ConfigException(label + ": name is required, one of " + names() + ", got "
                    + (n == null ? "nothing" : n));
        }
        DeviceType<?> type = type(label, name.strip(), name);
        String where = label + " " + type.name();
        Map<String, Object> given = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            if (!e.getKey().equals("name")) {
                put(type, where, given, e.getKey(), e.getValue());
            }
        }
        return new DeviceSpec(type, given, label);
    }

    private static DeviceType<?> type(String label, String name, String text) {
        for (DeviceType<?> t : DeviceModels.TYPES) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new ConfigException(label + ": unknown device model '" + name + "' in '" + (text == null ? "" : text)
                + "'; valid: " + names() + " (NAME[:KEY=VALUE,...])");
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (DeviceType<?> t : DeviceModels.TYPES) {
            b.append(b.length() == 0 ? "" : ", ").append(t.name());
        }
        return b.toString();
    }

    private static void put(DeviceType<?> type, String where, Map<String, Object> given, String key, Object value) {
        DeviceParameter<?> p = type.parameter(key);
        if (p == null) {
            throw new ConfigException(where + ": unknown key '" + key + "'; valid keys: "
                    + String.join(", ", type.keys()));
        }
        if (given.containsKey(key)) {
            throw new ConfigException(where + ": key " + key + " given twice");
        }
        given.put(key, p.parse(where, value));
    }

    /**
     * The model type.
     *
     * @return the type the spec's name selects
     */
    public DeviceType<?> type() {
        return type;
    }

    /**
     * The model name.
     *
     * @return e.g. "pcm" or "rram"
     */
    public String name() {
        return type.name();
    }

    /**
     * The values given, validated, by key in the order given (defaults not included).
     *
     * @return an unmodifiable insertion-ordered map, values {@code Double}, {@code Integer} or {@code String}
     */
    public Map<String, Object> given() {
        return given;
    }

    /**
     * Whether {@code key} was given.
     *
     * @param key a parameter key, e.g. "g-max"
     * @return true when the spec gives a value for it
     */
    public boolean has(String key) {
        return given.containsKey(key);
    }

    /**
     * This spec with one more (or a replaced) value, validated.
     *
     * @param value a {@code String} or {@code Number}
     * @param key the key, e.g. "sigma"
     * @return a new spec; this one is unchanged
     * @throws ConfigException for an unknown key or an invalid value
     */
    public DeviceSpec with(String key, Object value) {
        String where = where();
        DeviceParameter<?> p = type.parameter(key);
        if (p == null) {
            throw new ConfigException(where + ": unknown key '" + key + "'; valid keys: "
                    + String.join(", ", type.keys()));
        }
        Map<String, Object> g = new LinkedHashMap<>(given);
        g.put(key, p.parse(where, value));
        return new DeviceSpec(type, g, label);
    }

    /**
     * Builds the model.
     *
     * @return the model with the given values and the defaults for the rest
     * @throws ConfigException for a missing required key or values that contradict each other (g-min ≥ g-max)
     * @throws dev.aimc.util.DataFormatException for an unreadable or invalid table file
     */
    public DeviceModel build() {
        return type.build(where(), given);
    }

    private String where() {
        return label + " " + type.name();
    }

    /** The text form, parsed back by {@link #parse(String)} to an equal spec: {@code rram:sigma=0.3,bits=2}. */
    @Override
    public String toString() {
        if (given.isEmpty()) {
            return type.name();
        }
        if (given.size() == 1 && given.containsKey("file")) {
            return type.name() + ":" + given.get("file");
        }
        StringBuilder b = new StringBuilder(type.name()).append(':');
        String sep = "";
        for (Map.Entry<String, Object> e : given.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(DeviceParameter.format(e.getValue()));
            sep = ",";
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceSpec d && d.type == type && d.given.equals(given);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type.name(), given);
    }
}
