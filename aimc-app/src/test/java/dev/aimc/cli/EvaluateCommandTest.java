package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EvaluateCommandTest {

    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[] {Integer.toString(rc), err.toString()};
    }

    @Test
    void invalidValuesGiveOneLineAndStatus2() {
        String[][] cases = {
            {"--adc-bits", "0", "--adc-bits"},
            {"--dac-bits", "0", "--dac-bits"},
            {"--out-noise", "-0.1", "--out-noise"},
            {"--times", "1,-5", "--times"},
            {"--device", "foo", "--device"},
            {"--read-noise-scale", "-1", "--read-noise-scale"},
            {"--repeats", "0", "--repeats"},
            {"--compensation", "magic", "--compensation"},
            {"--preset", "spice", "--preset"},
            {"--bound-management", "sometimes", "--bound-management"},
            {"--conv-scaling", "per-row", "--conv-scaling"},
        };
        for (String[] c : cases) {
            String[] r = run("evaluate", "--checkpoint", "nowhere", "--out", "x", c[0], c[1]);
            assertEquals("2", r[0], c[0]);
            assertTrue(r[1].startsWith("aimc: " + c[2]), r[1]);
            assertEquals(1, r[1].strip().lines().count(), r[1]);
        }
    }

    private static dev.aimc.tile.TileConfig tile(String... args) {
        EvaluateCommand e = new EvaluateCommand();
        String[] all = new String[args.length + 4];
        all[0] = "--checkpoint";
        all[1] = "ck";
        all[2] = "--out";
        all[3] = "o";
        System.arraycopy(args, 0, all, 4, args.length);
        new CommandLine(e).parseArgs(all);
        return e.config().tile();
    }

    /** Issue 12 items 5 and 7 on the command line: presets, bound management, per-patch scaling, read noise. */
    @Test
    void tileOptionsAndAihwkitPresets() {
        dev.aimc.tile.TileConfig d = tile();
        assertEquals(dev.aimc.tile.TileConfig.defaults().toMap(), d.toMap());
        dev.aimc.tile.TileConfig a = tile("--preset", "aihwkit");
        assertEquals(dev.aimc.tile.TileConfig.aihwkitInference().toMap(), a.toMap());
        // an explicit option overrides the preset, the rest of the preset stays
        dev.aimc.tile.TileConfig a9 = tile("--preset", "aihwkit", "--adc-bits", "10", "--bound-management", "none");
        assertEquals(10, a9.outputBits());
        assertEquals(dev.aimc.tile.TileConfig.BoundManagement.NONE, a9.boundManagement());
        assertEquals(7, a9.inputBits());
        assertEquals(0.06, a9.outputNoise());
        assertEquals(dev.aimc.tile.TileConfig.InputScaling.NONE,
                tile("--preset", "aihwkit-standard-hwa").inputScaling());
        assertEquals(dev.aimc.tile.TileConfig.ConvScaling.PER_PATCH, tile("--conv-scaling", "per-patch").convScaling());
        assertEquals(dev.aimc.tile.TileConfig.BoundManagement.ITERATIVE,
                tile("--bound-management", "iterative").boundManagement());
        assertEquals(dev.aimc.tile.TileConfig.ReadNoise.PER_BATCH, tile("--read-noise", "per-batch").readNoise());
    }

    /** Item 5: evaluate and demo default to global drift compensation, with none kept to compare. */
    @Test
    void evaluateAndDemoDefaultToGdcThenNone() {
        EvaluateCommand e = new EvaluateCommand();
        new CommandLine(e).parseArgs("--checkpoint", "ck", "--out", "o");
        assertEquals(java.util.List.of("gdc", "none"), e.config().compensationNames());
        DemoCommand d = new DemoCommand();
        new CommandLine(d).parseArgs();
        assertEquals(java.util.List.of("gdc", "none"), d.analogConfig().compensationNames());
    }
}
