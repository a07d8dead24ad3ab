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

    @Test
    void variantsRunInFileOrderEachIntoItsOwnOutput() throws Exception {
        Path f = write("v.yaml", String.join("\n",
                "name: mvm-two",
                "command: mvm-error",
                "options: {device: ideal, rows: 64, cols: 16, inputs: 64, times: [1], compensation: none, repeats: 2}",
                "quick: {repeats: 1}",
                "variants:",
                "  narrow: {cols: 8}",
                "  wide: {}",
                ""));
        Path out = dir.resolve("vo");
        CliRun r = CliRun.of("run", f.toString(), "--quick", "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.toString() + r.out());
        int narrow = r.out().indexOf("aimc mvm-error --device ideal --rows 64 --cols 8 --inputs 64 --times 1"
                + " --compensation none --repeats 1 --json " + out.resolve("narrow.json"));
        int wide = r.out().indexOf("--cols 16 --inputs 64 --times 1 --compensation none --repeats 1 --json "
                + out.resolve("wide.json"));
        assertTrue(narrow >= 0 && wide > narrow, r.out());
        assertEquals(8, new ObjectMapper().readTree(out.resolve("narrow.json").toFile()).findValue("cols").asInt());
        assertEquals(16, new ObjectMapper().readTree(out.resolve("wide.json").toFile()).findValue("cols").asInt());
        // run again: the first variant's output exists, so nothing runs (checked before the first variant)
        Files.delete(out.resolve("wide.json"));
        CliRun again = CliRun.of("run", f.toString(), "--quick", "--out", out.toString(), "--threads", "1");
        assertTrue(again.badInput("--out", "narrow.json"), again.toString());
        assertTrue(!Files.exists(out.resolve("wide.json")), "no variant ran");
    }

    @Test
    void aBadVariantIsOneLineNamingItBeforeAnyRuns() throws Exception {
        Path f = write("bv.yaml", "name: b\ncommand: mvm-error\noptions: {device: ideal}\nvariants:\n"
                + "  ok: {rows: 8}\n  bad: {sigmaa: 1}\n");
        Path out = dir.resolve("bo");
        CliRun r = CliRun.of("run", f.toString(), "--out", out.toString());
        assertTrue(r.badInput(f.toString(), "variants.bad.sigmaa", "has no option --sigmaa"), r.toString());
        assertTrue(!Files.exists(out.resolve("ok.json")), "the good variant did not run first");
        Path g = write("bn.yaml", "name: b\ncommand: mvm-error\nvariants:\n  ../x: {}\n");
        assertTrue(CliRun.of("run", g.toString()).badInput(g.toString(), "variants.../x", "variant name"));
        Path h = write("be.yaml", "name: b\ncommand: mvm-error\nvariants: []\n");
        assertTrue(CliRun.of("run", h.toString()).badInput(h.toString(), "variants must be a mapping"));
    }

    /** Every command file shipped in experiments/ names a command and only options that command has. */
    @Test
    void theShippedCommandFilesAreValid() throws Exception {
        List<Path> files;
        try (var s = Files.list(Path.of("../experiments"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int commandFiles = 0;
        for (Path p : files) {
            Object doc = CommandFile.document(p);
            if (!CommandFile.isCommandFile(doc)) {
                continue;
            }
            commandFiles++;
            CommandFile cf = CommandFile.parse(p, doc);
            var spec = Main.commandLine().getSubcommands().get(cf.command()).getCommandSpec();
            List<String> variants = cf.variants().isEmpty() ? java.util.Collections.singletonList(null)
                    : cf.variants();
            for (boolean quick : new boolean[] {false, true}) {
                for (String v : variants) {
                    for (String k : cf.options(quick, v).keySet()) {
                        assertTrue(spec.findOption("--" + k) != null, p + ": " + cf.origin(k, quick, v));
                    }
                }
            }
        }
        assertTrue(commandFiles >= 5, "command files found: " + commandFiles);
    }
}
