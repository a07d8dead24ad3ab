package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of the CIFAR-10 binary version (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny
 * Images"; https://www.cs.toronto.edu/~kriz/cifar.html): files {@code data_batch_1..5.bin} and
 * {@code test_batch.bin} (raw or ".gz"), each a sequence of 3073-byte records: 1 label byte 0..9, then the 32x32
 * red, green and blue planes, row-major. Samples have shape [3, 32, 32].
 */
public final class Cifar10Reader {
    /** Bytes per record: 1 label + 3 * 32 * 32 pixels. */
    public static final int RECORD = 3073;
    /** Default class names, as in the publisher's batches.meta.txt. */
    public static final List<String> CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    private static final int PIXELS = 3072;

    private Cifar10Reader() {}

    /**
     * Batch file names (without ".gz") of a split.
     *
     * @param split train (data_batch_1 … 5) or test (test_batch)
     * @return e.g. ["data_batch_1.bin", …]
     */
    public static List<String> files(Split split) {
        if (split == Split.TEST) {
            return List.of("test_batch.bin");
        }
        List<String> f = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            f.add("data_batch_" + i + ".bin");
        }
        return f;
    }

    /**
     * Loads a split from {@code dir} (the {@code cifar-10-batches-bin} folder).
     *
     * @param dir the cifar-10-batches-bin folder; each file raw or gzip
     * @param split train (50,000 images) or test (10,000 images)
     * @return images [3, 32, 32] with CIFAR-10 normalisation and the ten class names
     * @throws DataFormatException when a file is not a positive multiple of 3,073-byte records or a label is outside
     *     0..9
     */
    public static Dataset load(Path dir, Split split) {
        List<String> classes = classNames(dir);
        List<byte[]> parts = new ArrayList<>();
        long records = 0;
        for (String f : files(split)) {
            Path p = Inputs.require(dir, f);
            byte[] data = Inputs.readAll(p);
            checkRecords(data, p.toString());
            parts.add(data);
            records += data.length / RECORD;
        }
        int n = Math.toIntExact(records);
        byte[] pixels = new byte[Math.multiplyExact(n, PIXELS)];
        int[] labels = new int[n];
        int k = 0;
        for (byte[] data : parts) {
            for (int r = 0; r < data.length / RECORD; r++, k++) {
                labels[k] = data[r * RECORD];
                System.arraycopy(data, r * RECORD + 1, pixels, k * PIXELS, PIXELS);
            }
        }
        return Dataset.ofBytes("cifar10", new int[] {3, 32, 32}, pixels, labels, classes, Normalization.CIFAR10);
    }

    /** Checks the record structure and labels of one batch's bytes. */
    static void checkRecords(byte[] data, String name) {
        if (data.length == 0 || data.length % RECORD != 0) {
            throw new DataFormatException(name + ": length " + data.length + " is not a positive multiple of the "
                    + RECORD + "-byte record (truncated or not a CIFAR-10 binary batch)");
        }
        for (int r = 0; r < data.length / RECORD; r++) {
            int l = data[r * RECORD] & 0xFF;
            if (l > 9) {
                throw new DataFormatException(name + ": label " + l + " of record " + r + " outside [0, 9]");
            }
        }
    }

    /** Class names from {@code batches.meta.txt} when present (10 non-empty lines), else {@link #CLASSES}. */
    static List<String> classNames(Path dir) {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        try {
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            if (names.size() != 10) {
                throw new DataFormatException(meta + ": " + names.size() + " class names, expected 10");
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(meta + ": " + e.getMessage(), e);
        }
    }
}
