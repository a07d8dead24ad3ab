package dev.aimc.device;

import ai.djl.ndarray.NDArray;

/**
 * Statistical model of one kind of memory device: programming error, conductance drift and read noise.
 *
 * <p>All conductances are in microsiemens (µS) and all times in seconds. Every method works on whole
 * float32 {@link NDArray}s (one element per device) and draws its randomness only from the engine's
 * generator ({@code manager.randomNormal}, {@code randomUniform}); seed it with
 * {@link dev.aimc.util.Rng#seed(long)} to reproduce a draw.
 *
 * <p>Implementations: {@link PcmModel} ("pcm"), {@link PcmTableModel} ("pcm-table"), {@link RramModel}
 * ("rram") and {@link IdealModel} ("ideal"); {@link DeviceModels#parse(String)} builds them by name.
 */
public interface DeviceModel {

    /** Short name of the model: "pcm", "pcm-table", "rram" or "ideal". */
    String name();

    /** The largest conductance the device is programmed to, in µS. */
    double gMaxMicroSiemens();

    /**
     * Programs target conductances.
     *
     * @param gTargetMicroSiemens target conductances in µS (≥ 0; values above {@link #gMaxMicroSiemens()}
     *     are clipped by models with a physical maximum), any shape
     * @return the programmed conductances and drift exponents, same shape, attached to
     *     {@code gTargetMicroSiemens.getManager()}; the caller closes it
     */
    ProgrammedState program(NDArray gTargetMicroSiemens);

    /**
     * Conductance {@code tSeconds} after programming: drift only, no read noise.
     *
     * @param state programmed state from {@link #program(NDArray)}
     * @param tSeconds time since programming in seconds (≥ 0; 0 is valid and means no drift)
     * @return new array of drifted conductances in µS, attached to {@code state.gProg().getManager()}
     */
    NDArray drift(ProgrammedState state, double tSeconds);

    /**
     * One noisy read of drifted conductances; the read noise is drawn anew on each call.
     *
     * @param state programmed state from {@link #program(NDArray)}
     * @param gDrift drifted conductances in µS, as returned by {@link #drift(ProgrammedState, double)}
     * @param tSeconds time since programming in seconds (≥ 0)
     * @return new array of read conductances in µS (≥ 0), attached to {@code gDrift.getManager()}
     */
    NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds);
}
