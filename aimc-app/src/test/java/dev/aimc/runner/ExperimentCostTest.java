package dev.aimc.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aimc.report.CostComponentsFile;
import dev.aimc.util.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluation.cost} in an experiment file: off by default, true for ISAAC's table, or a table file. */
class ExperimentCostTest {
    @TempDir Path dir;

    Path write(String yaml) throws IOException {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    static String with(String cost) {
        return ExperimentFileTest.GOOD.replace("  tile: {size: 256}", "  tile: {size: 256}\n  cost: " + cost);
    }

    @Test
    void costIsOffByDefaultAndOnWithTrueOrATable() throws IOException {
        assertNull(ExperimentFile.load(write(ExperimentFileTest.GOOD)).evaluation().cost());
        assertNull(ExperimentFile.load(write(with("false"))).evaluation().cost());
        assertEquals(CostComponentsFile.isaac(), ExperimentFile.load(write(with("true"))).evaluation().cost()
                .components());
        // a table next to the experiment file, by a relative path
        Files.writeString(dir.resolve("t.yaml"), Files.readString(Path.of(
                "src/main/resources/dev/aimc/report/isaac-32nm.yaml")).replace("energyPjPerConversion: 1.5625",
                "energyPjPerConversion: 3"));
        ExperimentFile.Evaluation ev = ExperimentFile.load(write(with("t.yaml"))).evaluation();
        assertNotNull(ev.cost());
        assertEquals(3.0, ev.cost().components().adc().energyPjPerConversion());
    }

    @Test
    void aBadCostValueOrTableIsOneLineNamingTheKey() throws IOException {
        Path f = write(with("3"));
        assertEquals(f + ": evaluation.cost must be true, false or a component table file (YAML or JSON), got 3",
                assertThrows(ConfigException.class, () -> ExperimentFile.load(f)).getMessage());
        Path g = write(with("missing.yaml"));
        assertEquals(g + ": evaluation.cost " + dir.resolve("missing.yaml") + " does not exist",
                assertThrows(ConfigException.class, () -> ExperimentFile.load(g)).getMessage());
    }
}
