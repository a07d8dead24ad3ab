package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.RandomStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistical model of one kind of memory device: programming error, conductance drift and read noise.
 *
 * <p>All conductances are in microsiemens (µS) and all times in seconds. Every method works on whole
 * float32 {@link NDArray}s (one element per device) and draws its randomness only from the {@link RandomStream}
 * it is given: programming noise and drift exponents from the stream passed to {@link #program}, read noise from the
 * stream passed to {@link #read} or {@link #reader}. Drift itself is deterministic. The same stream state gives the
 * same conductances, whatever else runs in the JVM.
 *
 * <p>Implementations: {@link PcmModel} ("pcm"), {@link PcmTableModel} ("pcm-table"), {@link RramModel}
 * ("rram"), {@link GstSt90Model} ("gst-st90") and {@link IdealModel} ("ideal"); {@link DeviceModels#parse(String)}
 * builds them by name.
 */
public interface DeviceModel {

    /**
     * Short name of the model: "pcm", "pcm-table", "rram", "gst-st90" or "ideal".
     *
     * @return the name used by --device
     */
    String name();

    /**
     * The largest conductance the device is programmed to, in µS.
     *
     * @return g_max in µS (&gt; 0)
     */
    double gMaxMicroSiemens();

    /**
     * The lowest conductance the device is programmed to, in µS (the "off" state; 0 for PCM and the ideal device).
     * A tile maps a normalized weight |w| ∈ [0, 1] to g_min + |w|·(g_max − g_min) and subtracts g_min back in the
     * periphery (see {@code AnalogMatrix#targetConductances}).
     *
     * @return g_min in µS (≥ 0, below g_max)
     */
    default double gMinMicroSiemens() {
        return 0;
    }

    /**
     * The conductance a programming of {@code gTargetMicroSiemens} aims at before any spread, drift or noise: the
     * target clipped to [g_min, g_max] for a continuous device, the level it snaps to for a few-level one. What the
     * periphery can take as "known" about a cell programmed to that target (the ratio readout's reference value).
     *
     * @param gTargetMicroSiemens a target conductance in µS
     * @return the nominal programmed conductance in µS
     */
    default double nominalMicroSiemens(double gTargetMicroSiemens) {
        return Math.min(Math.max(gTargetMicroSiemens, gMinMicroSiemens()), gMaxMicroSiemens());
    }

    /**
     * Programs target conductances.
     *
     * @param gTargetMicroSiemens target conductances in µS (≥ 0; values above {@link #gMaxMicroSiemens()}
     *     are clipped by models with a physical maximum), any shape
     * @param rng the stream the programming noise and drift exponents are drawn from
     * @return the programmed conductances and drift exponents, same shape, attached to
     *     {@code gTargetMicroSiemens.getManager()}; the caller closes it
     */
    ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng);

    /**
     * Conductance {@code tSeconds} after programming: drift only, no read noise.
     *
     * @param state programmed state from {@link #program}
     * @param tSeconds time since programming in seconds (≥ 0; 0 is valid and means no drift)
     * @return new array of drifted conductances in µS, attached to {@code state.gProg().getManager()}
     */
    NDArray drift(ProgrammedState state, double tSeconds);

    /**
     * One noisy read of drifted conductances; the read noise is the next draw of {@code rng}.
     *
     * @param state programmed state from {@link #program}
     * @param gDrift drifted conductances in µS, as returned by {@link #drift(ProgrammedState, double)}
     * @param tSeconds time since programming in seconds (≥ 0)
     * @param rng the stream the read noise is drawn from
     * @return new array of read conductances in µS (≥ 0), attached to {@code gDrift.getManager()}
     */
    NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng);

    /**
     * Prepares repeated reads of the same drifted state: everything that does not change between reads (e.g.
     * the per-device read-noise amplitude) is computed once, so each {@link Reader#read()} only draws the
     * noise, from {@code rng}. A reader's draws equal {@link #read} with the same stream state. The default recomputes
     * everything on each read.
     *
     * @param state programmed state
     * @param gDrift drifted conductances (must stay open while the reader is used)
     * @param tSeconds time since programming in seconds (≥ 0)
     * @param rng the stream every {@link Reader#read()} draws from
     * @return a reader; its arrays live in {@code gDrift.getManager()} until {@link Reader#close()}
     */
    default Reader reader(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        return new Reader() {
            @Override
            public NDArray read() {
                return DeviceModel.this.read(state, gDrift, tSeconds, rng);
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Every parameter of the model by its {@code --device} key, in the order of the model's table in
     * {@link DeviceModels} (values: {@code Double} in the key's unit, {@code Integer}, or a path {@code String}),
     * for provenance; {@code DeviceModels.parse(name + ":" + key=value pairs)} rebuilds an equal model. The
     * default, for models without a table, gives {@code g-max} only.
     *
     * @return an insertion-ordered map of key to value
     */
    default Map<String, Object> parameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("g-max", gMaxMicroSiemens());
        return m;
    }

    /** Repeated noisy reads of one drifted state (see {@link #reader}). */
    interface Reader extends AutoCloseable {
        /**
         * One noisy read (the next draw of the reader's stream), a new array attached to the drifted conductances'
         * manager (the caller closes it).
         *
         * @return the read conductances in µS, same shape as the drifted conductances
         */
        NDArray read();

        /**
         * {g_drift, amp} when every {@link #read()} is max(0, g_drift + amp·z) with z the next standard
         * normal draw of the reader's stream over the array (PCM's eq. 4), so a caller may fuse the read with what it
         * does next; null otherwise. The arrays belong to the reader.
         *
         * @return {g_drift in µS, amp in µS}, or null when the read is not of that form
         */
        default NDArray[] gaussianParts() {
            return null;
        }

        /** Frees what the reader precomputed. */
        @Override
        void close();
    }
}
