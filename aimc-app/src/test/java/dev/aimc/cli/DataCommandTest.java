package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /**
     * An MNIST folder in the publisher's layout: the embedded subset's four files (10,000 training and 2,000 test
     * images, shipped in aimc-core), gzipped or not.
     */
    private static Path mnist(Path dir, boolean gz) throws IOException {
        Files.createDirectories(dir);
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = DataCommandTest.class.getResourceAsStream("/dev/aimc/data/mnist-subset/" + f
                    + ".gz")) {
                assertTrue(in != null, "embedded subset file " + f);
                if (gz) {
                    Files.copy(in, dir.resolve(f + ".gz"));
                } else {
                    try (InputStream raw = new GZIPInputStream(in)) {
                        Files.copy(raw, dir.resolve(f));
                    }
                }
            }
        }
        return dir;
    }

    private void assertOneLineError(String... parts) {
        String e = err.toString();
        assertTrue(e.startsWith("aimc: ") && e.strip().lines().count() == 1, e);
        for (String p : parts) {
            assertTrue(e.contains(p), e);
        }
    }

    @Test
    void listShowsEmbeddedSubsetAndStates() throws Exception {
        mnist(tmp.resolve("mnist"), true);
        assertEquals(0, run("data", "list", "--data-dir", tmp.toString()), err.toString());
        String o = out.toString();
        assertTrue(o.lines().anyMatch(l -> l.startsWith("mnist-subset") && l.contains("valid")
                && l.contains("10000") && l.contains("2000")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("valid") && l.contains("10000")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("cifar10") && l.contains("missing")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("har-signals") && l.contains("missing")), o);
        assertEquals("", err.toString());
    }

    @Test
    void listOnCorruptDirExitsTwoWithOneLine() throws Exception {
        Path m = mnist(tmp.resolve("mnist"), false);
        Files.write(m.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0});
        assertEquals(2, run("data", "list", "--data-dir", tmp.toString()));
        assertOneLineError("mnist is corrupt", "train-labels-idx1-ubyte");
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("corrupt")), out.toString());
    }

    @Test
    void listWithoutVerifyAndBadDir() throws Exception {
        mnist(tmp.resolve("mnist"), false);
        Files.write(tmp.resolve("mnist/train-labels-idx1-ubyte"), new byte[3]);
        assertEquals(0, run("data", "list", "--no-verify", "--data-dir", tmp.toString()));
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("present")));
        assertEquals(2, run("data", "list", "--data-dir", tmp.resolve("nope").toString()));
        assertOneLineError("--data-dir", "nope");
    }

    @Test
    void fetchErrorsAreOneLine() throws Exception {
        assertEquals(2, run("data", "fetch", "imagenet", "--data-dir", tmp.toString()));
        assertOneLineError("imagenet");
        err.getBuffer().setLength(0);
        // nothing listens on port 1 of the loopback: the download fails, in one line, and leaves nothing behind
        // (checksums and partial files are tested on a local server in aimc-core's DataFetcherTest)
        assertEquals(2, run("data", "fetch", "mnist", "--data-dir", tmp.resolve("d").toString(), "--base-url",
                "http://127.0.0.1:1/"));
        assertOneLineError("http://127.0.0.1:1/train-images-idx3-ubyte.gz");
        assertTrue(!Files.exists(tmp.resolve("d/mnist/train-images-idx3-ubyte.gz")));
    }
    /** A tiny UCI HAR folder in the har265 layout: 3 features, X files gzip, 4 train and 2 test windows. */
    private static Path har265(Path dataDir) throws IOException {
        Path d = dataDir.resolve("har265").resolve("UCI HAR Dataset");
        Files.createDirectories(d);
        Files.writeString(d.resolve("activity_labels.txt"), "1 WALKING\n2 WALKING_UPSTAIRS\n3 WALKING_DOWNSTAIRS\n"
                + "4 SITTING\n5 STANDING\n6 LAYING\n");
        Files.writeString(d.resolve("features.txt"), "1 tBodyAcc-mean()-X\n2 tBodyAcc-mean()-Y\n3 tBodyAcc-mean()-Z\n");
        for (String s : new String[] {"train", "test"}) {
            int n = s.equals("train") ? 4 : 2;
            Files.createDirectories(d.resolve(s));
            StringBuilder x = new StringBuilder();
            StringBuilder y = new StringBuilder();
            StringBuilder sub = new StringBuilder();
            for (int r = 0; r < n; r++) {
                x.append("  2.8858451e-001 -2.0294171e-002 -1.3290514e-00").append(r).append('\n');
                y.append(r + 1).append('\n');
                sub.append(r + 1).append('\n');
            }
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(d.resolve(s + "/X_" + s
                    + ".txt.gz")))) {
                out.write(x.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            Files.writeString(d.resolve(s + "/y_" + s + ".txt"), y);
            Files.writeString(d.resolve(s + "/subject_" + s + ".txt"), sub);
        }
        return d;
    }

    @Test
    void listShowsHar265ValidAndABadSubjectFileExitsTwo() throws Exception {
        Path d = har265(tmp);
        assertEquals(0, run("data", "list", "--data-dir", tmp.toString()), err.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("har265 ") && l.contains("valid")
                && l.contains(" 4 ") && l.contains(" 2 ")), out.toString());
        Files.writeString(d.resolve("test/subject_test.txt"), "1\n2\n3\n");
        out.getBuffer().setLength(0);
        assertEquals(2, run("data", "list", "--data-dir", tmp.toString()));
        assertOneLineError("har265 is corrupt", "subject_test.txt", "3 subject ids but X_test.txt has 2 rows");
    }
}
