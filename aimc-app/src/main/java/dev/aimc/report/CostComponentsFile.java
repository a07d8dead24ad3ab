package dev.aimc.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aimc.cost.CostComponents;
import dev.aimc.util.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a component table ({@code aimc cost --components FILE}) from YAML or JSON into {@link CostComponents}. Every
 * key is required; a missing or unknown key, a value that is not a number, a negative or non-finite figure is one
 * {@link ConfigException} naming the file and the dotted key. The default table is the resource
 * {@value #DEFAULT_RESOURCE} (ISAAC, 32 nm).
 */
public final class CostComponentsFile {
    private CostComponentsFile() {}

    /** The class-path resource of the default table. */
    public static final String DEFAULT_RESOURCE = "/dev/aimc/report/isaac-32nm.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> ADC = List.of("bits", "energyPjPerConversion", "areaUm2", "sampleRateGsps",
            "source");
    private static final List<String> DAC = List.of("bits", "energyPjPerConversion", "areaUm2", "source");
    private static final List<String> EVENT = List.of("energyPj", "areaUm2", "source");
    private static final List<String> SHARED = List.of("energyPjPerBit", "powerMw", "areaUm2", "arraysServed",
            "source");
    private static final List<String> TOP = List.of("name", "adc", "dac", "sampleHold", "cell", "shiftAdd",
            "subtractor", "digital", "buffer", "bus", "router", "registers", "tileLogic");

    /**
     * The default table (ISAAC, 32 nm), shipped with aimc.
     *
     * @return the parsed resource
     */
    public static CostComponents isaac() {
        try (InputStream in = CostComponentsFile.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing from the jar");
            }
            return parse(DEFAULT_RESOURCE, YAML.readValue(in, Object.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /**
     * Reads a table.
     *
     * @param file a YAML or JSON file
     * @return the validated table
     * @throws ConfigException naming the file (and key) when it is missing, unreadable, not YAML or invalid
     */
    public static CostComponents load(Path file) {
        Object root;
        try {
            root = YAML.readValue(Files.readAllBytes(file), Object.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--components " + file + " does not exist");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String m = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().split("\n")[0];
            throw new ConfigException(file + ": not valid YAML (" + m.strip() + ")");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(file.toString(), root);
    }

    /**
     * Validates a parsed document.
     *
     * @param file the file's name, for messages
     * @param root the parsed YAML (a mapping)
     * @return the table
     * @throws ConfigException "FILE: key K ..." for any invalid, missing or unknown key
     */
    static CostComponents parse(String file, Object root) {
        Map<?, ?> top = map(file, "", root);
        keys(file, "", top, TOP);
        String name = text(file, "name", top.get("name"));
        try {
            Map<?, ?> a = section(file, top, "adc", ADC);
            Map<?, ?> d = section(file, top, "dac", DAC);
            return new CostComponents(name,
                    new CostComponents.Adc(bits(file, "adc.bits", a.get("bits")),
                            num(file, "adc.energyPjPerConversion", a.get("energyPjPerConversion")),
                            num(file, "adc.areaUm2", a.get("areaUm2")),
                            positive(file, "adc.sampleRateGsps", a.get("sampleRateGsps")),
                            text(file, "adc.source", a.get("source"))),
                    new CostComponents.Dac(bits(file, "dac.bits", d.get("bits")),
                            num(file, "dac.energyPjPerConversion", d.get("energyPjPerConversion")),
                            num(file, "dac.areaUm2", d.get("areaUm2")), text(file, "dac.source", d.get("source"))),
                    event(file, top, "sampleHold"), event(file, top, "cell"), event(file, top, "shiftAdd"),
                    event(file, top, "subtractor"), event(file, top, "digital"), shared(file, top, "buffer"),
                    shared(file, top, "bus"), shared(file, top, "router"), shared(file, top, "registers"),
                    shared(file, top, "tileLogic"));
        } catch (ConfigException e) {
            throw e.getMessage().startsWith(file) ? e : new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static CostComponents.PerEvent event(String file, Map<?, ?> top, String key) {
        Map<?, ?> m = section(file, top, key, EVENT);
        return new CostComponents.PerEvent(num(file, key + ".energyPj", m.get("energyPj")),
                num(file, key + ".areaUm2", m.get("areaUm2")), text(file, key + ".source", m.get("source")));
    }

    private static CostComponents.Shared shared(String file, Map<?, ?> top, String key) {
        Map<?, ?> m = section(file, top, key, SHARED);
        double served = positive(file, key + ".arraysServed", m.get("arraysServed"));
        if (served != Math.rint(served) || served > (1 << 20)) {
            throw new ConfigException(file + ": key " + key + ".arraysServed must be a whole number in [1, 1048576],"
                    + " got " + m.get("arraysServed"));
        }
        return new CostComponents.Shared(num(file, key + ".energyPjPerBit", m.get("energyPjPerBit")),
                num(file, key + ".powerMw", m.get("powerMw")), num(file, key + ".areaUm2", m.get("areaUm2")),
                (int) served, text(file, key + ".source", m.get("source")));
    }

    private static Map<?, ?> section(String file, Map<?, ?> top, String key, List<String> allowed) {
        Map<?, ?> m = map(file, key, top.get(key));
        keys(file, key + ".", m, allowed);
        return m;
    }

    private static Map<?, ?> map(String file, String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new ConfigException(file + ": " + (key.isEmpty() ? "the file" : "key " + key)
                + " must be a mapping of keys to values, got " + (v == null ? "nothing" : v));
    }

    /** Missing and unknown keys. */
    private static void keys(String file, String prefix, Map<?, ?> m, List<String> allowed) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new ConfigException(file + ": unknown key " + prefix + k + " (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
        Set<String> missing = new LinkedHashSet<>(allowed);
        m.keySet().forEach(k -> missing.remove(String.valueOf(k)));
        if (!missing.isEmpty()) {
            throw new ConfigException(file + ": key " + prefix + missing.iterator().next() + " is missing");
        }
    }

    private static double num(String file, String key, Object v) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw new ConfigException(file + ": key " + key + " must be a number >= 0, got " + v);
        }
        if (n.doubleValue() < 0) {
            throw new ConfigException(file + ": key " + key + " must be a number >= 0 (a negative figure), got "
                    + v);
        }
        return n.doubleValue();
    }

    private static double positive(String file, String key, Object v) {
        double x = num(file, key, v);
        if (x <= 0) {
            throw new ConfigException(file + ": key " + key + " must be a number > 0, got " + v);
        }
        return x;
    }

    private static int bits(String file, String key, Object v) {
        if (!(v instanceof Integer i) || i < 1 || i > 16) {
            throw new ConfigException(file + ": key " + key + " must be a whole number in [1, 16], got " + v);
        }
        return i;
    }

    private static String text(String file, String key, Object v) {
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ConfigException(file + ": key " + key + " must be a non-empty text, got " + v);
        }
        return s;
    }
}
