package dev.aimc.device;

import ai.djl.ndarray.NDArray;

/** TEMPORARY copy of the record owned by branch {@code device}; the merge takes that branch's version. */
public record ProgrammedState(NDArray gProg, NDArray nu) implements AutoCloseable {
    @Override
    public void close() {
        gProg.close();
        nu.close();
    }
}
