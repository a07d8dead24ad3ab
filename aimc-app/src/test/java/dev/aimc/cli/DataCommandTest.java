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
}
