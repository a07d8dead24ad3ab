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
 * Reader of UCI HAR, "Human Activity Recognition Using Smartphones" (Anguita, Ghio, Oneto, Parra, Reyes-Ortiz,
 * ESANN 2013; UCI Machine Learning Repository, data set 240), from the publisher's "UCI HAR Dataset" folder.
 *
 * <p>Two views: {@link #features} (561 engineered features per window, {@code X_<split>.txt}) and
 * {@link #signals} (the 9 raw inertial signals of 128 readings per 2.56 s window, shape [9, 128]). Labels 1..6 of
 * {@code y_<split>.txt} are stored as 0..5. Normalisation uses mean and standard deviation of the training split,
 * per feature for the features and per signal channel for the signals.
 */
public final class HarReader {
    /** Number of engineered features per window. */
    public static final int FEATURES = 561;
    /** Readings per window and signal (50 Hz, 2.56 s). */
    public static final int STEPS = 128;
    /** Inertial signal channels, in sample-channel order. */
    public static final List<String> SIGNALS = List.of("body_acc_x", "body_acc_y", "body_acc_z",
            "body_gyro_x", "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z");
    /** Number of activity classes. */
    public static final int CLASSES = 6;

    private HarReader() {}

    /**
     * The data files (relative to the "UCI HAR Dataset" folder) that a split of a view needs.
     *
     * @param split train or test
     * @param signals true for the inertial-signal view (nine files of 128-step windows), false for the 561 features
     * @return paths like "train/X_train.txt" and "train/Inertial Signals/body_acc_x_train.txt"
     */
    public static List<String> files(Split split, boolean signals) {
        String s = split.id();
        List<String> f = new ArrayList<>();
        f.add("activity_labels.txt");
        f.add(s + "/y_" + s + ".txt");
        if (signals) {
            for (String sig : SIGNALS) {
                f.add(s + "/Inertial Signals/" + sig + "_" + s + ".txt");
            }
        } else {
            f.add(s + "/X_" + s + ".txt");
        }
        return f;
    }

    /**
     * Loads the 561-feature view ("har") of a split; samples [561].
     *
     * @param dir the "UCI HAR Dataset" folder
     * @param split train (7,352 windows) or test (2,947 windows)
     * @return 561 features per window, six activity classes, normalised with the training split's per-feature mean and
     *     standard deviation
     */
    public static Dataset features(Path dir, Split split) {
        List<String> classes = classNames(dir);
        float[] x = readFeatures(dir, split);
        int[] y = readLabels(dir, split, x.length / FEATURES, "X_" + split.id() + ".txt");
        float[] train = split == Split.TRAIN ? x : readFeatures(dir, Split.TRAIN);
        Normalization norm = stats(train, FEATURES, 1);
        return Dataset.ofFloats("har", new int[] {FEATURES}, x, y, classes, norm);
    }

    /**
     * Loads the inertial-signal view ("har-signals") of a split; samples [9, 128].
     *
     * @param dir the "UCI HAR Dataset" folder
     * @param split train (7,352 windows) or test (2,947 windows)
     * @return nine signals × 128 steps (2.56 s at 50 Hz) per window, six activity classes
     */
    public static Dataset signals(Path dir, Split split) {
        List<String> classes = classNames(dir);
        float[] x = readSignals(dir, split);
        int[] y = readLabels(dir, split, x.length / (SIGNALS.size() * STEPS), "the inertial signal files");
        float[] train = split == Split.TRAIN ? x : readSignals(dir, Split.TRAIN);
        Normalization norm = stats(train, SIGNALS.size(), STEPS);
        return Dataset.ofFloats("har-signals", new int[] {SIGNALS.size(), STEPS}, x, y, classes, norm);
    }

    private static float[] readFeatures(Path dir, Split split) {
        return TextMatrix.read(file(dir, split.id() + "/X_" + split.id() + ".txt"), FEATURES).values();
    }

    private static float[] readSignals(Path dir, Split split) {
        String s = split.id();
        int rows = -1;
        String first = null;
        float[] out = null;
        int ch = SIGNALS.size();
        for (int c = 0; c < ch; c++) {
            Path p = file(dir, s + "/Inertial Signals/" + SIGNALS.get(c) + "_" + s + ".txt");
            TextMatrix.Matrix m = TextMatrix.read(p, STEPS);
            if (rows < 0) {
                rows = m.rows();
                first = p.getFileName().toString();
                out = new float[rows * ch * STEPS];
            } else if (m.rows() != rows) {
                throw new DataFormatException(p + ": " + m.rows() + " rows but " + first + " has " + rows);
            }
            float[] v = m.values();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(v, r * STEPS, out, (r * ch + c) * STEPS, STEPS);
            }
        }
        return out;
    }

    private static int[] readLabels(Path dir, Split split, int rows, String what) {
        Path p = file(dir, split.id() + "/y_" + split.id() + ".txt");
        int[] y = TextMatrix.readInts(p, 1, CLASSES);
        if (y.length != rows) {
            throw new DataFormatException(p + ": " + y.length + " labels but " + what + " " + (rows == 1 ? "has 1 row"
                    : "have " + rows + " rows"));
        }
        for (int i = 0; i < y.length; i++) {
            y[i]--;
        }
        return y;
    }

    /** Per-group mean and population standard deviation ({@code groups} runs of {@code len} values per sample). */
    static Normalization stats(float[] x, int groups, int len) {
        int size = groups * len;
        int n = x.length / size;
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        for (int i = 0; i < n; i++) {
            for (int g = 0; g < groups; g++) {
                int b = i * size + g * len;
                for (int t = 0; t < len; t++) {
                    double v = x[b + t];
                    sum[g] += v;
                    sq[g] += v * v;
                }
            }
        }
        float[] mean = new float[groups];
        float[] std = new float[groups];
        double cnt = (double) n * len;
        for (int g = 0; g < groups; g++) {
            double m = cnt > 0 ? sum[g] / cnt : 0;
            double var = cnt > 0 ? Math.max(0, sq[g] / cnt - m * m) : 1;
            mean[g] = (float) m;
            double s = Math.sqrt(var);
            std[g] = s > 1e-8 ? (float) s : 1f; // constant feature: leave it centred, unscaled
        }
        return Normalization.real(mean, std);
    }

    /** Class names from {@code activity_labels.txt}: lines "ID NAME" with IDs 1..6. */
    static List<String> classNames(Path dir) {
        Path p = file(dir, "activity_labels.txt");
        String[] names = new String[CLASSES];
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
            int ln = 0;
            for (String line : lines) {
                ln++;
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.strip().split("\\s+", 2);
                int id;
                try {
                    id = Integer.parseInt(t[0]);
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (t.length != 2 || id < 1 || id > CLASSES || names[id - 1] != null) {
                    throw new DataFormatException(p + ": line " + ln + ": expected 'ID NAME' with a new ID in 1.."
                            + CLASSES + ", got '" + line.strip() + "'");
                }
                names[id - 1] = t[1].strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < CLASSES; i++) {
            if (names[i] == null) {
                throw new DataFormatException(p + ": no name for activity " + (i + 1));
            }
        }
        return List.of(names);
    }

    private static Path file(Path dir, String rel) {
        Path p = dir.resolve(rel);
        if (!Files.isRegularFile(p)) {
            throw new DataFormatException(p + ": not found");
        }
        return p;
    }
}
