package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import dev.aimc.device.DeviceModel;

/**
 * A programming algorithm for one crossbar under programming (one tile), its parameters the implementing record's
 * components: {@link OpenLoop}, {@link ProgramVerify}, {@link Gdp}. {@link Programmers#tiled} runs one on every tile
 * of a matrix as a {@link dev.aimc.tile.TileProgrammer}.
 */
public interface CrossbarProgrammer {

    /**
     * Short name for reports ("openloop", "verify", "gdp").
     *
     * @return the name
     */
    String name();

    /**
     * Programs the RESET crossbar {@code xb} to the differential conductance targets {@code targets} (µS,
     * [2, rows, cols]: plane 0 G+, plane 1 G−; from the tile's mapping,
     * {@link dev.aimc.tile.AnalogMatrix#targetConductances}, or {@link Targets#conductances} for a bare crossbar).
     *
     * @param device the device model (draws ν for the final state)
     * @param xb the RESET crossbar
     * @param targets conductance targets in µS, [2, rows, cols]
     * @return the result (state, pulses per device), its state attached to {@code targets.getManager()}
     */
    ProgramResult run(DeviceModel device, CrossbarUnderProgramming xb, NDArray targets);
}
