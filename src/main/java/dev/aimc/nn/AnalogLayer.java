package dev.aimc.nn;

import dev.aimc.device.DeviceModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.RandomStream;

/** A layer computed on crossbar tiles: {@link AnalogLinear} or {@link AnalogConv2d}. */
public interface AnalogLayer extends AutoCloseable {

    /** The tiled weight matrix (for compensation hooks, conductances, scales). */
    AnalogMatrix matrix();

    /** The digital layer this one was converted from. */
    Module digital();

    /** Programs the weights onto {@code device} from the stream of seed 0 (deterministic; for tests and examples). */
    default void program(DeviceModel device) {
        matrix().program(device);
    }

    /**
     * Programs the weights onto {@code device} as a new chip instance of {@code chip} (programming noise and drift
     * exponents drawn from it; see {@link AnalogMatrix#program(DeviceModel, RandomStream)}).
     */
    default void program(DeviceModel device, RandomStream chip) {
        matrix().program(device, chip);
    }

    /**
     * Programs the weights onto {@code device} with {@code programmer} (null: the one-shot statistical model), as a
     * new chip instance of {@code chip}.
     */
    default void program(DeviceModel device, TileProgrammer programmer, RandomStream chip) {
        matrix().program(device, programmer, chip);
    }

    /** Sets the inference time in seconds since programming. */
    default void driftTo(double tSeconds) {
        matrix().driftTo(tSeconds);
    }

    @Override
    default void close() {
        matrix().close();
    }
}
