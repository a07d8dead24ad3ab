package dev.aimc.data;

import dev.aimc.util.AtomicFiles;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the embedded "mnist-subset" resources from the full MNIST (LeCun et al. 1998): the first
 * {@value #TRAIN_PER_CLASS} training and first {@value #TEST_PER_CLASS} test images of each digit, in file order
 * (so classes stay interleaved as in the original), written as gzip-compressed IDX files.
 *
 * <p>Run once from the repository root (output is deterministic; Java's gzip header has no timestamp):
 * <pre>java -cp target/classes dev.aimc.data.EmbeddedSubsetBuilder /path/to/mnist src/main/resources/dev/aimc/data/mnist-subset</pre>
 */
public final class EmbeddedSubsetBuilder {
    /** Training images per class. */
    public static final int TRAIN_PER_CLASS = 1000;
    /** Test images per class. */
    public static final int TEST_PER_CLASS = 200;

    private EmbeddedSubsetBuilder() {}

    /**
     * Arguments: MNIST folder (IDX files, raw or .gz), output folder.
     *
     * @param args the MNIST folder and the output folder
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedSubsetBuilder MNIST_DIR OUT_DIR");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        for (Split split : Split.values()) {
            Dataset full = IdxReader.load(in, split, "mnist", DataSets.DIGITS, Normalization.MNIST);
            Dataset sub = full.subset("mnist-subset",
                    firstPerClass(full, split == Split.TRAIN ? TRAIN_PER_CLASS : TEST_PER_CLASS));
            write(sub, out, split == Split.TRAIN ? "train" : "t10k");
            System.out.println(split.id() + ": " + sub.size() + " images");
        }
    }

    /** Indices of the first {@code perClass} samples of each class, in data set order. */
    static int[] firstPerClass(Dataset d, int perClass) {
        int[] taken = new int[d.numClasses()];
        int[] idx = new int[perClass * d.numClasses()];
        int n = 0;
        for (int i = 0; i < d.size() && n < idx.length; i++) {
            int l = d.label(i);
            if (taken[l] < perClass) {
                taken[l]++;
                idx[n++] = i;
            }
        }
        if (n != idx.length) {
            throw new IllegalStateException("fewer than " + perClass + " samples in some class");
        }
        return idx;
    }

    /** Writes {@code d} as {@code prefix-images-idx3-ubyte.gz} and {@code prefix-labels-idx1-ubyte.gz}. */
    static void write(Dataset d, Path dir, String prefix) throws IOException {
        int[] s = d.shape();
        AtomicFiles.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), os -> {
            DataOutputStream o = new DataOutputStream(new GZIPOutputStream(os, 1 << 16));
            o.writeInt(IdxReader.IMAGES_MAGIC);
            o.writeInt(d.size());
            o.writeInt(s[1]);
            o.writeInt(s[2]);
            for (int i = 0; i < d.size(); i++) {
                for (int j = 0; j < d.sampleSize(); j++) {
                    o.write((int) d.raw(i, j));
                }
            }
            o.close();
        });
        AtomicFiles.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), os -> {
            DataOutputStream o = new DataOutputStream(new GZIPOutputStream(os));
            o.writeInt(IdxReader.LABELS_MAGIC);
            o.writeInt(d.size());
            for (int i = 0; i < d.size(); i++) {
                o.write(d.label(i));
            }
            o.close();
        });
    }
}
