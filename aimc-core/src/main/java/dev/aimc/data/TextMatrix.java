package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Parser of whitespace-separated numeric text files (one row per line), reporting errors by file and line. */
final class TextMatrix {
    private TextMatrix() {}

    /** A parsed matrix: {@code rows * cols} values, row-major. */
    record Matrix(int rows, int cols, float[] values) {}

    /** Reads {@code file} requiring exactly {@code cols} finite numbers on every line. */
    static Matrix read(Path file, int cols) {
        byte[] data = Inputs.readAll(file);
        String name = file.toString();
        float[] v = new float[Math.max(16, cols * 1024)];
        int n = 0;
        int line = 0;
        int pos = 0;
        while (pos < data.length) {
            line++;
            int end = pos;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int found = 0;
            int i = pos;
            while (true) {
                while (i < end && isSpace(data[i])) {
                    i++;
                }
                if (i >= end) {
                    break;
                }
                int s = i;
                while (i < end && !isSpace(data[i])) {
                    i++;
                }
                if (found < cols) {
                    if (n == v.length) {
                        v = Arrays.copyOf(v, v.length * 2);
                    }
                    v[n++] = parse(data, s, i, name, line, found + 1);
                }
                found++;
            }
            if (found != cols) {
                throw new DataFormatException(name + ": line " + line + ": " + found + " values, expected " + cols);
            }
            pos = end + 1;
        }
        return new Matrix(line, cols, Arrays.copyOf(v, n));
    }

    /** Reads a one-column file of labels, integers in [lo, hi]. */
    static int[] readInts(Path file, int lo, int hi) {
        return readInts(file, lo, hi, "label");
    }

    /** Reads a one-column file of integers in [lo, hi]; {@code what} names a value in errors ("label"). */
    static int[] readInts(Path file, int lo, int hi, String what) {
        Matrix m = read(file, 1);
        int[] out = new int[m.rows()];
        for (int r = 0; r < out.length; r++) {
            float f = m.values()[r];
            if (f != Math.rint(f) || f < lo || f > hi) {
                throw new DataFormatException(file + ": line " + (r + 1) + ": " + what + " " + f + " is not an integer in ["
                        + lo + ", " + hi + "]");
            }
            out[r] = (int) f;
        }
        return out;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f';
    }

    private static float parse(byte[] d, int s, int e, String name, int line, int col) {
        String tok = new String(d, s, e - s, StandardCharsets.ISO_8859_1);
        float f;
        try {
            f = Float.parseFloat(tok);
        } catch (NumberFormatException ex) {
            f = Float.NaN;
        }
        char c0 = tok.charAt(0);
        if (!Float.isFinite(f) || !(Character.isDigit(c0) || c0 == '-' || c0 == '+' || c0 == '.')) {
            throw new DataFormatException(name + ": line " + line + ", column " + col + ": not a finite number: '"
                    + (tok.length() > 40 ? tok.substring(0, 40) + "..." : tok) + "'");
        }
        return f;
    }
}
