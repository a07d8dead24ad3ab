package dev.aimc.nn;

import dev.aimc.device.DeviceModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.RandomStream;

/** A layer computed on crossbar tiles: {@link AnalogLinear} or {@link AnalogConv2d}. */
public interface AnalogLayer extends AutoCloseable {

    /**
     * The tiled weight matrix (for compensation hooks, conductances, scales).
     *
     * @return the layer's matrix
     */
    AnalogMatrix matrix();

    /**
     * The digital layer this one was converted from.
     *
     * @return the digital layer, holding the original weights
     */
    Module digital();

    /**
     * Programs the weights onto {@code device} from the stream of seed 0 (deterministic; for tests and examples).
     *
     * @param device the device model
     */
    default void program(DeviceModel device) {
        matrix().program(device);
    }

    /**
     * Programs the weights onto {@code device} as a new chip instance of {@code chip} (programming noise and drift
     * exponents drawn from it; see {@link AnalogMatrix#program(DeviceModel, RandomStream)}).
     *
     * @param device the device model
     * @param chip the stream of this chip instance (advanced)
     */
    default void program(DeviceModel device, RandomStream chip) {
        matrix().program(device, chip);
    }

    /**
     * Programs the weights onto {@code device} with {@code programmer} (null: the one-shot statistical model), as a
     * new chip instance of {@code chip}.
     *
     * @param device the device model
     * @param programmer the programming algorithm, or null for one-shot programming
     * @param chip the stream of this chip instance (advanced)
     */
    default void program(DeviceModel device, TileProgrammer programmer, RandomStream chip) {
        matrix().program(device, programmer, chip);
    }

    /**
     * Sets the inference time in seconds since programming.
     *
     * @param tSeconds seconds since programming (≥ 0)
     */
    default void driftTo(double tSeconds) {
        matrix().driftTo(tSeconds);
    }

    @Override
    default void close() {
        matrix().close();
    }
}
