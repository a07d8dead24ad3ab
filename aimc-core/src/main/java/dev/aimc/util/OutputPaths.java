package dev.aimc.util;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks output paths before the work that fills them, so that a bad {@code --out} stops a command at once with one
 * line naming the option and what is wrong, not after an hour of training or evaluation. Nothing is created or
 * written here: missing folders are created later by the writers ({@link AtomicFiles}), so a missing parent is
 * fine as long as the nearest existing ancestor is a writable folder.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * Checks that {@code dir} is a writable folder or can be created as one.
     *
     * @param option how the path was given, for the message ({@code "--out"}, {@code "networks.a.checkpoint"})
     * @param dir the output folder
     * @return {@code dir}
     * @throws ConfigException when {@code dir} is a file, or an ancestor is a file, or it cannot be written
     */
    public static Path folder(String option, Path dir) {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(option + " " + dir + " is a file, not a folder");
            }
            if (!Files.isWritable(dir)) {
                throw new ConfigException(option + " " + dir + " is a folder that is not writable");
            }
            return dir;
        }
        checkAncestor(option, dir, "folder");
        return dir;
    }

    /**
     * Checks that {@code file} can be written (created or replaced): it is not a folder, and its folder exists as a
     * writable folder or can be created.
     *
     * @param option how the path was given, for the message ({@code "--json"})
     * @param file the output file
     * @return {@code file}
     * @throws ConfigException when {@code file} is a folder, a parent is a file, or it cannot be written
     */
    public static Path file(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(option + " " + file + " is a folder, not a file");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new ConfigException(option + " " + file + " is not writable");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && Files.isDirectory(parent)) {
            if (!Files.isWritable(parent)) {
                throw new ConfigException(option + " " + file + ": its folder " + parent + " is not writable");
            }
            return file;
        }
        checkAncestor(option, file, "file");
        return file;
    }

    /**
     * {@link #file(String, Path)}, and an existing {@code file} is refused unless {@code overwrite} says it may be
     * replaced (the user's results are never overwritten unasked).
     *
     * @param option how the path was given, for the message ({@code "--json"})
     * @param file the output file
     * @param overwrite whether an existing file may be replaced ({@code --overwrite})
     * @return {@code file}
     * @throws ConfigException as {@link #file(String, Path)}, or when {@code file} exists and {@code overwrite} is false
     */
    public static Path file(String option, Path file, boolean overwrite) {
        file(option, file);
        if (!overwrite && Files.exists(file)) {
            throw new ConfigException(option + " " + file + " exists; --overwrite replaces it");
        }
        return file;
    }

    /** The nearest existing ancestor of the missing {@code path} must be a writable folder. */
    private static void checkAncestor(String option, Path path, String what) {
        Path p = path.toAbsolutePath().normalize().getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new ConfigException(option + " " + path + ": no existing folder above it");
        }
        if (!Files.isDirectory(p)) {
            throw new ConfigException(option + " " + path + ": cannot create the " + what + ", " + p
                    + " is a file, not a folder");
        }
        if (!Files.isWritable(p)) {
            throw new ConfigException(option + " " + path + ": cannot create the " + what + ", folder " + p
                    + " is not writable");
        }
    }
}
