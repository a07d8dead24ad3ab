package dev.aimc.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.cli.Main;
import dev.aimc.util.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML experiment files: parsing, defaults and one-line errors naming the key. */
class ExperimentFileTest {
    @TempDir Path dir;

    static final String GOOD = """
            name: t
            dataset: mnist-subset
            networks:
              - name: a
                model: lenet5-mnist
                train: {epochs: 1}
              - name: b
                model: lenet5-mnist
                init: a
                train: {epochs: 1, lr: 0.01}
                hwa: {noiseKind: pcm, noiseEta: 1.0, clipSigma: 2.5, dacBits: 8, adcBits: 8}
            evaluation:
              times: [1s, 1h, 86400]
              compensations: [none, gdc, gdc+adabs, ratio]
              tile: {size: 256}
            gains: {baseline: a, candidate: b, with: [gdc]}
            """;

    Path write(String yaml) throws IOException {
        Path f = dir.resolve("e.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    String error(String yaml) throws IOException {
        Path f = write(yaml);
        return assertThrows(ConfigException.class, () -> ExperimentFile.load(f)).getMessage();
    }

    @Test
    void parsesAGoodFile() throws IOException {
        ExperimentFile f = ExperimentFile.load(write(GOOD));
        assertEquals("t", f.name());
        assertEquals(2, f.networks().size());
        assertEquals("a", f.networks().get(1).init());
        assertEquals(1.0, f.networks().get(1).hwa().config().noiseEta());
        assertEquals(8, f.networks().get(1).hwa().config().dacBits());
        assertEquals(List.of(1.0, 3600.0, 86400.0), f.evaluation().times());
        assertEquals(List.of("none", "gdc", "gdc+adabs", "ratio"), f.evaluation().compensations());
        assertEquals(256, f.evaluation().tile().maxRows());
        assertEquals(5, f.evaluation().repeats());
        assertEquals("none", f.gains().without());
    }

    String withDevice(String lines) {
        return GOOD.replace("evaluation:\n", "evaluation:\n" + lines);
    }

    @Test
    void tileReadNoiseDefaultsToPerTimeAndTakesPerBatch() throws IOException {
        assertEquals(dev.aimc.tile.TileConfig.ReadNoise.PER_TIME, ExperimentFile.load(write(GOOD)).evaluation()
                .tile().readNoise());
        assertEquals(dev.aimc.tile.TileConfig.ReadNoise.PER_BATCH, ExperimentFile.load(write(GOOD.replace(
                "tile: {size: 256}", "tile: {size: 256, readNoise: per-batch}"))).evaluation().tile().readNoise());
        String e = error(GOOD.replace("tile: {size: 256}", "tile: {size: 256, readNoise: often}"));
        assertTrue(e.contains("readNoise") && e.contains("per-time or per-batch") && e.contains("often"), e);
        ExperimentFile.Evaluation ev = ExperimentFile.load(write(GOOD.replace("tile: {size: 256}",
                "tile: {size: 256, boundManagement: iterative, convScaling: per-patch}"))).evaluation();
        assertEquals(dev.aimc.tile.TileConfig.BoundManagement.ITERATIVE, ev.tile().boundManagement());
        assertEquals(dev.aimc.tile.TileConfig.ConvScaling.PER_PATCH, ev.tile().convScaling());
        assertEquals(dev.aimc.tile.TileConfig.BoundManagement.NONE, ExperimentFile.load(write(GOOD)).evaluation()
                .tile().boundManagement());
        e = error(GOOD.replace("tile: {size: 256}", "tile: {size: 256, convScaling: per-row}"));
        assertTrue(e.contains("convScaling") && e.contains("per-row"), e);
    }

    /** A preset is the tile the command line's --preset gives; the keys given override it, the others keep it. */
    @Test
    void tilePresetIsTheCommandLinesAndGivenKeysOverrideIt() throws IOException {
        dev.aimc.tile.TileConfig aihwkit = dev.aimc.tile.TileConfig.aihwkitInference();
        dev.aimc.tile.TileConfig t = ExperimentFile.load(write(GOOD.replace("tile: {size: 256}",
                "tile: {preset: aihwkit}"))).evaluation().tile();
        assertEquals(aihwkit, t);
        t = ExperimentFile.load(write(GOOD.replace("tile: {size: 256}", "tile: {preset: aihwkit, adcBits: 6}")))
                .evaluation().tile();
        assertEquals(aihwkit.toBuilder().outputBits(6).build(), t);
        assertEquals(dev.aimc.tile.TileConfig.defaults().toBuilder().tileSize(256, 256).build(),
                ExperimentFile.load(write(GOOD)).evaluation().tile());
        String e = error(GOOD.replace("tile: {size: 256}", "tile: {preset: crossim}"));
        assertTrue(e.contains("tile.preset") && e.contains("aihwkit-standard-hwa") && e.contains("crossim"), e);
    }

    @Test
    void deviceTakesTheCommandLineSpecOrAMapWithTheSameKeys() throws IOException {
        assertEquals("pcm", ExperimentFile.load(write(GOOD)).evaluation().device());
        String s = ExperimentFile.load(write(withDevice("  device: \"rram:sigma=0.3, bits=2\"\n")))
                .evaluation().device();
        assertEquals("rram:sigma=0.3,bits=2", s);
        assertEquals(s, ExperimentFile.load(write(withDevice("  device: {name: rram, sigma: 0.3, bits: 2}\n")))
                .evaluation().device());
        assertEquals(new dev.aimc.device.RramModel(1, 100, 2, 0.3, 0, 0, 0), dev.aimc.device.DeviceModels.parse(s));
        assertEquals("pcm:g-max=40,drift-scale=0", ExperimentFile.load(write(withDevice(
                "  device:\n    name: pcm\n    g-max: 40\n    drift-scale: 0\n"))).evaluation().device());
        // deviceOptions map onto the same keys
        ExperimentFile.Evaluation ev = ExperimentFile.load(write(withDevice(
                "  device: rram\n  deviceOptions: {gMax: 50, progNoiseScale: 2}\n"))).evaluation();
        assertEquals("rram:g-max=50,sigma=0.2", ev.device());
        assertEquals(dev.aimc.device.DeviceModels.Options.defaults(), ev.deviceOptions());
    }

    @Test
    void badDeviceSpecsNameTheKeyAndValue() throws IOException {
        String f = dir.resolve("e.yaml") + ": evaluation.device";
        assertEquals(f + " rram: unknown key 'sigmaa'; valid keys: g-min, g-max, bits, sigma, stuck-min, "
                + "stuck-max, read-noise", error(withDevice("  device: {name: rram, sigmaa: 0.3}\n")));
        assertEquals(f + " rram: unknown key 'sigmaa'; valid keys: g-min, g-max, bits, sigma, stuck-min, "
                + "stuck-max, read-noise", error(withDevice("  device: rram:sigmaa=0.3\n")));
        assertEquals(f + " rram: g-min must be < g-max, got g-min=100, g-max=10",
                error(withDevice("  device: {name: rram, g-min: 100, g-max: 10}\n")));
        assertEquals(f + " rram: bits must be an integer in [0, 16], got 20",
                error(withDevice("  device: \"rram:bits=20\"\n")));
        assertEquals(f + ": name is required, one of pcm, pcm-table, hermes, rram, gst-st90, ideal, got nothing",
                error(withDevice("  device: {sigma: 0.3}\n")));
        assertTrue(error(withDevice("  device: flash\n")).startsWith(f + ": unknown device model 'flash'"));
        assertEquals(dir.resolve("e.yaml") + ": evaluation.deviceOptions: --g-max 40 conflicts with g-max=30 in "
                + "the device spec pcm:g-max=30; set g-max in one place only",
                error(withDevice("  device: {name: pcm, g-max: 30}\n  deviceOptions: {gMax: 40}\n")));
    }

    @Test
    void badKeysAndValuesNameTheKey() throws IOException {
        assertTrue(error(GOOD + "foo: 1\n").contains("unknown key foo"));
        assertTrue(error(GOOD.replace("model: lenet5-mnist\n    train: {epochs: 1}\n",
                "model: lenet6\n    train: {epochs: 1}\n")).contains("networks[0].model"));
        assertTrue(error(GOOD.replace("noiseEta: 1.0", "noiseEta: lots")).contains("networks[1].hwa.noiseEta"));
        assertTrue(error(GOOD.replace("noiseKind: pcm", "noiseKind: loud")).contains("networks[1].hwa.noiseKind"));
        assertTrue(error(GOOD.replace("epochs: 1, lr", "epochs: 0, lr")).contains("networks[1].train.epochs"));
        assertTrue(error(GOOD.replace("train: {epochs: 1, lr", "train: {epoch: 1, lr"))
                .contains("unknown key networks[1].train.epoch"));
        assertTrue(error(GOOD.replace("[none, gdc, gdc+adabs, ratio]", "[none, magic]"))
                .contains("evaluation.compensations"));
        assertTrue(error(GOOD.replace("[1s, 1h, 86400]", "[1s, soon]")).contains("evaluation.times"));
        assertTrue(error(GOOD.replace("size: 256", "size: -3")).contains("evaluation.tile.size"));
        assertTrue(error(GOOD.replace("candidate: b", "candidate: c")).contains("gains.candidate"));
        assertTrue(error(GOOD.replace("init: a", "init: b")).contains("init"));
        assertTrue(error(GOOD.replace("dataset: mnist-subset", "dataset: imagenet")).contains("dataset"));
        assertTrue(error("name: [unclosed\n").contains("not valid YAML"));
        assertTrue(error("- just\n- a list\n").contains("must be a mapping"));
        String noTrain = error(GOOD.replace("    train: {epochs: 1}\n  - name: b", "  - name: b"));
        assertTrue(noTrain.contains("networks[0].train"), noTrain);
    }

    @Test
    void runCommandReportsOneLineAndExitStatus2() throws IOException {
        Path f = write(GOOD.replace("noiseEta: 1.0", "noiseEta: lots"));
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("run", f.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, code);
        String msg = err.toString().strip();
        assertFalse(msg.contains("\n"), msg);
        assertTrue(msg.startsWith("aimc: ") && msg.contains("networks[1].hwa.noiseEta"), msg);
        assertEquals(2, Main.commandLine().execute("run", dir.resolve("missing.yaml").toString()));
    }

    /** Item 5: an evaluation block without compensations evaluates GDC and none (before: none only). */
    @Test
    void compensationsDefaultToGdcThenNone() throws IOException {
        ExperimentFile f = ExperimentFile.load(write(GOOD.replace("  compensations: [none, gdc, gdc+adabs, ratio]\n",
                "").replace("with: [gdc]", "with: [gdc]")));
        assertEquals(List.of("gdc", "none"), f.evaluation().compensations());
    }
}
