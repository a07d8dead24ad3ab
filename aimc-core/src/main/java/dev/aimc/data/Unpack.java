package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/** Unpacks downloaded archives into a temporary folder and moves the data set folder into place atomically. */
final class Unpack {
    private Unpack() {}

    /** Unpacks {@code archive} (of {@code kind}) so that its data set folder ends up under {@code root}. */
    static void install(Path archive, Path root, DataFetcher.Kind kind) throws IOException {
        Path tmp = dev.aimc.util.AtomicFiles.createTempDirectory(root, ".unpack-");
        try {
            String folder;
            if (kind == DataFetcher.Kind.CIFAR_TAR) {
                untarGz(archive, tmp);
                folder = "cifar-10-batches-bin";
            } else {
                unzip(archive, tmp);
                folder = "UCI HAR Dataset";
                Path nested = tmp.resolve("UCI HAR Dataset.zip"); // the current UCI download wraps the original zip
                if (!Files.isDirectory(tmp.resolve(folder)) && Files.isRegularFile(nested)) {
                    unzip(nested, tmp);
                }
            }
            Path made = tmp.resolve(folder);
            if (!Files.isDirectory(made)) {
                throw new DataFormatException(archive + ": archive has no folder '" + folder + "'");
            }
            Path target = root.resolve(folder);
            Path old = null;
            if (Files.exists(target)) {
                old = dev.aimc.util.AtomicFiles.createTempDirectory(root, ".old-");
                Files.move(target, old.resolve(folder), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(made, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    static void untarGz(Path archive, Path dest) throws IOException {
        try (InputStream f = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            TarReader tar = new TarReader(f, archive.toString());
            for (TarReader.Entry e; (e = tar.next()) != null; ) {
                Path p = inside(dest, e.name(), archive);
                if (e.directory()) {
                    Files.createDirectories(p);
                } else if (e.file()) {
                    Files.createDirectories(p.getParent());
                    Files.copy(tar.data(), p, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFormatException(archive + ": corrupt tar.gz archive (" + e.getMessage() + ")");
        }
    }

    static void unzip(Path archive, Path dest) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            int entries = 0;
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries++;
                if (e.getName().startsWith("__MACOSX/")) {
                    continue;
                }
                Path p = inside(dest, e.getName(), archive);
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                } else {
                    Files.createDirectories(p.getParent());
                    Files.copy(zip, p, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (entries == 0) {
                throw new DataFormatException(archive + ": not a zip archive or empty");
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFormatException(archive + ": corrupt zip archive (" + e.getMessage() + ")");
        }
    }

    private static Path inside(Path dest, String name, Path archive) {
        Path p = dest.resolve(name).normalize();
        if (!p.startsWith(dest)) {
            throw new DataFormatException(archive + ": entry '" + name + "' points outside the archive folder");
        }
        return p;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
