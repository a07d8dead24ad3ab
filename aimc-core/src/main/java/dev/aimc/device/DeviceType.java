package dev.aimc.device;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One device model as {@code --device} knows it: its name, a one-line summary, the table of its parameters
 * ({@link DeviceParameter}) and how to build it from a complete set of values. {@link DeviceModels#TYPES} lists
 * them; {@link DeviceSpec} parses against them.
 *
 * @param <M> the model type
 */
public final class DeviceType<M extends DeviceModel> {
    private final String name;
    private final String summary;
    private final Class<M> modelClass;
    private final List<DeviceParameter<M>> parameters;
    private final Function<Values, M> factory;
    private final String progNoiseKey;
    private final String driftKey;
    private final String readNoiseKey;

    /**
     * Defines a model type.
     *
     * @param name the model name, e.g. {@code rram}
     * @param summary one line for the help text
     * @param modelClass the model's class
     * @param parameters the parameter table, in the order of help text and {@link DeviceModel#parameters()}
     * @param factory builds the model from every key's value (defaults filled in); may check relations
     *     between keys and throw a {@link ConfigException} naming them
     * @param progNoiseKey the key that {@code --prog-noise-scale} multiplies, or null
     * @param driftKey the key that {@code --drift-scale} multiplies, or null
     * @param readNoiseKey the key that {@code --read-noise-scale} multiplies, or null
     */
    DeviceType(String name, String summary, Class<M> modelClass, List<DeviceParameter<M>> parameters,
            Function<Values, M> factory, String progNoiseKey, String driftKey, String readNoiseKey) {
        this.name = Objects.requireNonNull(name);
        this.summary = Objects.requireNonNull(summary);
        this.modelClass = Objects.requireNonNull(modelClass);
        this.parameters = List.copyOf(parameters);
        this.factory = Objects.requireNonNull(factory);
        this.progNoiseKey = progNoiseKey;
        this.driftKey = driftKey;
        this.readNoiseKey = readNoiseKey;
        for (String k : new String[] {progNoiseKey, driftKey, readNoiseKey}) {
            if (k != null && parameter(k) == null) {
                throw new IllegalArgumentException(name + " has no key " + k);
            }
        }
    }

    /**
     * The model name, as written before the ':' of a spec.
     *
     * @return e.g. "pcm-table"
     */
    public String name() {
        return name;
    }

    /**
     * One line describing the model.
     *
     * @return the one-line summary for the help
     */
    public String summary() {
        return summary;
    }

    /**
     * The model's class.
     *
     * @return the record class implementing the model
     */
    public Class<M> modelClass() {
        return modelClass;
    }

    /**
     * The parameter table, in order.
     *
     * @return the rows, unmodifiable
     */
    public List<DeviceParameter<M>> parameters() {
        return parameters;
    }

    /**
     * The keys, in table order.
     *
     * @return e.g. ["g-max", "prog-noise-scale", "drift-scale", "read-noise-scale"]
     */
    public List<String> keys() {
        List<String> k = new ArrayList<>();
        for (DeviceParameter<M> p : parameters) {
            k.add(p.key());
        }
        return k;
    }

    /**
     * The parameter with this key, or null.
     *
     * @param key the key, e.g. "sigma"
     * @return the row, or null when the model has no such key
     */
    public DeviceParameter<M> parameter(String key) {
        for (DeviceParameter<M> p : parameters) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** The key {@code --prog-noise-scale} multiplies (null: none). */
    String progNoiseKey() {
        return progNoiseKey;
    }

    /** The key {@code --drift-scale} multiplies (null: none). */
    String driftKey() {
        return driftKey;
    }

    /** The key {@code --read-noise-scale} multiplies (null: none). */
    String readNoiseKey() {
        return readNoiseKey;
    }

    /**
     * Builds the model from validated values; keys not given take their defaults.
     *
     * @param where what to name in an error, e.g. {@code "--device rram"}
     * @param given validated values by key (see {@link DeviceParameter#parse})
     * @throws ConfigException for a missing required key or values that contradict each other
     */
    M build(String where, Map<String, Object> given) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (DeviceParameter<M> p : parameters) {
            Object v = given.containsKey(p.key()) ? given.get(p.key()) : p.defaultValue();
            if (v == null) {
                throw new ConfigException(where + ": " + p.key() + " is required (" + p.description() + ")");
            }
            all.put(p.key(), v);
        }
        try {
            return factory.apply(new Values(all));
        } catch (ConfigException e) {
            throw e.getMessage().startsWith(where) ? e : new ConfigException(where + ": " + e.getMessage());
        }
    }

    /**
     * Every parameter of {@code model}, by key in table order.
     *
     * @param model a model of this type
     * @return insertion-ordered map of key to value ({@code Double}, {@code Integer} or {@code String})
     */
    public Map<String, Object> valuesOf(M model) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (DeviceParameter<M> p : parameters) {
            m.put(p.key(), p.valueOf().apply(model));
        }
        return m;
    }

    @Override
    public String toString() {
        return name;
    }

    /** A complete set of values by key, as passed to a type's factory. */
    static final class Values {
        private final Map<String, Object> map;

        Values(Map<String, Object> map) {
            this.map = map;
        }

        /** A real value. */
        double real(String key) {
            return (Double) get(key);
        }

        /** An integer value. */
        int integer(String key) {
            return (Integer) get(key);
        }

        /** A string value (a path). */
        String text(String key) {
            return (String) get(key);
        }

        private Object get(String key) {
            Object v = map.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no key " + key);
            }
            return v;
        }
    }
}
