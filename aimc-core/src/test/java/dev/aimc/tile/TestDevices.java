package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.RandomStream;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;

/** Simple device models for tests: ideal (no noise, no drift) and one with Gaussian read noise. */
public final class TestDevices {
    private TestDevices() {}

    /** g_max 25 µS, no noise, no drift. */
    public static DeviceModel ideal() {
        return new Simple(0f);
    }

    /** g_max 25 µS, Gaussian read noise of std {@code sigma} µS per read, no drift. */
    public static DeviceModel readNoise(float sigma) {
        return new Simple(sigma);
    }

    private record Simple(float sigma) implements DeviceModel {
        @Override
        public String name() {
            return sigma == 0 ? "test-ideal" : "test-read-noise";
        }

        @Override
        public double gMaxMicroSiemens() {
            return 25.0;
        }

        @Override
        public ProgrammedState program(NDArray g, RandomStream rng) {
            return new ProgrammedState(g.duplicate(), g.zerosLike());
        }

        @Override
        public NDArray drift(ProgrammedState s, double t) {
            return s.gProg().duplicate();
        }

        @Override
        public NDArray read(ProgrammedState s, NDArray gDrift, double t, RandomStream rng) {
            if (sigma == 0) {
                return gDrift.duplicate();
            }
            try (NDArray noise = rng.normal(gDrift.getManager(), sigma, gDrift.getShape())) {
                return gDrift.add(noise);
            }
        }
    }
}
