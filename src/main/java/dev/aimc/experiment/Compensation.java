package dev.aimc.experiment;

import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogNetwork;

/**
 * A variant of the analog evaluation, applied after the network is programmed and drifted to a time and undone
 * before the next variant (so all variants of a repeat see the same programmed conductances). Compensation
 * schemes (global drift compensation, batch-norm re-calibration, ratio readout) implement this, usually by
 * registering {@link dev.aimc.tile.PeripheryStep}s or setting {@link dev.aimc.tile.AnalogMatrix#setOutputScale}.
 */
public interface Compensation {

    /** Variant name used in results and reports ("none", "gdc", ...). */
    String name();

    /**
     * Applies the compensation to {@code net} at its current time.
     *
     * @param calibration data the scheme may use for calibration (never the test set in a fair evaluation)
     * @return an action that undoes it
     */
    Undo apply(AnalogNetwork net, Dataset calibration);

    /** Undoes a compensation. */
    @FunctionalInterface
    interface Undo extends AutoCloseable {
        @Override
        void close();
    }

    /** No compensation. */
    Compensation NONE = new Compensation() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public Undo apply(AnalogNetwork net, Dataset calibration) {
            return () -> {};
        }
    };
}
