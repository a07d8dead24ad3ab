package dev.aimc.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests on the real data sets; run with {@code AIMC_DATA} pointing at a data directory. */
class FullDataTest {
    Path dataDir;

    @TempDir
    Path tmp;

    @BeforeEach
    void dir() {
        dataDir = DataSets.resolve(null);
        assumeTrue(dataDir != null, "AIMC_DATA not set: full data sets not available");
    }

    private void assumePresent(String name) {
        assumeTrue(Files.isDirectory(DataSets.folder(dataDir, name)), name + " not in " + dataDir);
    }

    @Test
    void mnist() {
        assumePresent("mnist");
        Dataset tr = DataSets.load(dataDir, "mnist", Split.TRAIN);
        Dataset te = DataSets.load(dataDir, "mnist", Split.TEST);
        assertEquals(60_000, tr.size());
        assertEquals(10_000, te.size());
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, tr.labelCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, te.labelCounts());
        // the published constants are the training set's statistics
        double s = 0;
        double q = 0;
        for (int i = 0; i < tr.size(); i++) {
            for (int j = 0; j < 784; j++) {
                double v = tr.raw(i, j) / 255.0;
                s += v;
                q += v * v;
            }
        }
        double n = 60_000.0 * 784;
        assertEquals(0.1307, s / n, 1e-4);
        assertEquals(0.3081, Math.sqrt(q / n - (s / n) * (s / n)), 1e-4);
    }

    @Test
    void embeddedSubsetMatchesFullMnist() {
        assumePresent("mnist");
        Dataset full = DataSets.load(dataDir, "mnist", Split.TEST);
        Dataset sub = DataSets.embeddedMnist(Split.TEST);
        int[] idx = EmbeddedSubsetBuilder.firstPerClass(full, 200);
        for (int k = 0; k < idx.length; k += 97) {
            assertEquals(full.label(idx[k]), sub.label(k));
            assertEquals(full.raw(idx[k], 400), sub.raw(k, 400));
        }
    }

    @Test
    void fashionMnist() {
        assumePresent("fashion-mnist");
        Dataset tr = DataSets.load(dataDir, "fashion-mnist", Split.TRAIN);
        int[] c = new int[10];
        Arrays.fill(c, 6000);
        assertArrayEquals(c, tr.labelCounts());
        assertEquals(10_000, DataSets.load(dataDir, "fashion-mnist", Split.TEST).size());
        assertEquals("Ankle boot", tr.classNames().get(9));
    }

    @Test
    void cifar10() {
        assumePresent("cifar10");
        Dataset tr = DataSets.load(dataDir, "cifar10", Split.TRAIN);
        Dataset te = DataSets.load(dataDir, "cifar10", Split.TEST);
        int[] c = new int[10];
        Arrays.fill(c, 5000);
        assertArrayEquals(c, tr.labelCounts());
        Arrays.fill(c, 1000);
        assertArrayEquals(c, te.labelCounts());
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                tr.classNames());
        double r = 0;
        for (int i = 0; i < tr.size(); i++) {
            for (int j = 0; j < 1024; j++) {
                r += tr.raw(i, j);
            }
        }
        assertEquals(125.3, r / (50_000.0 * 1024), 0.5, "training red-channel mean (README: 125.27)");
    }

    @Test
    void fetchMnistFromLocalMirrorWithPublishedMd5s() throws Exception {
        assumePresent("mnist");
        Path src = DataSets.folder(dataDir, "mnist");
        try (LocalServer srv = new LocalServer()) {
            for (DataFetcher.Remote r : DataFetcher.source("mnist").files()) {
                srv.files.put("/" + r.file(), Files.readAllBytes(src.resolve(r.file())));
            }
            new DataFetcher(null).fetch(DataFetcher.source("mnist").withBaseUrl(srv.url()), tmp, null);
            assertEquals(60_000, DataSets.load(tmp, "mnist", Split.TRAIN).size());
        }
    }

    @Test
    void har() {
        assumePresent("har");
        Dataset tr = DataSets.load(dataDir, "har", Split.TRAIN);
        assertEquals(7352, tr.size());
        assertEquals(2947, DataSets.load(dataDir, "har", Split.TEST).size());
        assertEquals(7352, DataSets.load(dataDir, "har-signals", Split.TRAIN).size());
    }
    @Test
    void har265() {
        assumePresent("har265");
        Dataset tr = DataSets.load(dataDir, "har265", Split.TRAIN);
        Dataset te = DataSets.load(dataDir, "har265", Split.TEST);
        assertArrayEquals(new int[] {265}, tr.shape());
        assertEquals(7352, tr.size());
        assertEquals(2947, te.size());
        assertArrayEquals(new int[] {1226, 1073, 986, 1286, 1374, 1407}, tr.labelCounts());
        assertArrayEquals(new int[] {496, 471, 420, 491, 532, 537}, te.labelCounts());
        // X_train row 1, first values, as quoted from the original file (har265/README.md, check 7)
        assertEquals(2.8858451e-01f, tr.raw(0, 0), 0f);
        assertEquals(-2.0294171e-02f, tr.raw(0, 1), 0f);
        assertEquals(2.5717778e-01f, te.raw(0, 0), 0f);
    }
}
