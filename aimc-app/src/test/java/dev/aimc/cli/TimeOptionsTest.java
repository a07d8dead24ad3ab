package dev.aimc.cli;

import dev.aimc.util.Times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 11: every option that takes times reads them with one parser ({@link Times}): 1h is 3600 s. */
class TimeOptionsTest {

    @Test
    void deviceStatsAcceptsUnits() {
        // before: "Invalid value for option '--time': '1h' is not a double"
        CliRun r = CliRun.of("device", "stats", "--device", "pcm", "--g-rel", "0.5", "--time", "0,1h,1d,1y",
                "--samples", "1000", "--seed", "1");
        assertEquals(0, r.code(), r.toString());
        List<String> times = r.out().strip().lines().skip(1).map(l -> l.split(",")[1]).toList();
        assertEquals(List.of("0", "3600", "86400", "31536000"), times);
    }

    @Test
    void programAcceptsUnits(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("program", "--method", "oneshot", "--rows", "8", "--cols", "8", "--inputs", "16",
                "--times", "1,1h,1d", "--out", tmp.toString());
        assertEquals(0, r.code(), r.toString());
        String json = Files.readString(tmp.resolve("program.json"));
        assertTrue(json.replaceAll("\\s", "").contains("\"times\":[1.0,3600.0,86400.0]"), json);
    }

    @Test
    void badTimesAreOneLineErrorsNamingTheOption() {
        CliRun r = CliRun.of("device", "stats", "--time", "soon", "--samples", "10");
        assertTrue(r.badInput("--time", "'soon' is not a time"), r.toString());
        r = CliRun.of("device", "stats", "--time", "-1h", "--samples", "10");
        assertTrue(r.badInput("--time", "'-1h' is not a time >= 0"), r.toString());
        assertEquals(Times.parse("--times", "1,1h,1d,1mo,1y"), List.of(1.0, 3600.0, 86400.0, 2592000.0, 31536000.0));
    }
}
