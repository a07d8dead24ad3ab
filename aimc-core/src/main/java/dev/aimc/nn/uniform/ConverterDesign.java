package dev.aimc.nn.uniform;

import dev.aimc.util.ConfigException;
import dev.aimc.util.OptionLabels;

/** How the analog design of a network's layers is chosen. */
public enum ConverterDesign {
    /** One design (weight quantizer, DAC, ADC) for every layer: uniform scaling. */
    UNIFORM,
    /** Each layer its own ranges, tuned to that layer (same cell and converter resolutions). */
    PER_LAYER;

    /**
     * Lower-case name, as on the command line and in checkpoints.
     *
     * @return "uniform" or "per-layer"
     */
    public String label() {
        return OptionLabels.label(this);
    }

    /**
     * Parses a label (any case).
     *
     * @param option the option named in the error
     * @param s "uniform" or "per-layer"
     * @return the design
     * @throws ConfigException naming {@code option} for any other value
     */
    public static ConverterDesign parse(String option, String s) {
        return OptionLabels.parse(option, ConverterDesign.class, s);
    }
}
