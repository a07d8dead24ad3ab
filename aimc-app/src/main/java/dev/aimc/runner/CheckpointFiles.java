package dev.aimc.runner;

import ai.djl.ndarray.NDManager;
import dev.aimc.train.Checkpoint;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checkpoint's files as bytes that travel with a cluster job, so workers need no shared file system: read on the
 * driver (all but the optimizer state), written to a temporary folder once per JVM where the job runs, and loaded
 * from there with the same loader as the command line ({@link Checkpoint#load}), so the network is the same.
 *
 * @serial exclude
 */
public final class CheckpointFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The files by name (model.json, model.params, ...). */
    private final LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
    /** Where this JVM wrote them, or null before the first use. */
    private transient Path dir;

    /**
     * Reads a checkpoint's files (all but the optimizer state).
     *
     * @param checkpoint the checkpoint folder
     * @throws UncheckedIOException when a file cannot be read
     */
    public CheckpointFiles(Path checkpoint) {
        try (Stream<Path> list = Files.list(checkpoint)) {
            for (Path f : list.sorted().toList()) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.equals(Checkpoint.OPTIMIZER)) {
                    files.put(name, Files.readAllBytes(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Bytes carried.
     *
     * @return the size of the files, in bytes
     */
    public long bytes() {
        return files.values().stream().mapToLong(x -> x.length).sum();
    }

    /**
     * The checkpoint as a folder in this JVM: written on first use to a temporary folder (deleted when the JVM
     * exits), the same folder afterwards.
     *
     * @return the folder
     * @throws UncheckedIOException when it cannot be written
     */
    public synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("aimc-checkpoint-");
                d.toFile().deleteOnExit();
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    Path f = d.resolve(e.getKey());
                    Files.write(f, e.getValue());
                    f.toFile().deleteOnExit();
                }
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /**
     * Loads the checkpoint (from {@link #dir()}).
     *
     * @param manager the manager of its parameters
     * @return the loaded checkpoint
     */
    public Checkpoint load(NDManager manager) {
        return Checkpoint.load(dir(), manager);
    }
}
