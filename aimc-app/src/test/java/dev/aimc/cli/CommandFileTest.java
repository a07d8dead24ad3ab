package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.runner.CommandFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aimc run FILE with a command file: the command runs with the file's options, and bad files are one line. */
class CommandFileTest {
    @TempDir Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void argumentsFollowTheOptions() {
        CommandFile cf = CommandFile.parse(Path.of("x.yaml"), Map.of("name", "n", "command", "variation"));
        java.util.LinkedHashMap<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("sigma", List.of(0, 0.4, 0.8));
        o.put("spectral", true);
        o.put("amplification", false);
        o.put("chips", 3);
        assertEquals(List.of("variation", "--sigma", "0,0.4,0.8", "--spectral", "--chips", "3"), cf.arguments(o));
    }

    @Test
    void runsTheCommandWithTheFilesOptionsAndQuickOverrides() throws Exception {
        Path f = write("mvm.yaml", String.join("\n",
                "name: mvm-ideal",
                "command: mvm-error",
                "options:",
                "  device: ideal",
                "  rows: 64",
                "  cols: 16",
                "  inputs: 64",
                "  times: [1]",
                "  compensation: none",
                "  repeats: 2",
                "quick:",
                "  repeats: 1",
                ""));
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("run", f.toString(), "--quick", "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.toString() + r.out());
        assertTrue(r.out().contains("aimc mvm-error --device ideal --rows 64 --cols 16 --inputs 64 --times 1"
                + " --compensation none --repeats 1 --json " + out.resolve("mvm-ideal.json") + " --threads 1"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("mvm-ideal.json").toFile());
        assertTrue(j.toString().contains("ideal"), j.toString());
    }

    @Test
    void anOptionTheCommandLacksIsOneLineNamingFileAndKey() throws Exception {
        Path f = write("bad.yaml", "name: b\ncommand: mvm-error\noptions:\n  sigmaa: 0.4\n");
        CliRun r = CliRun.of("run", f.toString(), "--out", dir.resolve("o").toString());
        assertTrue(r.badInput(f.toString(), "options.sigmaa", "aimc mvm-error has no option --sigmaa"), r.toString());
    }

    @Test
    void anUnknownCommandOrKeyIsOneLine() throws Exception {
        Path f = write("cmd.yaml", "name: b\ncommand: rm\n");
        assertTrue(CliRun.of("run", f.toString()).badInput(f.toString(), "command rm is not one a file may run"));
        Path g = write("key.yaml", "name: b\ncommand: variation\nopts: {}\n");
        assertTrue(CliRun.of("run", g.toString()).badInput(g.toString(), "unknown key opts"));
        Path h = write("out.yaml", "name: b\ncommand: mvm-error\noptions:\n  json: x.json\n");
        assertTrue(CliRun.of("run", h.toString()).badInput(h.toString(), "options.json", "set by aimc run"));
    }
}
