package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.Test;

/** A device reader (amplitude kept between reads) draws exactly what {@link DeviceModel#read} draws. */
class ReaderTest {
    private static RandomStream rng = RandomStream.of(0);

    @Test
    void readerEqualsReadForPcmAndDefault() {
        for (DeviceModel d : new DeviceModel[] {PcmModel.defaults(), new IdealModel(25),
            PcmModel.builder().readNoiseScale(0).build()}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(3);
                rng = RandomStream.of(3);
                NDArray target = m.randomUniform(0f, 25f, new Shape(64, 32));
                ProgrammedState st = d.program(target, rng);
                NDArray g = d.drift(st, 3600);
                RandomStream alone = RandomStream.of(10);
                try (DeviceModel.Reader r = d.reader(st, g, 3600, RandomStream.of(10))) {
                    for (int k = 0; k < 3; k++) {
                        float[] a = d.read(st, g, 3600, alone).toFloatArray();
                        float[] b = r.read().toFloatArray();
                        assertArrayEquals(a, b, 0f, d.name());
                    }
                }
            }
        }
    }
}
