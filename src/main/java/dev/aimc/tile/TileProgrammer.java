package dev.aimc.tile;

import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;

/**
 * A programming algorithm for the tiles of an {@link AnalogMatrix} (used by
 * {@link AnalogMatrix#program(DeviceModel, TileProgrammer)}): from the matrix's normalized targets to a programmed
 * state. Implementations live in {@code dev.aimc.program} (program-and-verify, GDP); the default
 * {@link AnalogMatrix#program(DeviceModel)} is the device model's one-shot statistical programming.
 */
@FunctionalInterface
public interface TileProgrammer {

    /**
     * Programs the tiles of {@code matrix}.
     *
     * @return conductances in µS and drift exponents ν, both shaped like {@link AnalogMatrix#normalizedTargets()}
     *     ([R, C, D, rows, deviceCols]); the matrix takes ownership
     */
    ProgrammedState program(AnalogMatrix matrix, DeviceModel device);

    /** Short name for reports ("verify", "gdp", ...). */
    default String name() {
        return "custom";
    }
}
