package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device NAME[:KEY=VALUE,...]}: the grammar, the parameter tables, errors and the help text. */
class DeviceSpecTest {
    private static RandomStream rng = RandomStream.of(0);
    @TempDir Path dir;

    Path table(String name) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "g_us,nu_mean,nu_std\n0,0.1,0.02\n25,0.05,0.01\n");
        return f;
    }

    static String error(String spec) {
        return assertThrows(ConfigException.class, () -> DeviceModels.parse(spec)).getMessage();
    }

    @Test
    void keysSetTheRecordComponents() {
        assertEquals(new RramModel(10, 100, 2, 0.3, 0.01, 0.02, 0.05),
                DeviceModels.parse("rram:sigma=0.3,bits=2,g-min=10,g-max=100,stuck-min=0.01,stuck-max=0.02,"
                        + "read-noise=0.05"));
        assertEquals(new PcmModel(30, 0.5, 2, 0), DeviceModels.parse(
                " pcm : g-max = 30 , prog-noise-scale=0.5,drift-scale=2,read-noise-scale=0 "));
        assertEquals(new IdealModel(40), DeviceModels.parse("ideal:g-max=40"));
        assertEquals(new PcmModel(25, 1, 1, 1), DeviceModels.parse("pcm:g-max=25"));
        assertEquals(RramModel.defaults(), DeviceModels.parse("rram"));
    }

    @Test
    void parametersGiveEveryKeyBackInTableOrderAndRebuildAnEqualModel() {
        for (String spec : List.of("pcm", "pcm:drift-scale=0,g-max=40", "ideal:g-max=25", "rram",
                "rram:sigma=0.3,bits=2,g-min=10,g-max=100,stuck-max=0.25")) {
            DeviceModel m = DeviceModels.parse(spec);
            DeviceType<?> type = DeviceModels.typeOf(m);
            assertEquals(type.keys(), List.copyOf(m.parameters().keySet()), spec);
            DeviceSpec given = DeviceSpec.parse(spec);
            for (Map.Entry<String, Object> e : given.given().entrySet()) {
                assertEquals(e.getValue(), m.parameters().get(e.getKey()), spec + " " + e.getKey());
            }
            // every parameter written back as a spec rebuilds the same model
            DeviceSpec full = DeviceSpec.parse(type.name());
            for (Map.Entry<String, Object> e : m.parameters().entrySet()) {
                full = full.with(e.getKey(), DeviceParameter.format(e.getValue()));
            }
            assertEquals(m, DeviceModels.parse(full.toString()), full.toString());
            assertEquals(given, DeviceSpec.parse(given.toString()), spec);
        }
        assertEquals("rram:sigma=0.3,bits=2,g-max=100", DeviceSpec.parse("rram: sigma=0.30, bits=2, g-max=1e2")
                .toString());
        Map<String, Object> p = DeviceModels.parse("rram:bits=3").parameters();
        assertEquals(Map.of("g-min", 1.0, "g-max", 100.0, "bits", 3, "sigma", 0.1, "stuck-min", 0.0,
                "stuck-max", 0.0, "read-noise", 0.0), p);
    }

    /** A valid value different from the default, as text. */
    static String otherValue(DeviceParameter<?> p) {
        if (p.kind() == DeviceParameter.Kind.INTEGER) {
            return String.valueOf((Integer) p.defaultValue() + 1);
        }
        double d = (Double) p.defaultValue();
        double v = d == 0 ? 0.25 : d * 2;
        assertTrue(v <= p.max(), p.key());
        return DeviceParameter.format(v);
    }

    @Test
    void everyKeyOfEveryTableIsAcceptedAndChangesTheModel() throws IOException {
        Path nu = table("nu.csv");
        for (DeviceType<?> t : DeviceModels.TYPES) {
            String base = t.parameter("file") != null ? t.name() + ":file=" + nu : t.name();
            String sep = base.contains(":") ? "," : ":";
            Map<String, Object> defaults = DeviceModels.parse(base).parameters();
            assertEquals(t.keys(), List.copyOf(defaults.keySet()), t.name());
            for (DeviceParameter<?> p : t.parameters()) {
                if (p.kind() == DeviceParameter.Kind.FILE) {
                    continue;
                }
                String v = otherValue(p);
                DeviceModel m = DeviceModels.parse(base + sep + p.key() + "=" + v);
                Object expected = p.kind() == DeviceParameter.Kind.INTEGER ? (Object) Integer.valueOf(v) : Double.valueOf(v);
                assertEquals(expected, m.parameters().get(p.key()), t.name() + " " + p.key());
                assertNotEquals(defaults.get(p.key()), m.parameters().get(p.key()), t.name() + " " + p.key());
                Map<String, Object> others = new LinkedHashMap<>(m.parameters());
                others.remove(p.key());
                Map<String, Object> defaultOthers = new LinkedHashMap<>(defaults);
                defaultOthers.remove(p.key());
                assertEquals(defaultOthers, others, t.name() + " " + p.key() + " changed another key");
            }
        }
    }

    @Test
    void pcmTableTakesThePathAloneOrAsFileKey() throws IOException {
        Path nu = table("nu.csv");
        PcmTableModel a = assertInstanceOf(PcmTableModel.class, DeviceModels.parse("pcm-table:" + nu));
        assertEquals(nu.toString(), a.parameters().get("file"));
        assertEquals(25.0, a.gMaxMicroSiemens());
        PcmTableModel b = assertInstanceOf(PcmTableModel.class,
                DeviceModels.parse("pcm-table:file=" + nu + ",g-max=30,drift-scale=0"));
        assertEquals(30.0, b.gMaxMicroSiemens());
        assertEquals(0.0, b.driftScale());
        assertEquals(List.of("file", "g-max", "prog-noise-scale", "drift-scale", "read-noise-scale"),
                List.copyOf(b.parameters().keySet()));
        Path comma = table("nu,v2.csv");
        assertEquals(comma.toString(), DeviceModels.parse("pcm-table:" + comma).parameters().get("file"));
        assertEquals("pcm-table:" + comma, DeviceSpec.parse("pcm-table:" + comma).toString());
        assertTrue(error("pcm-table:file=" + comma + ",g-max=30").contains("expected KEY=VALUE"));
        assertEquals("--device pcm-table: file is required (CSV table of drift-exponent statistics against "
                + "conductance)", error("pcm-table:g-max=30"));
        assertEquals("--device pcm-table: file is required (CSV table of drift-exponent statistics against "
                + "conductance)", error("pcm-table"));
    }

    @Test
    void errorsAreOneLineNamingTheKeyAndValue() {
        assertEquals("--device: unknown device model 'flash' in 'flash'; valid: pcm, pcm-table, hermes, rram, gst-st90, ideal "
                + "(NAME[:KEY=VALUE,...])", error("flash"));
        assertEquals("--device: unknown device model '' in ''; valid: pcm, pcm-table, hermes, rram, gst-st90, ideal "
                + "(NAME[:KEY=VALUE,...])", error(""));
        assertEquals("--device rram: unknown key 'sigmaa'; valid keys: g-min, g-max, bits, sigma, stuck-min, "
                + "stuck-max, read-noise", error("rram:sigmaa=0.3"));
        assertEquals("--device pcm: unknown key 'sigma'; valid keys: g-max, prog-noise-scale, drift-scale, "
                + "read-noise-scale", error("pcm:sigma=0.3"));
        assertEquals("--device rram: expected KEY=VALUE, got 'sigma'", error("rram:sigma"));
        assertEquals("--device rram: expected KEY=VALUE, got 'sigma='", error("rram:sigma="));
        assertEquals("--device rram: expected KEY=VALUE, got '=0.3'", error("rram:=0.3"));
        assertEquals("--device rram: expected KEY=VALUE, got ''", error("rram:sigma=0.3,"));
        assertEquals("--device rram: expected KEY=VALUE after 'rram:', got nothing", error("rram:"));
        assertEquals("--device rram: key sigma given twice", error("rram:sigma=0.3,sigma=0.2"));
        assertEquals("--device rram: sigma must be >= 0, got -1", error("rram:sigma=-1"));
        assertEquals("--device rram: sigma must be a number >= 0, got abc", error("rram:sigma=abc"));
        assertEquals("--device rram: sigma must be a finite number >= 0, got NaN", error("rram:sigma=NaN"));
        assertEquals("--device rram: bits must be an integer in [0, 16], got 17", error("rram:bits=17"));
        assertEquals("--device rram: bits must be an integer in [0, 16], got 2.5", error("rram:bits=2.5"));
        assertEquals("--device rram: stuck-min must be in [0, 1], got 1.5", error("rram:stuck-min=1.5"));
        assertEquals("--device rram: g-min must be < g-max, got g-min=100, g-max=10",
                error("rram:g-min=100,g-max=10"));
        assertEquals("--device rram: g-min must be < g-max, got g-min=100, g-max=100", error("rram:g-min=100"));
        assertEquals("--device rram: stuck-min + stuck-max must be <= 1, got stuck-min=0.6, stuck-max=0.5",
                error("rram:stuck-min=0.6,stuck-max=0.5"));
        assertEquals("--device pcm: g-max must be > 0, got 0", error("pcm:g-max=0"));
        assertEquals("--device ideal: g-max must be > 0, got -25", error("ideal:g-max=-25"));
        assertEquals("--device pcm: drift-scale must be >= 0, got -0.1", error("pcm:drift-scale=-0.1"));
        for (String bad : List.of("flash", "rram:sigmaa=1", "rram:sigma", "rram:sigma=-1", "rram:g-min=200")) {
            assertEquals(1, error(bad).split("\n").length, bad);
        }
    }

    @Test
    void mapFormTakesTheSameKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "rram");
        m.put("sigma", 0.3);
        m.put("bits", 2);
        m.put("g-max", "50");
        DeviceSpec s = DeviceSpec.of("e.yaml: evaluation.device", m);
        assertEquals("rram:sigma=0.3,bits=2,g-max=50", s.toString());
        assertEquals(DeviceSpec.parse("rram:sigma=0.3,bits=2,g-max=50"), s);
        m.put("bits", 2.5);
        assertEquals("e.yaml: evaluation.device rram: bits must be an integer in [0, 16], got 2.5",
                assertThrows(ConfigException.class, () -> DeviceSpec.of("e.yaml: evaluation.device", m))
                        .getMessage());
        assertEquals("x: name is required, one of pcm, pcm-table, hermes, rram, gst-st90, ideal, got nothing",
                assertThrows(ConfigException.class, () -> DeviceSpec.of("x", Map.of("sigma", 1))).getMessage());
    }

    @Test
    void separateOptionsSetTheirKeyAndConflictWithTheSpec() {
        assertEquals(new PcmModel(40, 0.5, 2, 0),
                DeviceModels.parse("pcm", new DeviceModels.Options(40, 0.5, 2, 0)));
        // applied to the key they act on, combined with other keys
        assertEquals(new RramModel(1, 100, 2, 0.2, 0, 0, 0),
                DeviceModels.parse("rram:bits=2", new DeviceModels.Options(Double.NaN, 2, 3, 5)));
        assertEquals(new IdealModel(30), DeviceModels.parse("ideal", new DeviceModels.Options(30, 2, 2, 2)));
        // factor 1 is no override, so it never conflicts
        assertEquals(new PcmModel(25, 3, 1, 1),
                DeviceModels.parse("pcm:prog-noise-scale=3", DeviceModels.Options.defaults()));
        assertEquals("--g-max 40 conflicts with g-max=30 in the device spec pcm:g-max=30; set g-max in one place "
                + "only", assertThrows(ConfigException.class, () -> DeviceModels.parse("pcm:g-max=30",
                        new DeviceModels.Options(40, 1, 1, 1))).getMessage());
        assertEquals("--prog-noise-scale 2 conflicts with sigma=0.3 in the device spec rram:sigma=0.3; set sigma "
                + "in one place only", assertThrows(ConfigException.class, () -> DeviceModels.parse(
                        "rram:sigma=0.3", new DeviceModels.Options(Double.NaN, 2, 1, 1))).getMessage());
        assertEquals("--drift-scale 0 conflicts with drift-scale=2 in the device spec pcm:drift-scale=2; set "
                + "drift-scale in one place only", assertThrows(ConfigException.class, () -> DeviceModels.parse(
                        "pcm:drift-scale=2", new DeviceModels.Options(Double.NaN, 1, 0, 1))).getMessage());
    }

    @Test
    void helpListsEveryKeyWithUnitDefaultAndRangeFromTheTables() {
        List<String> help = DeviceModels.help();
        String text = String.join("\n", help);
        for (DeviceType<?> t : DeviceModels.TYPES) {
            int at = help.indexOf(t.name() + ": " + t.summary());
            assertTrue(at >= 0, t.name() + ":\n" + text);
            for (DeviceParameter<?> p : t.parameters()) {
                int row = at + help.subList(at, help.size())
                        .indexOf(DeviceModels.helpRow(p.key(), p.unit(), p.defaultText(), p.range()));
                assertTrue(row > at, t.name() + " " + p.key() + ":\n" + text);
                assertEquals("      " + p.description(), help.get(row + 1));
            }
        }
        int rram = help.indexOf("rram: " + DeviceModels.RRAM.summary());
        assertEquals(List.of(
                "  KEY               UNIT  DEFAULT   RANGE",
                "  g-min             µS    1         >= 0",
                "      lowest conductance; targets are clipped to [g-min, g-max]",
                "  g-max             µS    100       > 0",
                "      highest conductance, > g-min",
                "  bits              bits  0         [0, 16]",
                "      bits per cell, 2^bits equally spaced levels; 0 = continuous",
                "  sigma             1     0.1       >= 0",
                "      std of ln(g'/g), log-normal programming variation"), help.subList(rram + 1, rram + 10));
        assertTrue(help.containsAll(List.of("  pcm: prog-noise-scale, drift-scale, read-noise-scale",
                "  rram: sigma, read-noise")), text);
        for (String line : help) {
            assertTrue(line.length() <= DeviceModels.HELP_WIDTH, line);
        }
    }

    /**
     * rram:sigma=S programs g' = g·exp(S·N(0,1)): the sample std of ln(g'/g) over n devices is S within
     * 5 standard errors, S/sqrt(2n), and the mean within 5·S/sqrt(n). Seeded.
     */
    @Test
    void rramSigmaKeyIsTheStdOfLnGPrimeOverG() {
        int n = 200_000;
        for (double sigma : new double[] {0.3, 0.05}) {
            DeviceModel m = DeviceModels.parse("rram:sigma=" + sigma + ",g-min=1,g-max=100");
            try (NDManager manager = NDManager.newBaseManager()) {
                Rng.seed(7);
                rng = RandomStream.of(7);
                NDArray target = manager.full(new Shape(n), 10f);
                try (ProgrammedState s = m.program(target, rng)) {
                    float[] g = s.gProg().toFloatArray();
                    double[] ln = new double[n];
                    for (int i = 0; i < n; i++) {
                        ln[i] = Math.log(g[i] / 10.0);
                    }
                    assertEquals(sigma, Stats.std(ln), 5 * sigma / Math.sqrt(2.0 * n), "sigma " + sigma);
                    assertEquals(0, Stats.mean(ln), 5 * sigma / Math.sqrt(n), "sigma " + sigma);
                }
            }
        }
    }
}
