package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A measured table of drift-exponent statistics against conductance: rows (g in µS, ν mean, ν std), g strictly
 * increasing. Between rows the mean and std are interpolated linearly; outside the table they are held at the
 * first/last row (clamped).
 *
 * <p>CSV format ({@link #load(Path)}): one row per line, {@code g_us,nu_mean,nu_std}, an optional header line
 * first, blank lines and lines starting with {@code #} ignored; at least two rows.
 */
public final class NuTable {
    private final double[] gMicroSiemens;
    private final double[] nuMean;
    private final double[] nuStd;
    private final String source;

    private NuTable(double[] g, double[] mean, double[] std, String source) {
        this.gMicroSiemens = g;
        this.nuMean = mean;
        this.nuStd = std;
        this.source = source;
    }

    /**
     * Builds a table from arrays (copied).
     *
     * @param gMicroSiemens conductance nodes in µS, strictly increasing, at least 2
     * @param nuMean ν mean at each node
     * @param nuStd ν standard deviation at each node, ≥ 0
     * @return the table, source "&lt;table&gt;"
     * @throws ConfigException if lengths differ, fewer than 2 rows, g not strictly increasing, a value is not
     *     finite or a std is negative
     */
    public static NuTable of(double[] gMicroSiemens, double[] nuMean, double[] nuStd) {
        if (gMicroSiemens.length != nuMean.length || gMicroSiemens.length != nuStd.length) {
            throw new ConfigException("nu table columns must have equal lengths, got " + gMicroSiemens.length
                    + ", " + nuMean.length + ", " + nuStd.length);
        }
        if (gMicroSiemens.length < 2) {
            throw new ConfigException("nu table must have at least 2 rows, got " + gMicroSiemens.length);
        }
        for (int i = 0; i < gMicroSiemens.length; i++) {
            String err = rowError(i == 0 ? Double.NaN : gMicroSiemens[i - 1], gMicroSiemens[i], nuMean[i], nuStd[i]);
            if (err != null) {
                throw new ConfigException("nu table row " + (i + 1) + " " + err);
            }
        }
        return new NuTable(gMicroSiemens.clone(), nuMean.clone(), nuStd.clone(), "<table>");
    }

    /** Problem with a row whose predecessor has conductance {@code gPrev} (NaN for the first row), or null. */
    private static String rowError(double gPrev, double g, double mean, double std) {
        if (!Double.isFinite(g) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            return "must hold finite numbers, got " + g + "," + mean + "," + std;
        }
        if (g < 0) {
            return "g must be >= 0, got " + g;
        }
        if (!Double.isNaN(gPrev) && !(g > gPrev)) {
            return "g must be strictly increasing, got " + g + " after " + gPrev;
        }
        if (std < 0) {
            return "nu_std must be >= 0, got " + std;
        }
        return null;
    }

    /**
     * Reads a CSV table.
     *
     * @param file a CSV file, rows {@code g_us,nu_mean,nu_std} (g in µS), optional header, {@code #} comments
     * @return the table, source the file name
     * @throws DataFormatException "FILE:LINE: problem" on one line, or "FILE: problem" for I/O errors and too
     *     few rows
     */
    public static NuTable load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataFormatException(file + ": cannot read nu table: " + e.getMessage(), e);
        }
        List<double[]> rows = new ArrayList<>();
        boolean first = true;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (ln + 1) + ": ";
            String[] f = line.split(",", -1);
            boolean header = first && !isNumber(f[0].strip());
            first = false;
            if (header) {
                continue;
            }
            if (f.length != 3) {
                throw new DataFormatException(where + "expected 3 columns g_us,nu_mean,nu_std, got " + f.length
                        + " in '" + line + "'");
            }
            double[] r = new double[3];
            for (int k = 0; k < 3; k++) {
                String s = f[k].strip();
                if (!isNumber(s)) {
                    throw new DataFormatException(where + "column " + (k + 1) + " is not a number: '" + s + "'");
                }
                r[k] = Double.parseDouble(s);
            }
            String err = rowError(rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1)[0], r[0], r[1], r[2]);
            if (err != null) {
                throw new DataFormatException(where + err);
            }
            rows.add(r);
        }
        if (rows.size() < 2) {
            throw new DataFormatException(file + ": nu table must have at least 2 data rows, got " + rows.size());
        }
        int n = rows.size();
        double[] g = new double[n];
        double[] m = new double[n];
        double[] sd = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = rows.get(i)[0];
            m[i] = rows.get(i)[1];
            sd[i] = rows.get(i)[2];
        }
        return new NuTable(g, m, sd, file.toString());
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Conductance nodes in µS (copy).
     *
     * @return a new array, strictly increasing
     */
    public double[] gMicroSiemens() {
        return gMicroSiemens.clone();
    }

    /**
     * ν mean at the nodes (copy).
     *
     * @return a new array, one value per node
     */
    public double[] nuMean() {
        return nuMean.clone();
    }

    /**
     * ν std at the nodes (copy).
     *
     * @return a new array, one value per node (≥ 0)
     */
    public double[] nuStd() {
        return nuStd.clone();
    }

    /**
     * Where the table came from: the file name, or "&lt;table&gt;".
     *
     * @return the source text for messages and provenance
     */
    public String source() {
        return source;
    }

    /**
     * Linearly interpolated ν mean at g (µS), clamped at the ends.
     *
     * @param gMicroSiemens conductance in µS
     * @return the interpolated mean drift exponent, dimensionless
     */
    public double meanAt(double gMicroSiemens) {
        return interp(this.gMicroSiemens, nuMean, gMicroSiemens);
    }

    /**
     * Linearly interpolated ν std at g (µS), clamped at the ends.
     *
     * @param gMicroSiemens conductance in µS
     * @return the interpolated drift-exponent std, dimensionless, ≥ 0
     */
    public double stdAt(double gMicroSiemens) {
        return interp(this.gMicroSiemens, nuStd, gMicroSiemens);
    }

    private static double interp(double[] xs, double[] ys, double x) {
        if (x <= xs[0]) {
            return ys[0];
        }
        int n = xs.length;
        if (x >= xs[n - 1]) {
            return ys[n - 1];
        }
        int i = Arrays.binarySearch(xs, x);
        if (i >= 0) {
            return ys[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        return ys[lo] + (ys[hi] - ys[lo]) * (x - xs[lo]) / (xs[hi] - xs[lo]);
    }

    /**
     * Vectorised interpolation of both columns at conductances {@code g} (µS, float32):
     * y(g) = y_0 + Σ_i slope_i·clip(g − g_i, 0, g_{i+1} − g_i), which is linear between nodes and clamped
     * outside; one array operation per table segment, none per device.
     *
     * @return {ν mean, ν std}, new arrays in {@code g}'s manager
     */
    NDArray[] interpolate(NDArray g) {
        return new NDArray[] {interpolate(g, nuMean), interpolate(g, nuStd)};
    }

    private NDArray interpolate(NDArray g, double[] ys) {
        NDArray acc = g.zerosLike().add((float) ys[0]);
        for (int i = 0; i + 1 < gMicroSiemens.length; i++) {
            double w = gMicroSiemens[i + 1] - gMicroSiemens[i];
            double slope = (ys[i + 1] - ys[i]) / w;
            if (slope == 0) {
                continue;
            }
            NDArray seg = g.sub((float) gMicroSiemens[i]).clip(0f, (float) w).mul((float) slope);
            acc.addi(seg);
            seg.close();
        }
        return acc;
    }

    @Override
    public String toString() {
        return "NuTable[" + source + ", " + gMicroSiemens.length + " rows]";
    }
}
