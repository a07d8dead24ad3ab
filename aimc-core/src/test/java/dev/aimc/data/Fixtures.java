package dev.aimc.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/** Writes tiny but well-formed data set files in the publishers' layouts. */
final class Fixtures {
    private Fixtures() {}

    static byte[] idxImages(int count, int rows, int cols, int seed) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeInt(IdxReader.IMAGES_MAGIC);
            o.writeInt(count);
            o.writeInt(rows);
            o.writeInt(cols);
            for (int i = 0; i < count * rows * cols; i++) {
                o.write((i * 31 + seed) & 0xFF);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static byte[] idxLabels(int count, int classes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(b)) {
            o.writeInt(IdxReader.LABELS_MAGIC);
            o.writeInt(count);
            for (int i = 0; i < count; i++) {
                o.write(i % classes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** MNIST-like folder: train 20 images, test 10, 28x28, gz when {@code gz}. */
    static Path mnist(Path dir, boolean gz) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train-images-idx3-ubyte", idxImages(20, 28, 28, 1), gz);
        write(dir, "train-labels-idx1-ubyte", idxLabels(20, 10), gz);
        write(dir, "t10k-images-idx3-ubyte", idxImages(10, 28, 28, 2), gz);
        write(dir, "t10k-labels-idx1-ubyte", idxLabels(10, 10), gz);
        return dir;
    }

    static void write(Path dir, String name, byte[] data, boolean gz) throws IOException {
        Files.write(dir.resolve(gz ? name + ".gz" : name), gz ? gzip(data) : data);
    }

    /** CIFAR-10 batch bytes: {@code n} records, label i % 10, pixel (i + j) % 256. */
    static byte[] cifarBatch(int n, int seed) {
        byte[] d = new byte[n * Cifar10Reader.RECORD];
        for (int i = 0; i < n; i++) {
            d[i * Cifar10Reader.RECORD] = (byte) (i % 10);
            for (int j = 0; j < 3072; j++) {
                d[i * Cifar10Reader.RECORD + 1 + j] = (byte) (i + j + seed);
            }
        }
        return d;
    }

    /** CIFAR folder with 3 records per training batch (15) and 4 test records; batches gz when {@code gz}. */
    static Path cifar(Path dir, boolean gz) throws IOException {
        Files.createDirectories(dir);
        for (int b = 1; b <= 5; b++) {
            write(dir, "data_batch_" + b + ".bin", cifarBatch(3, b), gz);
        }
        write(dir, "test_batch.bin", cifarBatch(4, 9), gz);
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", Cifar10Reader.CLASSES) + "\n\n");
        return dir;
    }

    /** A UCI HAR "UCI HAR Dataset" folder with {@code train}/{@code test} rows, exact UCI text format. */
    static Path har(Path dir, int train, int test) throws IOException {
        return har(dir, train, test, HarReader.FEATURES, false);
    }

    /**
     * A UCI HAR folder with {@code features} features (features.txt lists them), subject files, inertial signals;
     * the X files gzip-compressed ("X_train.txt.gz") when {@code gz}.
     */
    static Path har(Path dir, int train, int test, int features, boolean gz) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("activity_labels.txt"), "1 WALKING\n2 WALKING_UPSTAIRS\n3 WALKING_DOWNSTAIRS\n"
                + "4 SITTING\n5 STANDING\n6 LAYING\n");
        StringBuilder names = new StringBuilder();
        for (int c = 1; c <= features; c++) {
            names.append(c).append(" f").append(c).append("-mean()-X\n");
        }
        Files.writeString(dir.resolve("features.txt"), names);
        harSplit(dir, "train", train, 0, features, gz);
        harSplit(dir, "test", test, 1000, features, gz);
        return dir;
    }

    static void harSplit(Path dir, String s, int rows, int seed, int features, boolean gz) throws IOException {
        Path sd = dir.resolve(s);
        Files.createDirectories(sd.resolve("Inertial Signals"));
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        StringBuilder subj = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < features; c++) {
                x.append(String.format(Locale.ROOT, " %.7e", value(seed + r, c)).replace("e-0", "e-00")
                        .replace("e+0", "e+00"));
            }
            x.append('\n');
            y.append(r % 6 + 1).append('\n');
            subj.append(r % 30 + 1).append('\n');
        }
        write(sd, "X_" + s + ".txt", x.toString().getBytes(StandardCharsets.US_ASCII), gz);
        Files.writeString(sd.resolve("y_" + s + ".txt"), y);
        Files.writeString(sd.resolve("subject_" + s + ".txt"), subj);
        for (int ch = 0; ch < 9; ch++) {
            StringBuilder sig = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < HarReader.STEPS; t++) {
                    sig.append(String.format(Locale.ROOT, " %.8e", ch + 0.01 * value(seed + r, t)));
                }
                sig.append('\n');
            }
            Files.writeString(sd.resolve("Inertial Signals").resolve(HarReader.SIGNALS.get(ch) + "_" + s + ".txt"),
                    sig);
        }
    }

    static double value(int r, int c) {
        return Math.sin(r * 0.7 + c * 0.13) * 0.9;
    }
}
