package dev.aimc.cost;

import dev.aimc.util.ConfigException;
import java.util.Locale;

/**
 * Where the two devices of a differential pair are subtracted, the choice of MNSIM's {@code Sub_Position} for
 * crossbars of polarity 2 (one positive and one negative array; Zhu-Zhenhua/MNSIM_Python, {@code SimConfig.ini} and
 * {@code MNSIM/Hardware_Model/PE.py}, commit 04d21e9df8e06facdd6a6a1aedf4f84d4fe8fecb: "0: the subtraction of pos and
 * neg xbar is performed in the analog domain; 1: in the digital domain (sub after ADC quantization)", and with 1 the
 * PE has twice the ADCs). It applies to differential pairs ({@link dev.aimc.tile.TileConfig.Mapping#DIFFERENTIAL}
 * and the bipolar tiles of {@link dev.aimc.tile.TileConfig.Mapping#PER_TILE_SIGN}); other mappings are costed the
 * same either way.
 */
public enum PairReadout {
    /** The pair's currents are subtracted before one conversion per column (one subtractor per column). */
    ANALOG,
    /**
     * Each device's column is converted on its own (twice the ADCs, sample-and-holds and conversions of a pair
     * column) and the two codes are subtracted digitally (one digital operation per pair column and conversion); no
     * analog subtractor.
     */
    DIGITAL;

    /**
     * The readout of a command-line label (analog, digital; any case).
     *
     * @param option the option named in the error
     * @param label the label
     * @return the readout
     * @throws ConfigException naming the option for an unknown label
     */
    public static PairReadout parse(String option, String label) {
        return switch (label == null ? "" : label.strip().toLowerCase(Locale.ROOT)) {
            case "analog" -> ANALOG;
            case "digital" -> DIGITAL;
            default -> throw new ConfigException(option + " must be analog or digital, got " + label);
        };
    }
}
