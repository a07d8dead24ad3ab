package dev.aimc.runner;

import dev.aimc.util.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment file that runs one of aimc's study commands with its options written as YAML, for the studies the
 * inference runner ({@link ExperimentFile}) does not express: the design searches and the variation sweeps. Run
 * with {@code aimc run FILE} like any experiment file:
 *
 * <pre>
 * name: garcia2020-har-search          # required: results go to results/&lt;name&gt; unless --out
 * title: ...                           # optional, free text
 * command: arch-search                 # one of {@link #COMMANDS}
 * options:                             # the command's options without "--": scalar, list (joined with commas),
 *   dataset: har                       # true (a flag), false (left out)
 *   budget: 48
 *   cell-bits: [2, 4]
 * quick:                               # optional: options replaced or added by run --quick
 *   budget: 8
 * variants:                            # optional: the command runs once per variant, in file order, with
 *   plain: {}                          # options, then the variant's, then quick's (under --quick)
 *   lip: {lipschitz-beta: 5e-4}
 * </pre>
 *
 * <p>{@code run}'s own {@code --out}, {@code --data-dir}, {@code --threads}, {@code --spark} and {@code
 * --no-progress} are handed on where the command has them; its output goes to {@code --out} for a command with an
 * output folder, or to {@code --json OUT/<name>.json} (and the report beside it) for one that writes JSON. With
 * variants, each variant's goes to {@code OUT/<variant>} or {@code OUT/<variant>.json}: a training file with variants
 * trains several networks side by side in one folder, as the reproductions' scripts do.
 */
public final class CommandFile {
    /** The commands a command file may run. */
    public static final Set<String> COMMANDS = Set.of("arch-search", "quant-search", "place-compensation", "variation",
            "evaluate", "mvm-error", "train", "cost");
    /** A name that may name a folder or file: letters, digits, '.', '_', '-'. */
    private static final String WORD = "[A-Za-z0-9._-]+";

    private final Path file;
    private final String name;
    private final String title;
    private final String command;
    private final Map<String, Object> options;
    private final Map<String, Object> quick;
    private final Map<String, Map<String, Object>> variants;

    private CommandFile(Path file, String name, String title, String command, Map<String, Object> options,
            Map<String, Object> quick, Map<String, Map<String, Object>> variants) {
        this.file = file;
        this.name = name;
        this.title = title;
        this.command = command;
        this.options = options;
        this.quick = quick;
        this.variants = variants;
    }

    /**
     * Whether {@code file}'s document is a command file (it has a top-level {@code command} key).
     *
     * @param document the parsed YAML document
     * @return true for a command file, false for an inference experiment file
     */
    public static boolean isCommandFile(Object document) {
        return document instanceof Map<?, ?> m && m.containsKey("command");
    }

    /**
     * The parsed YAML document of {@code file}, with line and column for a syntax error.
     *
     * @param file the experiment file
     * @return the document (maps, lists, scalars)
     * @throws ConfigException when the file is missing or not valid YAML
     */
    public static Object document(Path file) {
        return ExperimentFile.document(file);
    }

    /**
     * Validates a command file's document.
     *
     * @param file the file, for messages
     * @param document its parsed document
     * @return the command file
     * @throws ConfigException naming the file and key for an unknown key, command or value type
     */
    @SuppressWarnings("unchecked")
    public static CommandFile parse(Path file, Object document) {
        if (!(document instanceof Map<?, ?> root)) {
            throw new ConfigException(file + ": expected a mapping at the top level");
        }
        for (Object k : root.keySet()) {
            if (!List.of("name", "title", "command", "options", "quick", "variants").contains(String.valueOf(k))) {
                throw new ConfigException(file + ": unknown key " + k + " (allowed: name, title, command, options,"
                        + " quick, variants)");
            }
        }
        Object name = root.get("name");
        if (!(name instanceof String n) || !n.matches(WORD)) {
            throw new ConfigException(file + ": name must be a word of letters, digits, '.', '_' or '-' (it names the"
                    + " output folder)");
        }
        Object command = root.get("command");
        if (!(command instanceof String c) || !COMMANDS.contains(c)) {
            throw new ConfigException(file + ": command " + command + " is not one a file may run (one of: "
                    + String.join(", ", COMMANDS.stream().sorted().toList()) + ")");
        }
        Object title = root.get("title");
        return new CommandFile(file, n, title == null ? null : String.valueOf(title), c,
                options(file, "options", root.get("options")), options(file, "quick", root.get("quick")),
                variants(file, root.get("variants")));
    }

    private static Map<String, Map<String, Object>> variants(Path file, Object v) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new ConfigException(file + ": variants must be a mapping of variant names to their options");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!k.matches(WORD) || k.equals(".") || k.equals("..")) {
                throw new ConfigException(file + ": variants." + k + ": a variant name must be a word of letters, "
                        + "digits, '.', '_' or '-' (it names the variant's output)");
            }
            out.put(k, options(file, "variants." + k, e.getValue()));
        }
        return out;
    }

    private static Map<String, Object> options(Path file, String key, Object v) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigException(file + ": " + key + " must be a mapping of option names to values");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!k.matches("[a-z][a-z0-9-]*")) {
                throw new ConfigException(file + ": " + key + "." + k + ": not an option name (write it without"
                        + " \"--\", e.g. cell-bits)");
            }
            Object x = e.getValue();
            if (x instanceof Map<?, ?>) {
                throw new ConfigException(file + ": " + key + "." + k + ": a value must be a scalar or a list");
            }
            if (x instanceof List<?> l) {
                for (Object i : l) {
                    if (i instanceof Map<?, ?> || i instanceof List<?>) {
                        throw new ConfigException(file + ": " + key + "." + k + ": a list must hold scalars");
                    }
                }
            }
            out.put(k, x);
        }
        return out;
    }

    /**
     * The experiment's name (the default output folder's).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The command it runs, e.g. "arch-search".
     *
     * @return the command name
     */
    public String command() {
        return command;
    }

    /**
     * The free-text title, or null.
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * The options, with {@code quick}'s replacing or adding to them when {@code quickRun}.
     *
     * @param quickRun whether run --quick was given
     * @return option name (without "--") to value, in file order
     */
    public Map<String, Object> options(boolean quickRun) {
        return options(quickRun, null);
    }

    /**
     * The options of one variant: the file's, then the variant's replacing or adding to them, then {@code quick}'s
     * when {@code quickRun}.
     *
     * @param quickRun whether run --quick was given
     * @param variant a name from {@link #variants()}, or null for the file's own options
     * @return option name (without "--") to value, in file order
     */
    public Map<String, Object> options(boolean quickRun, String variant) {
        Map<String, Object> o = new LinkedHashMap<>(options);
        if (variant != null) {
            Map<String, Object> v = variants.get(variant);
            if (v == null) {
                throw new IllegalArgumentException("no variant " + variant + " in " + file);
            }
            o.putAll(v);
        }
        if (quickRun) {
            o.putAll(quick);
        }
        return o;
    }

    /**
     * Where the value of {@code key} in {@link #options(boolean, String)} was set, for messages.
     *
     * @param key an option name
     * @param quickRun whether run --quick was given
     * @param variant the variant, or null
     * @return e.g. "quick.epochs", "variants.lip.lipschitz-beta" or "options.chips"
     */
    public String origin(String key, boolean quickRun, String variant) {
        if (quickRun && quick.containsKey(key)) {
            return "quick." + key;
        }
        return variant != null && variants.get(variant).containsKey(key) ? "variants." + variant + "." + key
                : "options." + key;
    }

    /**
     * The variants' names in file order; empty when the file has none (the command runs once).
     *
     * @return the names
     */
    public List<String> variants() {
        return List.copyOf(variants.keySet());
    }

    /**
     * The command line {@code [command, --option, value, ...]} for these options: a list joined with commas, true
     * as a bare flag, false left out.
     *
     * @param opts the options, e.g. {@link #options(boolean)} plus run's own
     * @return the arguments
     */
    public List<String> arguments(Map<String, Object> opts) {
        List<String> args = new ArrayList<>();
        args.add(command);
        for (Map.Entry<String, Object> e : opts.entrySet()) {
            Object v = e.getValue();
            if (Boolean.FALSE.equals(v)) {
                continue;
            }
            args.add("--" + e.getKey());
            if (Boolean.TRUE.equals(v)) {
                continue;
            }
            if (v instanceof List<?> l) {
                args.add(String.join(",", l.stream().map(String::valueOf).toList()));
            } else {
                args.add(String.valueOf(v));
            }
        }
        return args;
    }

    /**
     * The file this came from.
     *
     * @return the path
     */
    public Path file() {
        return file;
    }
}
