package dev.aimc.cli;

import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import picocli.CommandLine.Option;

/**
 * The tile's periphery errors, to be mixed into a command with {@code @CommandLine.Mixin PeripheryOptions periphery;}:
 * IR drop along word and bit lines and per-column ADC gain and offset mismatch (all off by default).
 */
public final class PeripheryOptions {

    @Option(names = "--ir-drop", paramLabel = "R_GMAX", defaultValue = "0",
            description = "IR drop: wire resistance of one cell-to-cell segment times g_max (dimensionless; 0 = "
                    + "ideal wires, aihwkit's 0.35 ohm per cell at 25 uS is 8.75e-6) (default: ${DEFAULT-VALUE}).")
    double irDrop;

    @Option(names = "--adc-gain-std", paramLabel = "SIGMA", defaultValue = "0",
            description = "Per-column ADC gain mismatch: relative std, drawn once per chip (default: ${DEFAULT-VALUE}).")
    double adcGainStd;

    @Option(names = "--adc-offset-std", paramLabel = "COUNTS", defaultValue = "0",
            description = "Per-column ADC offset: std in ADC counts (LSB), drawn once per chip "
                    + "(default: ${DEFAULT-VALUE}).")
    double adcOffsetStd;

    /**
     * Sets the periphery errors on {@code b}; the build validates them.
     *
     * @param b the tile configuration builder
     * @return {@code b}
     */
    public TileConfig.Builder applyTo(TileConfig.Builder b) {
        return b.wireResistance(irDrop).adcMismatch(adcGainStd, adcOffsetStd);
    }

    /**
     * Builds {@code b} with the periphery errors, naming the command-line option in an error.
     *
     * @param b the tile configuration builder (other settings already set)
     * @return the validated configuration
     * @throws ConfigException naming --ir-drop, --adc-gain-std, --adc-offset-std or another option
     */
    public TileConfig build(TileConfig.Builder b) {
        try {
            return applyTo(b).build();
        } catch (ConfigException e) {
            throw e.getMessage().startsWith("--") ? e : new ConfigException("--" + e.getMessage());
        }
    }
}
