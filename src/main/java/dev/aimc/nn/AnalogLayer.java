package dev.aimc.nn;

import dev.aimc.device.DeviceModel;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileProgrammer;

/** A layer computed on crossbar tiles: {@link AnalogLinear} or {@link AnalogConv2d}. */
public interface AnalogLayer extends AutoCloseable {

    /** The tiled weight matrix (for compensation hooks, conductances, scales). */
    AnalogMatrix matrix();

    /** The digital layer this one was converted from. */
    Module digital();

    /** Programs the weights onto {@code device} (programming noise and drift exponents drawn anew). */
    default void program(DeviceModel device) {
        matrix().program(device);
    }

    /** Programs the weights onto {@code device} with {@code programmer} (null: the one-shot statistical model). */
    default void program(DeviceModel device, TileProgrammer programmer) {
        matrix().program(device, programmer);
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
