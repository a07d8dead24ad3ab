package dev.aimc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HwaConfigTest {

    @Test
    void badValuesNameTheOption() {
        HwaConfig d = HwaConfig.defaults();
        assertTrue(assertThrows(ConfigException.class, () -> d.withNoise(HwaConfig.NoiseKind.ADDITIVE, -0.1))
                .getMessage().startsWith("noise-eta"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withClip(HwaConfig.ClipMode.SIGMA, 0))
                .getMessage().startsWith("clip-sigma"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withClip(HwaConfig.ClipMode.VALUE, -1))
                .getMessage().startsWith("clip-value"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withDac(1, 1.0)).getMessage().startsWith("hwa-dac-bits"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withAdc(40, 1.0)).getMessage().startsWith("hwa-adc-bits"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withDac(8, 0)).getMessage().startsWith("hwa-input-range"));
        assertTrue(assertThrows(ConfigException.class, () -> d.withOutputNoise(Double.NaN))
                .getMessage().startsWith("hwa-out-noise"));
        assertTrue(assertThrows(ConfigException.class, () -> HwaConfig.NoiseKind.parse("noise-kind", "pink"))
                .getMessage().equals("noise-kind must be none, additive, multiplicative, pcm or gst-st90, got pink"));
    }

    @Test
    void mapRoundTripThroughJson() throws Exception {
        HwaConfig c = HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.PCM, 1.0).withDac(8, 1.0).withAdc(8, 12)
                .withOutputNoise(0.04).withLearnedOutScale(true).withClip(HwaConfig.ClipMode.VALUE, 0.7);
        ObjectMapper om = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> back = om.readValue(om.writeValueAsString(c.toMap()), Map.class);
        assertEquals(c, HwaConfig.fromMap(back));
        assertEquals("abs-max", c.toMap().get("inputScaling"));
        HwaConfig none = c.withInputScaling(TileConfig.InputScaling.NONE);
        @SuppressWarnings("unchecked")
        Map<String, Object> backNone = om.readValue(om.writeValueAsString(none.toMap()), Map.class);
        assertEquals("none", backNone.get("inputScaling"));
        assertEquals(none, HwaConfig.fromMap(backNone));
        // a legacy map (written before the key existed) keeps the fixed-range DAC it was trained with
        Map<String, Object> legacy = new java.util.LinkedHashMap<>(c.toMap());
        legacy.remove("inputScaling");
        assertEquals(none, HwaConfig.fromMap(legacy));
        assertEquals(HwaConfig.defaults().withInputScaling(TileConfig.InputScaling.NONE), HwaConfig.fromMap(Map.of()));
        assertEquals(TileConfig.InputScaling.ABS_MAX, HwaConfig.defaults().inputScaling());
        assertTrue(assertThrows(ConfigException.class, () -> HwaConfig.fromMap(Map.of("inputScaling", "max")))
                .getMessage().startsWith("inputScaling"));
        assertEquals(2.0, HwaConfig.fromMap(Map.of("clipValue", 2)).clipValue());
        assertTrue(assertThrows(ConfigException.class, () -> HwaConfig.fromMap(Map.of("dacBits", "8")))
                .getMessage().startsWith("dacBits"));
    }

    @CommandLine.Command(name = "t")
    static final class Cmd implements Runnable {
        @CommandLine.Mixin
        HwaOptions hwa;

        @Override
        public void run() {}
    }

    private static HwaOptions parse(String... args) {
        Cmd c = new Cmd();
        new CommandLine(c).parseArgs(args);
        return c.hwa;
    }

    @Test
    void cliMixinBuildsTheConfig() {
        HwaOptions none = parse();
        assertFalse(none.enabled());
        assertEquals(HwaConfig.defaults(), none.toConfig());

        HwaOptions o = parse("--hwa", "--noise-kind", "pcm", "--clip-value", "0.5", "--hwa-dac-bits", "8",
                "--hwa-adc-bits", "6", "--hwa-out-noise", "0.04", "--hwa-learn-out-scale", "--hwa-digital-first-last");
        assertTrue(o.enabled());
        assertTrue(o.keepFirstLastDigital());
        HwaConfig c = o.toConfig();
        assertEquals(HwaConfig.NoiseKind.PCM, c.noiseKind());
        assertEquals(1.0, c.noiseEta(), "pcm default η: σ_prog as fitted");
        assertEquals(HwaConfig.ClipMode.VALUE, c.clipMode());
        assertEquals(0.5, c.clipValue());
        assertEquals(8, c.dacBits());
        assertEquals(6, c.adcBits());
        assertEquals(0.04, c.outputNoise());
        assertTrue(c.learnedOutScale());

        assertEquals(0.05, parse("--hwa", "--noise-eta", "0.05", "--clip-sigma", "2").toConfig().noiseEta());
        assertEquals(HwaConfig.ClipMode.NONE, parse("--no-clip").toConfig().clipMode());
        assertEquals(TileConfig.InputScaling.ABS_MAX, parse("--hwa").toConfig().inputScaling());
        assertEquals(TileConfig.InputScaling.NONE, parse("--hwa-input-scaling", "none").toConfig().inputScaling());
        assertEquals(TileConfig.InputScaling.ABS_MAX,
                parse("--hwa-input-scaling", "abs-max").toConfig().inputScaling());
        assertTrue(assertThrows(ConfigException.class, () -> parse("--hwa-input-scaling", "max").toConfig())
                .getMessage().startsWith("hwa-input-scaling"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--noise-eta", "-1").toConfig())
                .getMessage().startsWith("noise-eta"));
        assertThrows(ConfigException.class, () -> parse("--clip-sigma", "2", "--clip-value", "1").toConfig());
    }
}
