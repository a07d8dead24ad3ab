package dev.aimc.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.aimc.compensation.AdaBs;
import dev.aimc.data.DataSets;
import dev.aimc.models.Models;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.OptionLabels;
import dev.aimc.util.Times;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML experiment file ({@code aimc run FILE}): networks to train (or reuse), how to evaluate them on analog
 * hardware over time, a {@code --quick} profile and an optional gains table. Unknown keys and bad values are
 * {@link ConfigException}s naming the key ({@code networks[1].hwa.noiseEta}).
 *
 * <pre>
 * name: quick-mnist                 # required; report title and default output folder
 * title: "..."                      # optional
 * dataset: mnist-subset             # required: a data set name of aimc train
 * note: "..."                       # optional, copied into the report
 * networks:                         # required, one or more, evaluated in this order
 *   - name: conventional            # required, unique
 *     model: lenet5-mnist           # required: a model name of aimc train, or graph for a checkpoint written by
 *                                   # aimc import (then checkpoint is required and train not allowed)
 *     checkpoint: path              # optional, relative to this file's folder: reused when it exists and was
 *                                   # trained with this file's settings, resumed when unfinished (not with
 *                                   # --quick), else trained into
 *     init: conventional            # optional: an earlier network's name or a checkpoint path (fine-tuning),
 *                                   # relative to this file's folder
 *     evaluate: true                # optional (default true): evaluate on analog hardware
 *     train: {epochs: 10, batch: 128, lr: 0.05, optimizer: sgd, momentum: 0.9, weightDecay: 5e-4,
 *             schedule: cosine, seed: 0, trainLimit: 0, augment: true}
 *     hwa: {noiseKind: pcm, noiseEta: 1.0, clipSigma: 2.5, clipValue: 0.5, noClip: false, dacBits: 8,
 *           adcBits: 8, digitalFirstLast: false}
 * evaluation:
 *   device: pcm                       # or "rram:sigma=0.3,bits=2" or {name: rram, sigma: 0.3, bits: 2};
 *                                     # keys: aimc device --help (DeviceSpec)
 *   deviceOptions: {gMax: 25, progNoiseScale: 1, driftScale: 1, readNoiseScale: 1}   # as --g-max etc.
 *   times: [1s, 1h, 1d, 1y]           # seconds or with s, m, h, d, w, mo, y
 *   repeats: 5
 *   compensations: [none, gdc, ratio]  # default [gdc, none]: GDC as in aihwkit, none to compare
 *   seed: 0
 *   batch: 256
 *   testLimit: 0                      # 0: the whole test set
 *   adabsSamples: 2600
 *   keepDigital: []
 *   tile: {preset: default,         # or aihwkit, aihwkit-standard-hwa: the keys below given override it
 *          size: 512, dacBits: 8, adcBits: 8, adcRange: 12, outNoise: 0, readNoise: per-time,   # or per-batch
 *          boundManagement: none, convScaling: per-image}          # or iterative; per-patch
 *   cost: false                       # true: hardware cost of each network beside its accuracy (ISAAC's table);
 *                                     # or a component table file (YAML/JSON, relative to this file's folder);
 *                                     # two or more costed networks give an accuracy-versus-energy plot
 * quick: {epochs: 1, trainLimit: 2000, testLimit: 500, repeats: 2, times: [1s, 1d], adabsSamples: 200}
 * gains:                              # optional: candidate minus baseline accuracy
 *   baseline: conventional
 *   candidate: device-aware
 *   without: none
 *   with: [gdc, ratio]
 * </pre>
 */
public record ExperimentFile(Path source, String name, String title, String dataset, String note,
        List<Network> networks, Evaluation evaluation, Quick quick, Gains gains) {

    /** One network. {@code train} null: the checkpoint must exist. */
    public record Network(String name, String model, String checkpoint, String init, boolean evaluate, Train train,
            Hwa hwa) {}

    /** Training settings (null fields: aimc train's defaults). */
    public record Train(Integer epochs, Integer batch, Double lr, String optimizer, Double momentum,
            Double weightDecay, String schedule, Long seed, Integer trainLimit, Boolean augment) {}

    /** Hardware-aware training settings. */
    public record Hwa(HwaConfig config, boolean digitalFirstLast) {}

    /** Analog evaluation settings ({@code cost} null: no hardware cost). */
    public record Evaluation(String device, dev.aimc.device.DeviceModels.Options deviceOptions, List<Double> times,
            int repeats, List<String> compensations, long seed,
            int batch, int testLimit, int adabsSamples, List<String> keepDigital, TileConfig tile,
            dev.aimc.report.DesignCost cost) {}

    /** Overrides of {@code --quick}. */
    public record Quick(int epochs, int trainLimit, int testLimit, int repeats, List<Double> times,
            int adabsSamples) {}

    /** The gains table. */
    public record Gains(String baseline, String candidate, String without, List<String> with) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * A path written in the file ({@code checkpoint}, {@code init}) resolved against the file's folder, so an
     * experiment runs the same from any working directory; absolute paths are kept.
     *
     * @param path a relative or absolute path as written in the file
     * @return the path resolved against the file's folder when relative; unchanged when absolute or when the file has
     *     no folder
     */
    public Path resolve(String path) {
        return resolve(source, path);
    }

    static Path resolve(Path source, String path) {
        Path p = Path.of(path);
        Path dir = source == null || p.isAbsolute() ? null : source.getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    /**
     * Reads and validates {@code file}.
     *
     * @param file the YAML experiment file
     * @return the validated experiment
     * @throws ConfigException when the file is missing, not valid YAML (with line and column) or a key is invalid
     */
    public static ExperimentFile load(Path file) {
        return parse(file, document(file));
    }

    /**
     * The YAML document of {@code file}, as Jackson parses it (maps, lists, scalars), not validated.
     *
     * @param file the YAML experiment file
     * @return the parsed document
     * @throws ConfigException when the file is missing or not valid YAML (with line and column)
     */
    static Object document(Path file) {
        Object root;
        try {
            root = YAML.readValue(Files.readAllBytes(file), Object.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException("experiment file " + file + " does not exist");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + ": not valid YAML" + yamlProblem(e));
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
            throw new ConfigException(file + ": not valid YAML (" + msg + ")");
        }
        return root;
    }

    /**
     * " at line 3, column 5: expected ... but found ..." for a YAML syntax error: where (1-based, as an editor shows
     * it) and the parser's own words on one line.
     */
    static String yamlProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        Throwable c = e.getCause();
        if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
            sb.append(" at line ").append(y.getProblemMark().getLine() + 1).append(", column ")
                    .append(y.getProblemMark().getColumn() + 1).append(": ");
            String context = y.getContext() == null ? "" : y.getContext().strip() + ", ";
            sb.append(context).append(y.getProblem() == null ? "syntax error" : y.getProblem().strip());
            return sb.toString().replaceAll("\\s+", " ");
        }
        com.fasterxml.jackson.core.JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(" at line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
        }
        String msg = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().split("\n")[0];
        return sb.append(": ").append(msg.strip()).toString();
    }

    /**
     * Validates a parsed YAML document ({@code source} is used in messages and to resolve nothing else).
     *
     * @param source the file the document came from (may be null), named in messages
     * @param root the document as parsed by Jackson: maps, lists and scalars
     * @return the validated experiment
     * @throws ConfigException naming the key, the rule and the value found
     */
    public static ExperimentFile parse(Path source, Object root) {
        Node r = new Node(source + "", "", root);
        r.keys("name", "title", "dataset", "note", "networks", "evaluation", "quick", "gains");
        String name = r.str("name", null, true);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw r.bad("name", "must be letters, digits, '.', '_' or '-'", name);
        }
        String title = r.str("title", name, false);
        String dataset = r.str("dataset", null, true);
        if (!DataSets.NAMES.contains(dataset)) {
            throw r.bad("dataset", "must be one of " + String.join(", ", DataSets.NAMES), dataset);
        }
        String note = r.str("note", "", false);
        List<Node> nets = r.list("networks", true);
        if (nets.isEmpty()) {
            throw r.bad("networks", "must list at least one network", "[]");
        }
        List<Network> networks = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Node n : nets) {
            n.keys("name", "model", "checkpoint", "init", "evaluate", "train", "hwa");
            String nn = n.str("name", null, true);
            if (!nn.matches("[A-Za-z0-9._-]+")) {
                throw n.bad("name", "must be letters, digits, '.', '_' or '-'", nn);
            }
            if (!names.add(nn)) {
                throw n.bad("name", "must be unique", nn);
            }
            String model = n.str("model", null, true);
            boolean graph = GraphSpec.ARCHITECTURE.equals(model);
            if (!Models.NAMES.contains(model) && !graph) {
                throw n.bad("model", "must be one of " + String.join(", ", Models.NAMES) + " or "
                        + GraphSpec.ARCHITECTURE + " (a checkpoint written by aimc import)", model);
            }
            String ck = n.str("checkpoint", null, false);
            if (graph && (ck == null || n.child("train") != null)) {
                throw n.bad("model", "graph (an imported network) needs a checkpoint and no train section (fine-tune"
                        + " it with aimc train --model graph --init, then name that checkpoint)", model);
            }
            String init = n.str("init", null, false);
            if (init != null && init.equals(nn)) {
                throw n.bad("init", "must name an earlier network or a checkpoint path", init);
            }
            boolean eval = n.bool("evaluate", true);
            Train train = null;
            Node t = n.child("train");
            if (t != null) {
                t.keys("epochs", "batch", "lr", "optimizer", "momentum", "weightDecay", "schedule", "seed",
                        "trainLimit", "augment");
                train = new Train(t.intOrNull("epochs", 1, 100_000), t.intOrNull("batch", 1, 1 << 20),
                        t.posOrNull("lr"), t.str("optimizer", null, false), t.numOrNull("momentum"),
                        t.numOrNull("weightDecay"), t.str("schedule", null, false),
                        t.has("seed") ? (long) t.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null,
                        t.intOrNull("trainLimit", 0, Integer.MAX_VALUE),
                        t.has("augment") ? t.bool("augment", false) : null);
            }
            if (t == null && ck == null) {
                throw n.bad("train", "is required when no checkpoint is given", "missing");
            }
            Hwa hwa = null;
            Node h = n.child("hwa");
            if (h != null) {
                h.keys("noiseKind", "noiseEta", "clipSigma", "clipValue", "noClip", "dacBits", "adcBits",
                        "inputRange", "outputRange", "outNoise", "digitalFirstLast", "inputScaling");
                HwaConfig.NoiseKind kind = HwaConfig.NoiseKind.parse(h.path("noiseKind"),
                        h.str("noiseKind", "additive", false));
                double eta = h.has("noiseEta") ? h.num("noiseEta", 0) : HwaConfig.defaultEta(kind);
                int clips = (h.has("clipSigma") ? 1 : 0) + (h.has("clipValue") ? 1 : 0)
                        + (h.bool("noClip", false) ? 1 : 0);
                if (clips > 1) {
                    throw h.bad("clipSigma", "clipSigma, clipValue and noClip are mutually exclusive", clips);
                }
                HwaConfig.ClipMode mode = h.bool("noClip", false) ? HwaConfig.ClipMode.NONE
                        : h.has("clipValue") ? HwaConfig.ClipMode.VALUE : HwaConfig.ClipMode.SIGMA;
                double clip = mode == HwaConfig.ClipMode.VALUE ? h.num("clipValue", 0)
                        : mode == HwaConfig.ClipMode.SIGMA ? h.num("clipSigma", HwaConfig.DEFAULT_CLIP_SIGMA) : 0;
                TileConfig.InputScaling scaling = OptionLabels.parse(h.path("inputScaling"),
                        TileConfig.InputScaling.class, h.str("inputScaling", OptionLabels.label(TileConfig.InputScaling.ABS_MAX), false));
                try {
                    hwa = new Hwa(new HwaConfig(kind, eta, mode, clip, (int) h.integer("dacBits", 0, 0, 24),
                            (int) h.integer("adcBits", 0, 0, 24), h.num("inputRange", HwaConfig.DEFAULT_INPUT_RANGE),
                            h.num("outputRange", HwaConfig.DEFAULT_OUTPUT_RANGE), h.num("outNoise", 0), false,
                            scaling),
                            h.bool("digitalFirstLast", false));
                } catch (ConfigException e) {
                    throw new ConfigException(h.where() + ": " + e.getMessage());
                }
            }
            networks.add(new Network(nn, model, ck, init, eval, train, hwa));
        }
        Node e = r.child("evaluation");
        if (e == null) {
            e = new Node(r.file, "evaluation", Map.of());
        }
        e.keys("device", "deviceOptions", "times", "repeats", "compensations", "seed", "batch", "testLimit",
                "adabsSamples", "keepDigital", "tile", "cost");
        dev.aimc.report.DesignCost cost = cost(r.file, e);
        List<Double> times = e.has("times") ? e.times("times")
                : List.of(1.0, 3600.0, 86400.0, 2592000.0, 31536000.0);
        List<String> comps = e.has("compensations") ? e.strings("compensations")
                : List.of("gdc", "none"); // GDC as aihwkit; none to compare
        for (int i = 0; i < comps.size(); i++) { // name the bad entry, not "got a list"
            if (!dev.aimc.compensation.Schemes.isKnown(comps.get(i))) {
                throw e.bad("compensations[" + i + "]", "must be one of "
                        + String.join(", ", dev.aimc.compensation.Schemes.names()), comps.get(i));
            }
        }
        try {
            dev.aimc.compensation.Schemes.parse(comps);
        } catch (ConfigException ex) {
            throw new ConfigException(r.file + ": " + e.path("compensations") + " "
                    + ex.getMessage().replaceFirst("^--compensation ", ""));
        }
        dev.aimc.device.DeviceSpec deviceSpec = deviceSpec(e);
        Node tile = e.child("tile");
        if (tile == null) {
            tile = new Node(r.file, e.path("tile"), Map.of());
        }
        TileConfig tiles = tileConfig(tile);
        Node dopt = e.child("deviceOptions");
        if (dopt == null) {
            dopt = new Node(r.file, e.path("deviceOptions"), Map.of());
        }
        dopt.keys("gMax", "progNoiseScale", "driftScale", "readNoiseScale");
        dev.aimc.device.DeviceModels.Options opts;
        try {
            opts = new dev.aimc.device.DeviceModels.Options(dopt.has("gMax") ? dopt.pos("gMax", 25) : Double.NaN,
                    dopt.num("progNoiseScale", 1), dopt.num("driftScale", 1), dopt.num("readNoiseScale", 1));
            deviceSpec = opts.applyTo(deviceSpec);
        } catch (ConfigException ex) {
            throw new ConfigException(dopt.where() + ": " + ex.getMessage());
        }
        deviceSpec.build(); // g-min < g-max and the like; loads a pcm-table file
        Evaluation ev = new Evaluation(deviceSpec.toString(), dev.aimc.device.DeviceModels.Options.defaults(), times,
                (int) e.integer("repeats", 5, 1, 100_000), comps,
                e.integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE), (int) e.integer("batch", 256, 1, 1 << 20),
                (int) e.integer("testLimit", 0, 0, Integer.MAX_VALUE),
                (int) e.integer("adabsSamples", AdaBs.DEFAULT_SAMPLES, 1, Integer.MAX_VALUE),
                e.has("keepDigital") ? e.strings("keepDigital") : List.of(),
                tiles, cost);
        Node q = r.child("quick");
        if (q == null) {
            q = new Node(r.file, "quick", Map.of());
        }
        q.keys("epochs", "trainLimit", "testLimit", "repeats", "times", "adabsSamples");
        Quick quick = new Quick((int) q.integer("epochs", 1, 1, 100_000),
                (int) q.integer("trainLimit", 2000, 0, Integer.MAX_VALUE),
                (int) q.integer("testLimit", 500, 0, Integer.MAX_VALUE), (int) q.integer("repeats", 2, 1, 100_000),
                q.has("times") ? q.times("times") : List.of(1.0, 86400.0),
                (int) q.integer("adabsSamples", 200, 1, Integer.MAX_VALUE));
        Gains gains = null;
        Node g = r.child("gains");
        if (g != null) {
            g.keys("baseline", "candidate", "without", "with");
            String b = g.str("baseline", null, true);
            String c = g.str("candidate", null, true);
            for (String k : List.of("baseline", "candidate")) {
                String v = g.str(k, null, true);
                if (!names.contains(v)) {
                    throw g.bad(k, "must name a network of this file " + names, v);
                }
            }
            String without = g.str("without", "none", false);
            List<String> with = g.has("with") ? g.strings("with") : List.of();
            for (String v : concat(without, with)) {
                if (!comps.contains(v)) {
                    throw g.bad(v.equals(without) ? "without" : "with", "must name compensations of evaluation "
                            + comps, v);
                }
            }
            gains = new Gains(b, c, without, with);
        }
        for (Network n : networks) {
            if (n.init() != null && !names.contains(n.init()) && n.init().matches("[A-Za-z0-9._-]+")
                    && !Files.exists(resolve(source, n.init()))) {
                throw new ConfigException(r.file + ": networks." + n.name() + ".init must name an earlier network or"
                        + " an existing checkpoint, got " + n.init());
            }
            if (n.init() != null && names.contains(n.init())) {
                List<String> order = new ArrayList<>(names);
                if (order.indexOf(n.init()) > order.indexOf(n.name())) {
                    throw new ConfigException(r.file + ": networks." + n.name() + ".init must name an earlier "
                            + "network, got " + n.init());
                }
            }
        }
        return new ExperimentFile(source, name, title, dataset, note, networks, ev, quick, gains);
    }

    /**
     * {@code evaluation.cost}: absent or false (no cost), true (ISAAC's table) or a component table's path, relative
     * to the experiment file's folder; the table is read and checked here, before any work.
     */
    private static dev.aimc.report.DesignCost cost(String file, Node e) {
        Object v = e.map.get("cost");
        if (v == null || Boolean.FALSE.equals(v)) {
            return null;
        }
        if (Boolean.TRUE.equals(v)) {
            return dev.aimc.report.DesignCost.isaac();
        }
        if (v instanceof String s && !s.isBlank() && !s.strip().equalsIgnoreCase("true")
                && !s.strip().equalsIgnoreCase("false")) {
            return dev.aimc.report.DesignCost.of(file + ": " + e.path("cost"), resolve(Path.of(file), s.strip()));
        }
        throw e.bad("cost", "must be true, false or a component table file (YAML or JSON)", v);
    }

    /**
     * The tile configuration of an evaluation's {@code tile} node: its {@code preset} (default, aihwkit,
     * aihwkit-standard-hwa; {@link TileConfig#preset}) with every key given overriding it.
     *
     * @param tile the node (empty when the file has none)
     * @return the validated configuration
     * @throws ConfigException naming the key for an unknown key, preset or value
     */
    private static TileConfig tileConfig(Node tile) {
        tile.keys("preset", "size", "dacBits", "adcBits", "adcRange", "outNoise", "readNoise", "boundManagement",
                "convScaling");
        String name = tile.str("preset", "default", false);
        TileConfig base = TileConfig.preset(name);
        if (base == null) {
            throw tile.bad("preset", "must be " + String.join(", ", TileConfig.PRESETS), name);
        }
        TileConfig.Builder b = base.toBuilder();
        if (tile.has("size")) {
            int size = (int) tile.integer("size", 512, 1, 1 << 16);
            b.tileSize(size, size);
        }
        if (tile.has("dacBits")) {
            b.inputBits((int) tile.integer("dacBits", 8, 2, 24));
        }
        if (tile.has("adcBits")) {
            b.outputBits((int) tile.integer("adcBits", 8, 2, 24));
        }
        if (tile.has("adcRange")) {
            b.outputRange(tile.pos("adcRange", 12));
        }
        if (tile.has("outNoise")) {
            b.outputNoise(tile.num("outNoise", 0));
        }
        b.readNoise(tileOption(tile, "readNoise", TileConfig.ReadNoise.class, base.readNoise()));
        b.boundManagement(tileOption(tile, "boundManagement", TileConfig.BoundManagement.class,
                base.boundManagement()));
        b.convScaling(tileOption(tile, "convScaling", TileConfig.ConvScaling.class, base.convScaling()));
        try {
            return b.build();
        } catch (ConfigException ex) {
            throw new ConfigException(tile.where() + ": " + ex.getMessage());
        }
    }

    /**
     * A tile option that takes one of an enum's labels ({@link dev.aimc.tile.TileConfig#label}).
     *
     * @param <E> the option's enum
     * @param tile the tile block
     * @param key the key
     * @param type the enum class
     * @param dflt the value when the key is absent
     * @return the value
     * @throws ConfigException naming the key for any other label
     */
    private static <E extends Enum<E>> E tileOption(Node tile, String key, Class<E> type, E dflt) {
        String text = tile.str(key, OptionLabels.label(dflt), false);
        E v = OptionLabels.fromLabel(type, text);
        if (v == null) {
            throw tile.bad(key, "must be " + OptionLabels.labels(type), text);
        }
        return v;
    }

    /**
     * {@code evaluation.device}: a spec string ({@code "rram:sigma=0.3,bits=2"}) or a mapping
     * ({@code {name: rram, sigma: 0.3, bits: 2}}) with the keys of {@code aimc device --help}; default pcm.
     */
    private static dev.aimc.device.DeviceSpec deviceSpec(Node e) {
        String label = e.file + ": " + e.path("device");
        Object v = e.map.get("device");
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> keys = new LinkedHashMap<>();
            m.forEach((k, x) -> keys.put(String.valueOf(k), x));
            return dev.aimc.device.DeviceSpec.of(label, keys);
        }
        return dev.aimc.device.DeviceSpec.parse(label, e.str("device", "pcm", false));
    }

    private static List<String> concat(String a, List<String> b) {
        List<String> out = new ArrayList<>();
        out.add(a);
        out.addAll(b);
        return out;
    }

    /** A YAML mapping at a key path, with typed getters that name the key in errors. */
    static final class Node {
        final String file;
        final String path;
        final Map<String, Object> map;

        @SuppressWarnings("unchecked")
        Node(String file, String path, Object value) {
            this.file = file;
            this.path = path;
            if (!(value instanceof Map)) {
                throw new ConfigException(file + ": " + (path.isEmpty() ? "the document" : path)
                        + " must be a mapping of keys to values, got " + describe(value));
            }
            this.map = new LinkedHashMap<>();
            ((Map<Object, Object>) value).forEach((k, v) -> map.put(String.valueOf(k), v));
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        String where() {
            return file + ": " + (path.isEmpty() ? "top level" : path);
        }

        ConfigException bad(String key, String rule, Object value) {
            return new ConfigException(file + ": " + path(key) + " " + rule + ", got " + describe(value));
        }

        void keys(String... allowed) {
            List<String> a = List.of(allowed);
            for (String k : map.keySet()) {
                if (!a.contains(k)) {
                    throw new ConfigException(file + ": unknown key " + path(k) + " (allowed: " + String.join(", ", a)
                            + ")");
                }
            }
        }

        boolean has(String key) {
            return map.get(key) != null;
        }

        Node child(String key) {
            Object v = map.get(key);
            return v == null ? null : new Node(file, path(key), v);
        }

        List<Node> list(String key, boolean required) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    throw bad(key, "is required", "nothing");
                }
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw bad(key, "must be a list", v);
            }
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Node(file, path(key) + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        String str(String key, String dflt, boolean required) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    throw bad(key, "is required", "nothing");
                }
                return dflt;
            }
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw bad(key, "must be a string", v);
            }
            return String.valueOf(v).strip();
        }

        List<String> strings(String key) {
            Object v = map.get(key);
            if (v instanceof String s) {
                List<String> out = new ArrayList<>();
                for (String p : s.split(",")) {
                    if (!p.isBlank()) {
                        out.add(p.strip());
                    }
                }
                return out;
            }
            if (!(v instanceof List<?> l)) {
                throw bad(key, "must be a list of strings", v);
            }
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String || o instanceof Number)) {
                    throw bad(key, "must be a list of strings", v);
                }
                out.add(String.valueOf(o).strip());
            }
            return out;
        }

        List<Double> times(String key) {
            Object v = map.get(key);
            List<?> items = v instanceof List<?> l ? l : v instanceof String s ? List.of(s.split(",")) : List.of(v);
            List<Double> out = new ArrayList<>();
            for (Object o : items) {
                if (o instanceof Number n) {
                    double d = n.doubleValue();
                    if (!(d >= 0) || Double.isInfinite(d)) {
                        throw bad(key, "must be finite times >= 0 seconds", o);
                    }
                    out.add(d);
                } else if (o instanceof String s) {
                    out.addAll(Times.parse(path(key), s));
                } else {
                    throw bad(key, "must be a list of times (seconds or 1s, 1h, 1d, 1y, ...)", v);
                }
            }
            if (out.isEmpty()) {
                throw bad(key, "must list at least one time", v);
            }
            return out;
        }

        boolean bool(String key, boolean dflt) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof Boolean b)) {
                throw bad(key, "must be true or false", v);
            }
            return b;
        }

        double num(String key, double dflt) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw bad(key, "must be a number", v);
            }
            return n.doubleValue();
        }

        double pos(String key, double dflt) {
            double d = num(key, dflt);
            if (!(d > 0)) {
                throw bad(key, "must be > 0", map.get(key));
            }
            return d;
        }

        Double numOrNull(String key) {
            return has(key) ? num(key, 0) : null;
        }

        Double posOrNull(String key) {
            return has(key) ? pos(key, 1) : null;
        }

        long integer(String key, long dflt, long lo, long hi) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger)) {
                throw bad(key, "must be an integer", v);
            }
            long x = ((Number) v).longValue();
            if (x < lo || x > hi) {
                throw bad(key, "must be in [" + lo + ", " + hi + "]", v);
            }
            return x;
        }

        Integer intOrNull(String key, int lo, int hi) {
            return has(key) ? (int) integer(key, 0, lo, hi) : null;
        }

        static String describe(Object v) {
            if (v == null) {
                return "nothing";
            }
            if (v instanceof Map) {
                return "a mapping";
            }
            if (v instanceof List) {
                return "a list";
            }
            return String.valueOf(v);
        }
    }
}
