package dev.aimc.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private void assertOneLineError(String... parts) {
        String e = err.toString();
        assertTrue(e.startsWith("aimc: ") && e.strip().lines().count() == 1, e);
        for (String p : parts) {
            assertTrue(e.contains(p), e);
        }
    }

    @Test
    void listShowsEmbeddedSubsetAndStates() throws Exception {
        Fixtures.mnist(tmp.resolve("mnist"), true);
        assertEquals(0, run("data", "list", "--data-dir", tmp.toString()), err.toString());
        String o = out.toString();
        assertTrue(o.lines().anyMatch(l -> l.startsWith("mnist-subset") && l.contains("valid")
                && l.contains("10000") && l.contains("2000")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("valid") && l.contains("20")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("cifar10") && l.contains("missing")), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("har-signals") && l.contains("missing")), o);
        assertEquals("", err.toString());
    }

    @Test
    void listOnCorruptDirExitsTwoWithOneLine() throws Exception {
        Path m = Fixtures.mnist(tmp.resolve("mnist"), false);
        Files.write(m.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0});
        assertEquals(2, run("data", "list", "--data-dir", tmp.toString()));
        assertOneLineError("mnist is corrupt", "train-labels-idx1-ubyte");
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("corrupt")), out.toString());
    }

    @Test
    void listWithoutVerifyAndBadDir() throws Exception {
        Fixtures.mnist(tmp.resolve("mnist"), false);
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
        Path src = Fixtures.mnist(tmp.resolve("src"), true);
        try (LocalServer srv = new LocalServer()) {
            for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
                srv.files.put("/" + f, Files.readAllBytes(src.resolve(f)));
            }
            // the tiny files do not match MNIST's published MD5s
            assertEquals(2, run("data", "fetch", "mnist", "--data-dir", tmp.resolve("d").toString(), "--base-url",
                    srv.url()));
            assertOneLineError("md5 mismatch", "f68b3c2dcbeaaa9fbdd348bbdeb94873");
            assertTrue(!Files.exists(tmp.resolve("d/mnist/train-images-idx3-ubyte.gz")));
        }
    }
}
