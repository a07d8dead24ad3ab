package dev.aimc.data;

import dev.aimc.util.DataFormatException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reader of IDX files (LeCun et al., "THE MNIST DATABASE"), as used by MNIST and Fashion-MNIST: a big-endian
 * header (magic 0x00000803, count, rows, cols for images; 0x00000801, count for labels) then one unsigned byte per
 * pixel or label. Files may be gzip-compressed (detected by the magic 1f 8b) and named with or without ".gz".
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Images of an IDX file: {@code pixels} holds {@code count * rows * cols} bytes, image-major, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /**
     * Reads an images file.
     *
     * @param file an IDX3 uint8 images file, raw or gzip (detected by its magic)
     * @return count, rows, columns and pixels 0..255 in row-major order
     * @throws DataFormatException naming the file when its header or length is wrong
     */
    public static Images readImages(Path file) {
        return parseImages(Inputs.readAll(file), file.toString());
    }

    /**
     * Reads an images stream; {@code name} names it in errors.
     *
     * @param in the stream, raw or gzip; not closed
     * @param name the file name used in error messages
     * @return count, rows, columns and pixels 0..255 in row-major order
     */
    public static Images readImages(InputStream in, String name) {
        return parseImages(Inputs.readAll(in, name), name);
    }

    /**
     * Reads a labels file, requiring each label in [0, numClasses).
     *
     * @param file an IDX1 uint8 labels file, raw or gzip
     * @param numClasses number of classes; every label must be below it
     * @return the labels
     * @throws DataFormatException naming the file when its header, length or a label is wrong
     */
    public static int[] readLabels(Path file, int numClasses) {
        return parseLabels(Inputs.readAll(file), file.toString(), numClasses);
    }

    /**
     * Reads a labels stream; {@code name} names it in errors.
     *
     * @param in the stream, raw or gzip; not closed
     * @param name the file name used in error messages
     * @param numClasses number of classes; every label must be below it
     * @return the labels
     */
    public static int[] readLabels(InputStream in, String name, int numClasses) {
        return parseLabels(Inputs.readAll(in, name), name, numClasses);
    }

    /**
     * Reads the publisher's pair {@code <prefix>-images-idx3-ubyte(.gz)} and {@code <prefix>-labels-idx1-ubyte(.gz)}
     * in {@code dir} ({@code prefix} "train" or "t10k") into a data set of shape [1, rows, cols].
     *
     * @param dir the folder holding the four IDX files
     * @param split train ("train" prefix) or test ("t10k" prefix)
     * @param name the data set's name, e.g. "fashion-mnist"
     * @param classNames the class names, index = label
     * @param norm the normalisation the data set carries
     * @return the images [1, rows, cols] and labels
     * @throws DataFormatException when a file is missing, malformed, or the counts differ
     */
    public static Dataset load(Path dir, Split split, String name, List<String> classNames, Normalization norm) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path imgFile = Inputs.require(dir, prefix + "-images-idx3-ubyte");
        Path lblFile = Inputs.require(dir, prefix + "-labels-idx1-ubyte");
        Images img = readImages(imgFile);
        int[] labels = readLabels(lblFile, classNames.size());
        return combine(img, imgFile.toString(), labels, lblFile.toString(), name, classNames, norm);
    }

    /** Builds a data set from images and labels read separately, checking that their counts agree. */
    static Dataset combine(Images img, String imgName, int[] labels, String lblName, String name,
            List<String> classNames, Normalization norm) {
        if (img.count() != labels.length) {
            throw new DataFormatException(lblName + ": " + labels.length + " labels but " + imgName + " has "
                    + img.count() + " images");
        }
        return Dataset.ofBytes(name, new int[] {1, img.rows(), img.cols()}, img.pixels(), labels, classNames, norm);
    }

    static Images parseImages(byte[] data, String name) {
        ByteBuffer h = header(data, name, IMAGES_MAGIC, 16);
        int count = dim(h.getInt(4), name, "image count");
        int rows = dim(h.getInt(8), name, "rows");
        int cols = dim(h.getInt(12), name, "cols");
        if (rows == 0 || cols == 0) {
            throw new DataFormatException(name + ": image size " + rows + "x" + cols + " must be positive");
        }
        long expected = 16L + (long) count * rows * cols;
        checkLength(data, name, expected, count + " images of " + rows + "x" + cols);
        return new Images(count, rows, cols, Arrays.copyOfRange(data, 16, data.length));
    }

    static int[] parseLabels(byte[] data, String name, int numClasses) {
        ByteBuffer h = header(data, name, LABELS_MAGIC, 8);
        int count = dim(h.getInt(4), name, "label count");
        checkLength(data, name, 8L + count, count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int l = data[8 + i] & 0xFF;
            if (l >= numClasses) {
                throw new DataFormatException(name + ": label " + l + " of record " + i + " outside [0, "
                        + (numClasses - 1) + "]");
            }
            labels[i] = l;
        }
        return labels;
    }

    private static ByteBuffer header(byte[] data, String name, int magic, int len) {
        if (data.length < len) {
            throw new DataFormatException(name + ": truncated IDX header (" + data.length + " bytes, need " + len + ")");
        }
        ByteBuffer h = ByteBuffer.wrap(data); // big-endian by default, as IDX
        int m = h.getInt(0);
        if (m != magic) {
            throw new DataFormatException(String.format("%s: bad IDX magic number 0x%08x, expected 0x%08x (%s)",
                    name, m, magic, magic == IMAGES_MAGIC ? "images" : "labels"));
        }
        return h;
    }

    private static int dim(int v, String name, String what) {
        if (v < 0) {
            throw new DataFormatException(name + ": negative " + what + " " + v);
        }
        return v;
    }

    private static void checkLength(byte[] data, String name, long expected, String what) {
        if (data.length < expected) {
            throw new DataFormatException(name + ": truncated: header announces " + what + " (" + expected
                    + " bytes) but the file has " + data.length + " bytes");
        }
        if (data.length > expected) {
            throw new DataFormatException(name + ": " + (data.length - expected) + " bytes after the " + what
                    + " the header announces");
        }
    }
}
