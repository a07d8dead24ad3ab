package dev.aimc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component table with a bad, negative, missing or unknown value stops with one line naming file and key. */
class CostComponentsFileTest {
    @TempDir
    Path dir;

    private Path edited(String from, String to) throws Exception {
        String yaml;
        try (var in = CostComponentsFile.class.getResourceAsStream(CostComponentsFile.DEFAULT_RESOURCE)) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(yaml.contains(from), from);
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml.replace(from, to));
        return f;
    }

    private static CliRun cost(Path components) {
        return CliRun.of("cost", "--model", "mlp-mnist", "--components", components.toString());
    }

    @Test
    void theShippedTableParsesAndAnEditedCopyIsUsed() throws Exception {
        assertEquals(1.5625, CostComponentsFile.isaac().adc().energyPjPerConversion());
        CliRun r = cost(edited("areaUm2: 1200 ", "areaUm2: 2400 "));
        assertEquals(0, r.code(), r.toString());
        CliRun base = CliRun.of("cost", "--model", "mlp-mnist");
        assertTrue(!r.out().equals(base.out()), "a doubled ADC area changes the area");
    }

    @Test
    void negativeFigure() throws Exception {
        Path f = edited("energyPjPerConversion: 1.5625", "energyPjPerConversion: -1.5");
        CliRun r = cost(f);
        assertTrue(r.badInput(f.toString(), "key adc.energyPjPerConversion", "negative", "-1.5"), r.toString());
    }

    @Test
    void missingKey() throws Exception {
        Path f = edited("  arraysServed: 96                # one per tile", "  # removed");
        CliRun r = cost(f);
        assertTrue(r.badInput(f.toString(), "key buffer.arraysServed is missing"), r.toString());
    }

    @Test
    void unknownKey() throws Exception {
        Path f = edited("sampleHold:\n", "sampleHold:\n  energyFj: 3\n");
        CliRun r = cost(f);
        assertTrue(r.badInput(f.toString(), "unknown key sampleHold.energyFj"), r.toString());
    }

    @Test
    void notANumber() throws Exception {
        Path f = edited("sampleRateGsps: 1.28", "sampleRateGsps: fast");
        CliRun r = cost(f);
        assertTrue(r.badInput(f.toString(), "key adc.sampleRateGsps must be a number", "fast"), r.toString());
    }

    @Test
    void missingFileAndBrokenYaml() throws Exception {
        CliRun r = cost(dir.resolve("none.yaml"));
        assertTrue(r.badInput("--components", "none.yaml does not exist"), r.toString());
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "adc: [1, 2\n");
        r = cost(f);
        assertTrue(r.badInput(f.toString(), "not valid YAML"), r.toString());
    }
}
