package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.ConfigException;
import org.junit.jupiter.api.Test;

class DeviceModelsTest {
    @Test
    void parsesDefaultsByName() {
        assertEquals(PcmModel.defaults(), DeviceModels.parse("pcm"));
        assertEquals(RramModel.defaults(), DeviceModels.parse("rram"));
        assertEquals(IdealModel.defaults(), DeviceModels.parse("ideal"));
        assertEquals(25.0, DeviceModels.parse("pcm").gMaxMicroSiemens());
    }

    @Test
    void unknownNameIsOneLineConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> DeviceModels.parse("flash"));
        assertEquals("--device: unknown device model 'flash' in 'flash'; valid: pcm, pcm-table, hermes, rram, gst-st90, ideal "
                + "(NAME[:KEY=VALUE,...])", e.getMessage());
        assertThrows(ConfigException.class, () -> DeviceModels.parse("pcm-table:"));
        assertThrows(ConfigException.class, () -> DeviceModels.parse(""));
    }

    @Test
    void optionsOverrideScalesAndGMax() {
        DeviceModel d = DeviceModels.parse("pcm", new DeviceModels.Options(50, 0.5, 2, 0));
        PcmModel p = assertInstanceOf(PcmModel.class, d);
        assertEquals(new PcmModel(50, 0.5, 2, 0), p);
        RramModel r = assertInstanceOf(RramModel.class,
                DeviceModels.parse("rram", new DeviceModels.Options(Double.NaN, 2, 1, 1)));
        assertEquals(0.2, r.logNormalSigma(), 1e-15);
        assertEquals(100, r.gMaxMicroSiemens());
        assertEquals(40, DeviceModels.parse("ideal", new DeviceModels.Options(40, 1, 1, 1)).gMaxMicroSiemens());
        ConfigException e = assertThrows(ConfigException.class, () -> new DeviceModels.Options(Double.NaN, -1, 1, 1));
        assertTrue(e.getMessage().contains("prog-noise-scale"));
    }
}
