package dev.aimc.compensation;

import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogNetwork;

/**
 * A variant of the analog evaluation, applied after the network is programmed and drifted to a time and undone
 * before the next variant (so all variants of a repeat see the same programmed conductances). {@link Schemes}
 * builds the named ones ({@code gdc}, {@code adabs}, {@code ratio} and their combinations); a user may implement
 * this interface for a scheme of their own and hand it to the experiment engine. Schemes usually register
 * {@link dev.aimc.tile.PeripheryStep}s or set {@link dev.aimc.tile.AnalogMatrix#setOutputScale}.
 */
public interface Compensation {

    /**
     * Variant name used in results and reports ("none", "gdc", ...).
     *
     * @return the name, e.g. "gdc+adabs"
     */
    String name();

    /**
     * Applies the compensation to {@code net} at its current time.
     *
     * @param calibration data the scheme may use for calibration (never the test set in a fair evaluation)
     * @param net the programmed analog network, drifted to the time being evaluated
     * @return an action that undoes it
     */
    Undo apply(AnalogNetwork net, Dataset calibration);

    /** No compensation. */
    Compensation NONE = new Compensation() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public Undo apply(AnalogNetwork net, Dataset calibration) {
            return Undo.NONE;
        }
    };
}
