package dev.aimc.device;

import ai.djl.ndarray.NDArray;

/**
 * TEMPORARY copy of the interface owned by branch {@code device}, so that branch {@code analog} compiles before
 * the merge; the merge takes branch {@code device}'s version.
 */
public interface DeviceModel {
    String name();

    double gMaxMicroSiemens();

    ProgrammedState program(NDArray gTargetMicroSiemens);

    NDArray drift(ProgrammedState s, double tSeconds);

    NDArray read(ProgrammedState s, NDArray gDrift, double tSeconds);
}
