package dev.aimc.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.CliRun;
import dev.aimc.util.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 12: messages name what the user wrote (the option, the list entry, the YAML line). */
class MessagesTest {
    @TempDir Path dir;

    private String error(String yaml) throws Exception {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigException.class, () -> ExperimentFile.load(f)).getMessage();
    }

    @Test
    void aBadCompensationIsNamedByItsEntry() throws Exception {
        // before: "evaluation.compensations must list variants of ..., got a list"
        String msg = error(ExperimentFileTest.GOOD.replace("[none, gdc, gdc+adabs, ratio]", "[none, magic]"));
        assertTrue(msg.contains("evaluation.compensations[1] must be one of ") && msg.endsWith(", got magic"), msg);
        msg = error(ExperimentFileTest.GOOD.replace("[none, gdc, gdc+adabs, ratio]", "[gdc, none, gdc]"));
        assertTrue(msg.endsWith("evaluation.compensations lists gdc twice"), msg);
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() throws Exception {
        // before: "not valid YAML (while parsing a flow sequence)", no line
        String msg = error("name: t\ndataset: mnist-subset\nnetworks: [unclosed\n");
        assertTrue(msg.contains(": not valid YAML at line 4, column 1: "), msg);
        assertTrue(msg.contains("expected ',' or ']'"), msg);
        msg = error("name: t\n  dataset: mnist-subset\n");
        assertTrue(msg.contains(": not valid YAML at line 2, column 10: "), msg);
        assertEquals(1, msg.lines().count(), msg);
    }

    @Test
    void tileSizeIsReportedAsTileSize(@TempDir Path tmp) {
        // before: "--max-rows must be in [1, 1048576], got 0" (evaluate) and "max-rows ..." (mvm-error --rows 0)
        CliRun r = CliRun.of("evaluate", "--checkpoint", tmp.resolve("ck").toString(), "--tile-size", "0", "--out",
                tmp.resolve("o").toString());
        assertTrue(r.badInput("--tile-size must be in [1, 65536], got 0"), r.toString());
        r = CliRun.of("mvm-error", "--rows", "0");
        assertTrue(r.badInput("--rows must be in [1, 65536], got 0"), r.toString());
    }
}
