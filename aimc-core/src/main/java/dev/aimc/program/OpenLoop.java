package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import dev.aimc.device.DeviceModel;

/** Open-loop programming: one pulse per device from RESET to its target, no verify (no parameters). */
public record OpenLoop() implements CrossbarProgrammer {

    @Override
    public String name() {
        return "openloop";
    }

    @Override
    public ProgramResult run(DeviceModel device, CrossbarUnderProgramming xb, NDArray targets) {
        return Programming.openLoop(device, xb, targets);
    }
}
