package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCliTest {

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }

    @Test
    void invalidValuesExitTwoWithOneLine(@TempDir Path tmp) {
        String out = tmp.resolve("o").toString();
        String[][] cases = {
            {"train", "--model", "lenet5-mnist", "--epochs", "0", "--out", out},
            {"train", "--model", "vgg", "--out", out},
            {"train", "--model", "lenet5", "--dataset", "imagenet", "--out", out},
            {"train", "--model", "lenet5", "--dataset", "mnist-subset", "--out", out},
            {"train", "--model", "mlp-mnist", "--optimizer", "rmsprop", "--out", out},
            {"eval", "--checkpoint", tmp.resolve("missing").toString()},
        };
        for (String[] c : cases) {
            String[] r = run(c);
            assertEquals("2", r[0], String.join(" ", c) + ": " + r[1]);
            assertTrue(r[1].startsWith("aimc: ") && r[1].strip().lines().count() == 1, r[1]);
        }
    }

    @Test
    void trainThenEval(@TempDir Path tmp) {
        String out = tmp.resolve("ck").toString();
        String[] r = run("train", "--model", "mlp-mnist", "--epochs", "1", "--train-limit", "2000", "--out", out,
                "--no-progress", "--optimizer", "adam");
        assertEquals("0", r[0], r[1]);
        r = run("eval", "--checkpoint", out);
        assertEquals("0", r[0], r[1]);
    }
}
