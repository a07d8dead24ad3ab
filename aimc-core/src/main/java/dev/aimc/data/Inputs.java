package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading whole files, gzip-compressed or not, with errors reported as {@link DataFormatException}. */
final class Inputs {
    private Inputs() {}

    /** {@code dir/file} if it exists, else {@code dir/file.gz} if it exists, else null. */
    static Path locate(Path dir, String file) {
        Path raw = dir.resolve(file);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(file + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** Like {@link #locate} but throws {@link DataFormatException} naming the file when neither exists. */
    static Path require(Path dir, String file) {
        Path p = locate(dir, file);
        if (p == null) {
            throw new DataFormatException(dir.resolve(file) + ": not found (nor " + file + ".gz)");
        }
        return p;
    }

    /** All bytes of {@code file}, gunzipped when it starts with the gzip magic 1f 8b. */
    static byte[] readAll(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readAll(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** All bytes of {@code in}, gunzipped when it starts with the gzip magic; {@code name} names it in errors. */
    static byte[] readAll(InputStream in, String name) {
        try {
            BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
            b.mark(2);
            int m0 = b.read();
            int m1 = b.read();
            b.reset();
            if (m0 == 0x1f && m1 == 0x8b) {
                return new GZIPInputStream(b, 1 << 16).readAllBytes();
            }
            return b.readAllBytes();
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated gzip data");
        } catch (ZipException e) {
            throw new DataFormatException(name + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new DataFormatException(name + ": too large to read into memory");
        }
    }
}
