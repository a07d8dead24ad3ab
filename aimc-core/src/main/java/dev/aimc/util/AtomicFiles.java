package dev.aimc.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * Writes files atomically: to a temporary file in the same folder, then a rename over the target. Temporary files
 * and folders are created with the process's umask (like any new file: usually rw-r--r--), not the owner-only
 * mode of {@link Files#createTempFile}, because they become the user's results by the rename.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /**
     * Creates a new empty file {@code prefix + random + suffix} in {@code dir} with the umask's permissions (a
     * plain {@link Files#createFile}); for content that is renamed into place as a user's file.
     *
     * @param dir the folder the file is created in (the target's folder, so that the rename is atomic)
     * @param prefix start of the file name, e.g. ".results.json."
     * @param suffix end of the file name, e.g. ".tmp"
     * @return the new file
     * @throws IOException when the file cannot be created
     */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * As {@link #createTempFile} for a folder (e.g. a data set unpacked before it is renamed into place).
     *
     * @param dir the folder the new folder is created in
     * @param prefix start of the folder name
     * @return the new, empty folder
     * @throws IOException when the folder cannot be created
     */
    public static Path createTempDirectory(Path dir, String prefix) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Something that writes the whole content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the temporary file's stream (closed by the caller)
         * @throws IOException when writing fails; the temporary file is then deleted
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically with the bytes {@code writer} produces.
     *
     * @param target the file to create or replace
     * @param writer writes the content to the temporary file
     * @throws IOException when writing or the rename fails; {@code target} is then unchanged
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = createTempFile(dir == null ? Path.of(".") : dir, "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a UTF-8 string atomically.
     *
     * @param target the file to create or replace
     * @param content the text, written as UTF-8
     * @throws IOException when writing or the rename fails; {@code target} is then unchanged
     */
    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }
}
