package dev.aimc.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.ConfigException;
import org.junit.jupiter.api.Test;

class TileConfigTest {

    @Test
    void defaultsFollowAihwkitLikeConventions() {
        TileConfig c = TileConfig.defaults();
        assertEquals(512, c.maxRows());
        assertEquals(512, c.maxCols());
        assertEquals(8, c.inputBits());
        assertEquals(8, c.outputBits());
        assertEquals(1.0 / 127, c.inputStep(), 1e-12);
        assertEquals(12.0 / 127, c.outputStep(), 1e-12);
    }

    @Test
    void invalidValuesNameTheOption() {
        ConfigException e = assertThrows(ConfigException.class, () -> TileConfig.builder().outputBits(0).build());
        assertTrue(e.getMessage().startsWith("adc-bits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TileConfig.builder().inputBits(0).build());
        assertTrue(e.getMessage().startsWith("dac-bits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TileConfig.builder().outputNoise(-0.1).build());
        assertTrue(e.getMessage().startsWith("out-noise"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TileConfig.builder().outputRange(0).build());
        assertTrue(e.getMessage().startsWith("adc-range"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> TileConfig.builder().maxRows(0).build());
        assertTrue(e.getMessage().startsWith("max-rows"), e.getMessage());
        assertThrows(ConfigException.class, () -> TileConfig.builder().multi(0, 2).build());
    }
}
