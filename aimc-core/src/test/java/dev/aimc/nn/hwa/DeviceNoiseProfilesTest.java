package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.aimc.device.PcmModel;
import org.junit.jupiter.api.Test;

class DeviceNoiseProfilesTest {

    @Test
    void pcmAdapterMatchesTheDeviceModelAndTheDefaultProfile() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (PcmModel model : new PcmModel[] {PcmModel.defaults(),
                    PcmModel.builder().gMaxMicroSiemens(10).progNoiseScale(0.5).build()}) {
                ProgrammingNoiseProfile p = DeviceNoiseProfiles.of(model);
                double gMax = model.gMaxMicroSiemens();
                assertEquals(gMax, p.gMaxMicroSiemens());
                float[] g = m.linspace(0f, (float) gMax, 41).toFloatArray();
                float[] sigma = p.sigmaMicroSiemens(m.create(g)).toFloatArray();
                float[] dflt = ProgrammingNoiseProfile.pcm(gMax).sigmaMicroSiemens(m.create(g)).toFloatArray();
                for (int i = 0; i < g.length; i++) {
                    double want = model.progNoiseScale() * model.progNoiseStdMicroSiemens(g[i] / gMax);
                    assertEquals(want, sigma[i], 1e-5);
                    assertEquals(want / model.progNoiseScale(), dflt[i], 1e-5);
                }
            }
        }
    }
}
