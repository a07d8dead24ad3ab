package dev.aimc.experiment;

import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry of compensation variants by name, as given to {@code --compensation}. */
public final class Compensations {
    private static final Map<String, Supplier<Compensation>> REGISTRY = new LinkedHashMap<>();

    static {
        register("none", () -> Compensation.NONE);
        dev.aimc.compensation.Schemes.registerAll(); // gdc, gdc-col, adabs, ratio and combinations
    }

    private Compensations() {}

    /** Registers a variant (later: gdc, adabs, ratio). */
    public static synchronized void register(String name, Supplier<Compensation> factory) {
        REGISTRY.put(name, factory);
    }

    /** Names known now. */
    public static synchronized List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }

    /** Parses a comma-separated list; unknown names give a ConfigException naming the option. */
    public static synchronized List<Compensation> parse(List<String> names) {
        List<Compensation> out = new ArrayList<>();
        for (String n : names) {
            Supplier<Compensation> f = REGISTRY.get(n.strip());
            if (f == null) {
                throw new ConfigException("--compensation must be a list of " + String.join(", ", REGISTRY.keySet())
                        + ", got " + n);
            }
            if (out.stream().anyMatch(c -> c.name().equals(n.strip()))) {
                throw new ConfigException("--compensation lists " + n + " twice");
            }
            out.add(f.get());
        }
        if (out.isEmpty()) {
            throw new ConfigException("--compensation must name at least one variant, got " + names);
        }
        return out;
    }
}
