package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of UCI HAR, "Human Activity Recognition Using Smartphones" (Anguita, Ghio, Oneto, Parra, Reyes-Ortiz,
 * ESANN 2013; UCI Machine Learning Repository, data set 240), from the publisher's "UCI HAR Dataset" folder.
 *
 * <p>Two views: {@link #features} (the engineered features per window, {@code X_<split>.txt}: 561 in the published
 * set, 265 in the "har265" subset; the count is the number of lines of {@code features.txt}) and {@link #signals}
 * (the 9 raw inertial signals of 128 readings per 2.56 s window, shape [9, 128]). Labels 1..6 of
 * {@code y_<split>.txt} are stored as 0..5; {@code subject_<split>.txt} must hold one subject id in 1..30 per window.
 * Every data file may be plain text or gzip ({@code X_train.txt.gz}; recognised by its magic bytes). Normalisation
 * uses mean and standard deviation of the training split, per feature for the features and per signal channel for
 * the signals.
 */
public final class HarReader {
    /** Number of engineered features per window of the published set (a subset has fewer, see features.txt). */
    public static final int FEATURES = 561;
    /** Number of volunteers; subject ids are 1..30. */
    public static final int SUBJECTS = 30;
    /** Readings per window and signal (50 Hz, 2.56 s). */
    public static final int STEPS = 128;
    /** Inertial signal channels, in sample-channel order. */
    public static final List<String> SIGNALS = List.of("body_acc_x", "body_acc_y", "body_acc_z",
            "body_gyro_x", "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y", "total_acc_z");
    /** Number of activity classes. */
    public static final int CLASSES = 6;

    private HarReader() {}

    /**
     * The data files (relative to the "UCI HAR Dataset" folder) that a split of a view needs, without the files
     * shared by both splits ({@link #commonFiles}). Each may also be stored gzip-compressed with ".gz" appended.
     *
     * @param split train or test
     * @param signals true for the inertial-signal view (nine files of 128-step windows), false for the features
     * @return paths like "train/X_train.txt" and "train/Inertial Signals/body_acc_x_train.txt"
     */
    public static List<String> files(Split split, boolean signals) {
        String s = split.id();
        List<String> f = new ArrayList<>();
        f.add(s + "/y_" + s + ".txt");
        f.add(s + "/subject_" + s + ".txt");
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
     * The files of the folder that both splits of a view share.
     *
     * @param signals true for the inertial-signal view (no feature list needed), false for the features
     * @return "activity_labels.txt", and "features.txt" for the feature view
     */
    public static List<String> commonFiles(boolean signals) {
        return signals ? List.of("activity_labels.txt") : List.of("activity_labels.txt", "features.txt");
    }

    /**
     * Loads the feature view ("har") of a split; samples [F], F the number of lines of {@code features.txt}.
     *
     * @param dir the "UCI HAR Dataset" folder
     * @param split train (7,352 windows) or test (2,947 windows)
     * @return F features per window, six activity classes, normalised with the training split's per-feature mean and
     *     standard deviation
     */
    public static Dataset features(Path dir, Split split) {
        return features(dir, split, "har");
    }

    /**
     * Loads the feature view of a split under the data set name {@code name} (e.g. "har265" for the 265-feature
     * subset); the feature count F is the number of lines of {@code features.txt}, and every row of the X file must
     * hold F values.
     *
     * @param dir the "UCI HAR Dataset" folder
     * @param split train or test
     * @param name the data set's name, as results report it
     * @return F features per window, six activity classes, normalised with the training split's per-feature mean and
     *     standard deviation
     */
    public static Dataset features(Path dir, Split split, String name) {
        List<String> classes = classNames(dir);
        int nf = featureNames(dir).size();
        float[] x = readFeatures(dir, split, nf);
        int rows = x.length / nf;
        String xName = "X_" + split.id() + ".txt";
        int[] y = readLabels(dir, split, rows, xName);
        readSubjects(dir, split, rows, xName);
        float[] train = split == Split.TRAIN ? x : readFeatures(dir, Split.TRAIN, nf);
        Normalization norm = stats(train, nf, 1);
        return Dataset.ofFloats(name, new int[] {nf}, x, y, classes, norm);
    }

    /**
     * The feature names of {@code features.txt}: line k is "k NAME", k = 1, 2, … in order; their number is the
     * feature count of the X files.
     *
     * @param dir the "UCI HAR Dataset" folder
     * @return the names, in column order
     * @throws DataFormatException naming the file for a missing file, a malformed line or an index out of order
     */
    public static List<String> featureNames(Path dir) {
        Path p = file(dir, "features.txt");
        String text = new String(Inputs.readAll(p), StandardCharsets.ISO_8859_1);
        List<String> names = new ArrayList<>();
        int ln = 0;
        for (String line : text.split("\n", -1)) {
            ln++;
            if (line.isBlank()) {
                continue;
            }
            String[] t = line.strip().split("\\s+", 2);
            boolean ok = t.length == 2 && t[0].equals(Integer.toString(names.size() + 1));
            if (!ok) {
                throw new DataFormatException(p + ": line " + ln + ": expected '" + (names.size() + 1)
                        + " NAME', got '" + abbreviate(line.strip()) + "'");
            }
            names.add(t[1].strip());
        }
        if (names.isEmpty()) {
            throw new DataFormatException(p + ": no features listed");
        }
        return List.copyOf(names);
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
        int rows = x.length / (SIGNALS.size() * STEPS);
        int[] y = readLabels(dir, split, rows, "the inertial signal files");
        readSubjects(dir, split, rows, "the inertial signal files");
        float[] train = split == Split.TRAIN ? x : readSignals(dir, Split.TRAIN);
        Normalization norm = stats(train, SIGNALS.size(), STEPS);
        return Dataset.ofFloats("har-signals", new int[] {SIGNALS.size(), STEPS}, x, y, classes, norm);
    }

    private static float[] readFeatures(Path dir, Split split, int features) {
        try {
            return TextMatrix.read(file(dir, split.id() + "/X_" + split.id() + ".txt"), features).values();
        } catch (DataFormatException e) {
            if (e.getMessage().endsWith("expected " + features)) {
                throw new DataFormatException(e.getMessage() + " (the features listed in features.txt)");
            }
            throw e;
        }
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
            throw new DataFormatException(p + ": " + y.length + " labels but " + rowsOf(what, rows));
        }
        for (int i = 0; i < y.length; i++) {
            y[i]--;
        }
        return y;
    }

    /** The subject ids (1..30) of a split's windows, one per row of the data files. */
    private static int[] readSubjects(Path dir, Split split, int rows, String what) {
        Path p = file(dir, split.id() + "/subject_" + split.id() + ".txt");
        int[] s = TextMatrix.readInts(p, 1, SUBJECTS, "subject");
        if (s.length != rows) {
            throw new DataFormatException(p + ": " + s.length + " subject ids but " + rowsOf(what, rows));
        }
        return s;
    }

    /** "X_test.txt has 3 rows", "the inertial signal files have 1 row". */
    private static String rowsOf(String what, int rows) {
        boolean plural = what.endsWith("files");
        return what + (plural ? " have " : " has ") + rows + (rows == 1 ? " row" : " rows");
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
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
        String[] lines = new String(Inputs.readAll(p), StandardCharsets.ISO_8859_1).split("\\R");
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
        for (int i = 0; i < CLASSES; i++) {
            if (names[i] == null) {
                throw new DataFormatException(p + ": no name for activity " + (i + 1));
            }
        }
        return List.of(names);
    }

    /** {@code dir/rel}, or {@code dir/rel.gz} when only that exists; a DataFormatException naming it otherwise. */
    private static Path file(Path dir, String rel) {
        Path p = Inputs.locate(dir, rel);
        if (p == null) {
            throw new DataFormatException(dir.resolve(rel) + ": not found (nor " + rel.substring(rel.lastIndexOf('/')
                    + 1) + ".gz)");
        }
        return p;
    }
}
