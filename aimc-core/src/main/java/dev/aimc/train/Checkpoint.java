package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import ai.djl.ndarray.NDManager;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import dev.aimc.util.InPlace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A trained network on disk: a directory with
 * <ul>
 * <li>{@code model.params}: every {@code namedParameters()} and {@code namedBuffers()} entry by dotted path
 * ({@link ParamFile} format);</li>
 * <li>{@code optimizer.params}: optimizer state ({@code momentum/<path>} or {@code m/<path>}, {@code v/<path>});</li>
 * <li>{@code model.json}: {@link CheckpointMeta} (format version, architecture, dataset, normalisation,
 * training configuration, epochs completed, test accuracy, history, aimc version, CRC-32s of both params
 * files).</li>
 * </ul>
 * Each file is written atomically (temporary file, then rename), {@code model.json} last; its CRC-32s
 * detect a params file from a different epoch after a crash between renames.
 *
 * <p>Load with {@link #load(Path, NDManager)}: the architecture is rebuilt with {@link Models#create} and
 * every array checked by name and shape.
 */
public record Checkpoint(Module model, CheckpointMeta meta) {
    /** Version of the directory format written in model.json. */
    public static final int FORMAT_VERSION = 1;

    /**
     * The JSON form of {@code model.json}: Gson, the JSON library DJL itself depends on (so the library needs nothing
     * beyond DJL), indented; non-finite numbers are written as NaN/Infinity rather than refused, and numbers in
     * untyped maps read back as Long when integral, else Double.
     */
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    /** File name of the parameters and buffers ({@link ParamFile} format). */
    public static final String PARAMS = "model.params";
    /** File name of the optimizer state ({@link ParamFile} format). */
    public static final String OPTIMIZER = "optimizer.params";
    /** File name of the metadata (JSON). */
    public static final String META = "model.json";


    /**
     * Writes {@code model} (and {@code optimizer}'s state if non-null) with {@code meta} into {@code dir}.
     *
     * @param dir the checkpoint directory (created if missing); each file written atomically
     * @param model the network: every parameter and buffer by dotted path
     * @param optimizer the optimizer whose state goes to optimizer.params, or null
     * @param meta the metadata; CRCs are filled in before model.json is written last
     */
    public static void save(Path dir, Module model, Optimizer optimizer, CheckpointMeta meta) {
        try {
            Files.createDirectories(dir);
            Map<String, ParamFile.Entry> arrays = new LinkedHashMap<>();
            model.namedParameters().forEach((k, a) -> arrays.put(k, entry(a)));
            model.namedBuffers().forEach((k, a) -> arrays.put(k, entry(a)));
            byte[] p = ParamFile.encode(arrays);
            meta.paramsCrc32 = crc(p);
            meta.parameterCount = model.parameterCount();
            AtomicFiles.write(dir.resolve(PARAMS), out -> out.write(p));
            if (optimizer != null) {
                Map<String, ParamFile.Entry> st = new LinkedHashMap<>();
                optimizer.state().forEach((k, a) -> st.put(k, entry(a)));
                byte[] o = ParamFile.encode(st);
                meta.optimizer = optimizer.kind();
                meta.optimizerSteps = optimizer.steps();
                meta.optimizerCrc32 = crc(o);
                AtomicFiles.write(dir.resolve(OPTIMIZER), out -> out.write(o));
            }
            byte[] m = GSON.toJson(meta).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(dir.resolve(META), out -> out.write(m));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code model.json} of checkpoint directory {@code dir}.
     *
     * @param dir the checkpoint directory
     * @return the metadata
     * @throws DataFormatException naming the file when it is missing, not valid JSON, of another format version or an
     *     unknown architecture
     * @throws ConfigException when {@code dir} is not a directory
     */
    public static CheckpointMeta readMeta(Path dir) {
        Path f = dir.resolve(META);
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("checkpoint " + dir + " is not a directory");
        }
        CheckpointMeta meta;
        try {
            meta = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), CheckpointMeta.class);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(f + ": missing");
        } catch (IOException | JsonParseException e) {
            throw new DataFormatException(f + ": not a checkpoint description (" + firstLine(e.getMessage()) + ")",
                    e);
        }
        if (meta == null) {
            throw new DataFormatException(f + ": not a checkpoint description (empty)");
        }
        if (meta.formatVersion != FORMAT_VERSION) {
            throw new DataFormatException(f + ": format version " + meta.formatVersion + ", expected "
                    + FORMAT_VERSION);
        }
        boolean graph = dev.aimc.nn.GraphSpec.ARCHITECTURE.equals(meta.architecture) && meta.graph != null;
        if (meta.architecture == null || !(graph || Models.NAMES.contains(meta.architecture))) {
            throw new DataFormatException(f + ": unknown architecture " + meta.architecture);
        }
        return meta;
    }

    /**
     * Loads checkpoint {@code dir}: the network (parameters in {@code m}) and its metadata.
     *
     * @param dir the checkpoint directory
     * @param m the manager of the parameters
     * @return the network with its parameters and buffers, and the metadata
     * @throws DataFormatException when a file is missing, corrupt or fails its CRC-32
     */
    public static Checkpoint load(Path dir, NDManager m) {
        CheckpointMeta meta = readMeta(dir);
        Path pf = dir.resolve(PARAMS);
        byte[] bytes = readBytes(pf);
        if (crc(bytes) != meta.paramsCrc32) {
            throw new DataFormatException(pf + ": CRC-32 does not match " + META + " (files from different saves?)");
        }
        Map<String, ParamFile.Entry> arrays = ParamFile.decode(bytes, pf.toString());
        long seed = meta.training != null ? meta.training.seed : 0;
        Module model = create(meta, m, seed, dir.resolve(META));
        Map<String, NDArray> targets = new LinkedHashMap<>(model.namedParameters());
        targets.putAll(model.namedBuffers());
        for (Map.Entry<String, NDArray> t : targets.entrySet()) {
            ParamFile.Entry e = arrays.get(t.getKey());
            if (e == null) {
                throw new DataFormatException(pf + ": missing array " + t.getKey() + " of " + meta.architecture);
            }
            long[] want = t.getValue().getShape().getShape();
            if (!Arrays.equals(want, e.shape())) {
                throw new DataFormatException(pf + ": array " + t.getKey() + " has shape " + Arrays.toString(e.shape())
                        + ", " + meta.architecture + " needs " + Arrays.toString(want));
            }
            InPlace.assign(t.getValue(), e.values());
        }
        for (String k : arrays.keySet()) {
            if (!targets.containsKey(k)) {
                throw new DataFormatException(pf + ": unexpected array " + k + " for " + meta.architecture);
            }
        }
        return new Checkpoint(model, meta);
    }

    /**
     * A freshly initialised network of the architecture {@code meta} records: a reference network by name, or the
     * graph network of {@code meta.graph} (imported networks).
     *
     * @param meta the checkpoint's metadata
     * @param m the manager of the parameters
     * @param seed seed of the initialisation
     * @return the network, to be filled with the checkpoint's values
     */
    public static Module create(CheckpointMeta meta, NDManager m, long seed) {
        return create(meta, m, seed, Path.of(META));
    }

    /**
     * The input shape of one example (without the batch axis) of the network {@code meta} records: the graph's for an
     * imported network, the reference network's ({@link Models#inputShape}) otherwise.
     *
     * @param meta the checkpoint's metadata
     * @return e.g. [3, 32, 32] for a CIFAR-10 network
     */
    public static ai.djl.ndarray.types.Shape inputShape(CheckpointMeta meta) {
        return Models.inputShape(meta.architecture, meta.graph);
    }

    private static Module create(CheckpointMeta meta, NDManager m, long seed, Path file) {
        if (meta.graph == null) {
            return Models.create(meta.architecture, m, seed);
        }
        try {
            return new dev.aimc.nn.GraphNetwork(meta.graph, m);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DataFormatException(file + ": invalid graph (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Restores the optimizer state saved with checkpoint {@code dir} into {@code opt}.
     *
     * @param dir the checkpoint directory
     * @param meta its metadata (CRC-32 and step count of optimizer.params)
     * @param opt the optimizer, of the kind recorded
     */
    public static void loadOptimizer(Path dir, CheckpointMeta meta, Optimizer opt) {
        Path of = dir.resolve(OPTIMIZER);
        byte[] bytes = readBytes(of);
        if (crc(bytes) != meta.optimizerCrc32) {
            throw new DataFormatException(of + ": CRC-32 does not match " + META);
        }
        if (!opt.kind().equals(meta.optimizer)) {
            throw new ConfigException("--optimizer " + opt.kind() + " does not match the checkpoint's "
                    + meta.optimizer);
        }
        Map<String, float[]> vals = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        ParamFile.decode(bytes, of.toString()).forEach((k, e) -> {
            vals.put(k, e.values());
            shapes.put(k, e.shape());
        });
        opt.restore(meta.optimizerSteps, vals, shapes);
    }

    private static byte[] readBytes(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(f + ": missing");
        } catch (IOException e) {
            throw new DataFormatException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static ParamFile.Entry entry(NDArray a) {
        return new ParamFile.Entry(a.getShape().getShape(), a.toFloatArray());
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
