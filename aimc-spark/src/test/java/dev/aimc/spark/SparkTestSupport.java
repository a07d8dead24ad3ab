package dev.aimc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Shared by the Spark tests: a small trained checkpoint, the CLI in-process, results.json read back. */
final class SparkTestSupport {
    private SparkTestSupport() {}

    static final Path ROOT = Path.of("target", "spark-test");

    /** Exit status and stderr of one aimc command run in this JVM. */
    record Run(int code, String err) {
        /** Bad input as aimc reports it: exit status 2 and one line "aimc: ..." holding every part. */
        void assertBadInput(String... parts) {
            assertEquals(2, code, err);
            List<String> lines = err.strip().lines().toList();
            assertEquals(1, lines.size(), err);
            org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).startsWith("aimc: "), err);
            for (String p : parts) {
                org.junit.jupiter.api.Assertions.assertTrue(lines.get(0).contains(p), p + " not in: " + err);
            }
        }
    }

    static Run aimc(String... args) {
        picocli.CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, err.toString());
    }

    /** LeNet-5 trained one epoch on 2,000 images of the embedded MNIST subset (trained once per build). */
    static synchronized Path checkpoint() {
        Path ck = ROOT.resolve("lenet5");
        if (!Files.exists(ck.resolve("model.json"))) {
            Run r = aimc("train", "--model", "lenet5-mnist", "--epochs", "1", "--train-limit", "2000", "--batch", "64",
                    "--threads", "1", "--no-progress", "--out", ck.toString());
            assertEquals(0, r.code(), r.err());
        }
        return ck;
    }

    /** The evaluate command line of the tests: {@code repeats} chips, two times, two variants. */
    static List<String> evaluate(Path out, int repeats, int testLimit, String... more) {
        List<String> a = new ArrayList<>(List.of("evaluate", "--checkpoint", checkpoint().toString(), "--out",
                out.toString(), "--repeats", String.valueOf(repeats), "--times", "1,1d", "--compensation", "none,gdc",
                "--test-limit", String.valueOf(testLimit), "--batch", "100", "--seed", "7", "--threads", "1",
                "--no-progress"));
        a.addAll(List.of(more));
        return a;
    }

    static Run aimc(List<String> args) {
        return aimc(args.toArray(new String[0]));
    }

    static JsonNode results(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("results.json").toFile());
    }

    /** Every chip's measurements ("repeats"), the summaries and the digital accuracy of two results.json are equal. */
    static void assertSameResults(Path expected, Path actual) throws IOException {
        JsonNode e = results(expected);
        JsonNode a = results(actual);
        for (String k : List.of("repeats", "summary", "digitalAccuracy", "testSamples", "times", "variants")) {
            org.junit.jupiter.api.Assertions.assertNotNull(e.get(k), k + " in " + expected);
            assertEquals(e.get(k), a.get(k), k);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
