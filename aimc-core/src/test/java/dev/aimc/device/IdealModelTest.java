package dev.aimc.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.aimc.util.RandomStream;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class IdealModelTest {
    private static RandomStream rng = RandomStream.of(0);
    @Test
    void exactProgrammingNoDriftExactReads() {
        IdealModel ideal = IdealModel.defaults();
        assertEquals("ideal", ideal.name());
        assertEquals(25.0, ideal.gMaxMicroSiemens());
        try (NDManager m = NDManager.newBaseManager()) {
            float[] t = {0, 1.5f, 12.5f, 25};
            NDArray target = m.create(t);
            try (ProgrammedState s = ideal.program(target, rng)) {
                assertSame(m, s.gProg().getManager());
                assertArrayEquals(t, s.gProg().toFloatArray());
                assertArrayEquals(new float[4], s.nu().toFloatArray());
                NDArray gd = ideal.drift(s, 1e9);
                assertArrayEquals(t, gd.toFloatArray());
                NDArray gr = ideal.read(s, gd, 1e9, rng);
                assertArrayEquals(t, gr.toFloatArray());
                assertSame(m, gr.getManager());
            }
            assertArrayEquals(t, target.toFloatArray(), "target untouched");
        }
    }

    @Test
    void acceptsFloat64Targets() {
        try (NDManager m = NDManager.newBaseManager();
                ProgrammedState s = IdealModel.defaults().program(m.create(new double[] {1, 2}), rng)) {
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, s.gProg().getDataType());
            assertArrayEquals(new float[] {1, 2}, s.gProg().toFloatArray());
        }
    }
}
