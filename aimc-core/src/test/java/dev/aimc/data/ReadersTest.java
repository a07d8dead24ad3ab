package dev.aimc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path tmp;

    private static DataFormatException fails(Path file, Runnable r) {
        DataFormatException e = assertThrows(DataFormatException.class, r::run);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void idxRawAndGzip() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path d = Fixtures.mnist(tmp.resolve("m" + gz), gz);
            Dataset tr = IdxReader.load(d, Split.TRAIN, "mnist", DataSets.DIGITS, Normalization.MNIST);
            assertEquals(20, tr.size());
            assertArrayEquals(new int[] {1, 28, 28}, tr.shape());
            assertEquals(3, tr.label(3));
            assertEquals((5 * 31 + 1) & 0xFF, (int) tr.raw(0, 5));
            assertEquals(10, IdxReader.load(d, Split.TEST, "mnist", DataSets.DIGITS, Normalization.MNIST).size());
        }
    }

    @Test
    void idxBadMagic() throws IOException {
        Path d = Fixtures.mnist(tmp, false);
        Path f = d.resolve("train-images-idx3-ubyte");
        Files.write(f, Fixtures.idxLabels(20, 10));
        DataFormatException e = fails(f, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void idxTruncatedAndExtra() throws IOException {
        byte[] good = Fixtures.idxImages(20, 28, 28, 1);
        Path f = tmp.resolve("train-images-idx3-ubyte");
        Files.write(f, Arrays.copyOf(good, good.length - 1));
        assertTrue(fails(f, () -> IdxReader.readImages(f)).getMessage().contains("truncated"));
        Files.write(f, Arrays.copyOf(good, 10));
        assertTrue(fails(f, () -> IdxReader.readImages(f)).getMessage().contains("truncated"));
        Files.write(f, Arrays.copyOf(good, good.length + 3));
        assertTrue(fails(f, () -> IdxReader.readImages(f)).getMessage().contains("3 bytes after"));
        Path g = tmp.resolve("t.gz");
        byte[] gz = Fixtures.gzip(good);
        Files.write(g, Arrays.copyOf(gz, gz.length / 2));
        assertTrue(fails(g, () -> IdxReader.readImages(g)).getMessage().contains("gzip"));
    }

    @Test
    void idxCountMismatchAndLabelRange() throws IOException {
        Path d = Fixtures.mnist(tmp, true);
        Fixtures.write(d, "train-labels-idx1-ubyte", Fixtures.idxLabels(19, 10), true);
        DataFormatException e = fails(d.resolve("train-labels-idx1-ubyte.gz"),
                () -> IdxReader.load(d, Split.TRAIN, "mnist", DataSets.DIGITS, Normalization.MNIST));
        assertTrue(e.getMessage().contains("19 labels") && e.getMessage().contains("20 images"), e.getMessage());
        byte[] lbl = Fixtures.idxLabels(10, 10);
        lbl[8 + 4] = 10;
        Fixtures.write(d, "t10k-labels-idx1-ubyte", lbl, true);
        e = fails(d.resolve("t10k-labels-idx1-ubyte.gz"),
                () -> IdxReader.load(d, Split.TEST, "mnist", DataSets.DIGITS, Normalization.MNIST));
        assertTrue(e.getMessage().contains("label 10 of record 4"), e.getMessage());
    }

    @Test
    void idxMissingFile() throws IOException {
        Path d = Fixtures.mnist(tmp, true);
        Files.delete(d.resolve("t10k-images-idx3-ubyte.gz"));
        fails(d.resolve("t10k-images-idx3-ubyte"),
                () -> IdxReader.load(d, Split.TEST, "mnist", DataSets.DIGITS, Normalization.MNIST));
    }

    @Test
    void cifarGood() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path d = Fixtures.cifar(tmp.resolve("c" + gz), gz);
            Dataset tr = Cifar10Reader.load(d, Split.TRAIN);
            assertEquals(15, tr.size());
            assertArrayEquals(new int[] {3, 32, 32}, tr.shape());
            assertEquals("truck", tr.classNames().get(9));
            // record 1 of batch 2 is sample 4: label 1, R plane first then G.
            assertEquals(1, tr.label(4));
            assertEquals((1 + 1024 + 2) & 0xFF, (int) tr.raw(4, 1024));
            assertEquals(4, Cifar10Reader.load(d, Split.TEST).size());
        }
    }

    @Test
    void cifarBadLengthAndLabel() throws IOException {
        Path d = Fixtures.cifar(tmp, false);
        Path f = d.resolve("data_batch_3.bin");
        Files.write(f, Arrays.copyOf(Fixtures.cifarBatch(3, 0), 3 * 3073 - 5));
        assertTrue(fails(f, () -> Cifar10Reader.load(d, Split.TRAIN)).getMessage().contains("3073"));
        byte[] b = Fixtures.cifarBatch(4, 0);
        b[2 * 3073] = 10;
        Path t = d.resolve("test_batch.bin");
        Files.write(t, b);
        assertTrue(fails(t, () -> Cifar10Reader.load(d, Split.TEST)).getMessage().contains("label 10 of record 2"));
    }

    @Test
    void harGood() throws IOException {
        Path d = Fixtures.har(tmp.resolve("UCI HAR Dataset"), 12, 7);
        Dataset f = HarReader.features(d, Split.TRAIN);
        assertEquals(12, f.size());
        assertArrayEquals(new int[] {561}, f.shape());
        assertEquals("WALKING", f.classNames().get(0));
        assertEquals(0, f.label(0));
        assertEquals(5, f.label(5));
        assertEquals(Fixtures.value(2, 7), f.raw(2, 7), 1e-6);
        Dataset ft = HarReader.features(d, Split.TEST);
        assertEquals(7, ft.size());
        assertEquals(f.normalization(), ft.normalization(), "test split uses training statistics");
        Dataset s = HarReader.signals(d, Split.TRAIN);
        assertArrayEquals(new int[] {9, 128}, s.shape());
        assertEquals(9, s.normalization().groups());
        assertEquals(3 + 0.01 * Fixtures.value(4, 10), s.raw(4, 3 * 128 + 10), 1e-6);
        assertEquals(7, HarReader.signals(d, Split.TEST).size());
        // training features normalise to mean 0, std 1 per feature
        float[] x = f.normalized(java.util.stream.IntStream.range(0, 12).toArray());
        double m = 0;
        double q = 0;
        for (int r = 0; r < 12; r++) {
            m += x[r * 561 + 100];
            q += x[r * 561 + 100] * x[r * 561 + 100];
        }
        assertEquals(0, m / 12, 1e-4);
        assertEquals(1, q / 12, 1e-3);
    }

    @Test
    void harNonNumericAndColumns() throws IOException {
        Path d = Fixtures.har(tmp.resolve("UCI HAR Dataset"), 5, 3);
        Path x = d.resolve("train/X_train.txt");
        java.util.List<String> lines = Files.readAllLines(x);
        lines.set(2, lines.get(2).replaceFirst("\\S+", "abc"));
        Files.write(x, lines);
        DataFormatException e = fails(x, () -> HarReader.features(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("line 3, column 1") && e.getMessage().contains("abc"), e.getMessage());
        lines = Files.readAllLines(x);
        lines.set(2, lines.get(3) + " 1.0");
        Files.write(x, lines);
        e = fails(x, () -> HarReader.features(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("line 3: 562 values, expected 561"), e.getMessage());
        Path sig = d.resolve("test/Inertial Signals/body_gyro_y_test.txt");
        lines = Files.readAllLines(sig);
        lines.set(1, lines.get(1).substring(0, lines.get(1).lastIndexOf(' ')));
        Files.write(sig, lines);
        e = fails(sig, () -> HarReader.signals(d, Split.TEST));
        assertTrue(e.getMessage().contains("line 2: 127 values, expected 128"), e.getMessage());
    }

    @Test
    void harRowCountsAndLabels() throws IOException {
        Path d = Fixtures.har(tmp.resolve("UCI HAR Dataset"), 5, 3);
        Path sig = d.resolve("train/Inertial Signals/total_acc_z_train.txt");
        java.util.List<String> lines = Files.readAllLines(sig);
        Files.write(sig, lines.subList(0, 4));
        assertTrue(fails(sig, () -> HarReader.signals(d, Split.TRAIN)).getMessage().contains("4 rows"));
        Path y = d.resolve("test/y_test.txt");
        Files.writeString(y, "1\n7\n2\n");
        assertTrue(fails(y, () -> HarReader.features(d, Split.TEST)).getMessage().contains("line 2"));
        Files.writeString(y, "1\n2\n");
        DataFormatException e = fails(y, () -> HarReader.features(d, Split.TEST));
        assertTrue(e.getMessage().contains("2 labels"), e.getMessage());
        Path a = d.resolve("activity_labels.txt");
        Files.writeString(a, "1 WALKING\nx SITTING\n");
        fails(a, () -> HarReader.features(d, Split.TRAIN));
    }
    @Test
    void har265GzipTakesTheFeatureCountFromFeaturesTxt() throws IOException {
        Path d = Fixtures.har(tmp.resolve("har265").resolve("UCI HAR Dataset"), 8, 5, 265, true);
        assertTrue(Files.isRegularFile(d.resolve("train/X_train.txt.gz")));
        assertTrue(!Files.exists(d.resolve("train/X_train.txt")));
        Dataset f = HarReader.features(d, Split.TRAIN, "har265");
        assertEquals("har265", f.name());
        assertEquals(8, f.size());
        assertArrayEquals(new int[] {265}, f.shape());
        assertEquals(265, f.normalization().groups());
        assertEquals(Fixtures.value(3, 264), f.raw(3, 264), 1e-6);
        assertEquals(Fixtures.value(1000 + 4, 0), HarReader.features(d, Split.TEST, "har265").raw(4, 0), 1e-6);
        assertEquals("f265-mean()-X", HarReader.featureNames(d).get(264));
        // the same folder through DataSets: name, location, status valid
        Dataset viaName = DataSets.load(tmp, "har265", Split.TEST);
        assertEquals(5, viaName.size());
        DataStatus st = DataSets.status(tmp, "har265", true);
        assertEquals(DataStatus.State.VALID, st.state(), st.reason());
        assertEquals(8, st.train());
        assertEquals(DataStatus.State.PRESENT, DataSets.status(tmp, "har265", false).state());
        // the full layout, plain text, 561 features, is still read as before
        Path full = Fixtures.har(tmp.resolve("har").resolve("UCI HAR Dataset"), 6, 4);
        assertArrayEquals(new int[] {561}, HarReader.features(full, Split.TRAIN).shape());
        assertEquals(DataStatus.State.VALID, DataSets.status(tmp, "har", true).state());
    }

    @Test
    void harRowsMustMatchFeaturesTxt() throws IOException {
        Path d = Fixtures.har(tmp.resolve("UCI HAR Dataset"), 5, 3, 12, false);
        Path feats = d.resolve("features.txt");
        java.util.List<String> names = Files.readAllLines(feats);
        Files.write(feats, names.subList(0, 11)); // 11 listed, rows hold 12
        Path x = d.resolve("train/X_train.txt");
        DataFormatException e = fails(x, () -> HarReader.features(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("line 1: 12 values, expected 11")
                && e.getMessage().contains("features.txt"), e.getMessage());
        Files.write(feats, java.util.List.of("1 a", "3 b"));
        e = fails(feats, () -> HarReader.features(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("line 2: expected '2 NAME'"), e.getMessage());
        Files.delete(feats);
        fails(feats, () -> HarReader.features(d, Split.TRAIN));
    }

    @Test
    void harSubjectFileLengthAndIds() throws IOException {
        Path d = Fixtures.har(tmp.resolve("UCI HAR Dataset"), 5, 3, 7, false);
        Path s = d.resolve("test/subject_test.txt");
        Files.writeString(s, "2\n4\n");
        DataFormatException e = fails(s, () -> HarReader.features(d, Split.TEST));
        assertTrue(e.getMessage().contains("2 subject ids but X_test.txt has 3 rows"), e.getMessage());
        e = fails(s, () -> HarReader.signals(d, Split.TEST));
        assertTrue(e.getMessage().contains("2 subject ids"), e.getMessage());
        Files.writeString(s, "2\n31\n4\n");
        e = fails(s, () -> HarReader.features(d, Split.TEST));
        assertTrue(e.getMessage().contains("line 2: subject 31.0 is not an integer in [1, 30]"), e.getMessage());
        Files.delete(s);
        fails(s, () -> HarReader.features(d, Split.TEST));
        // labels outside 1..6 in a 7-feature set
        Path y = d.resolve("train/y_train.txt");
        Files.writeString(y, "1\n2\n0\n4\n5\n");
        e = fails(y, () -> HarReader.features(d, Split.TRAIN));
        assertTrue(e.getMessage().contains("line 3: label 0.0 is not an integer in [1, 6]"), e.getMessage());
    }
}
