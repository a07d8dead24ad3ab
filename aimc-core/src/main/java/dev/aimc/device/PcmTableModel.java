package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.Check;
import java.nio.file.Path;
import java.util.Objects;

/**
 * PCM model of {@link PcmModel} (Nandakumar et al., ICECS 2019; Joshi et al., Nat. Commun. 11, 2473, 2020)
 * with the drift-exponent statistics of eq. (2) replaced by a measured table: μ_ν(g) and σ_ν(g) are linearly
 * interpolated in the target conductance g (µS) from a {@link NuTable}, clamped at its ends, and
 * ν = drift-scale·|μ_ν + σ_ν·N(0,1)|. Programming noise (1), drift (3) and read noise (4) are those of
 * {@link PcmModel}.
 *
 * @param table ν statistics against target conductance in µS
 * @param gMaxMicroSiemens g_max in µS (default 25), &gt; 0
 * @param progNoiseScale factor on σ_prog, eq. (1) (default 1), ≥ 0
 * @param driftScale factor on ν (default 1), ≥ 0
 * @param readNoiseScale factor on σ_read, eq. (4) (default 1), ≥ 0
 */
public record PcmTableModel(NuTable table, double gMaxMicroSiemens, double progNoiseScale, double driftScale,
        double readNoiseScale) implements PcmDevice {

    /**
     * Validates the parameters; a bad one gives a {@code ConfigException} naming it.
     *
     * @param table ν statistics against target conductance in µS (not null)
     * @param gMaxMicroSiemens g_max in µS, &gt; 0
     * @param progNoiseScale factor on σ_prog, eq. (1), ≥ 0
     * @param driftScale factor on ν, ≥ 0
     * @param readNoiseScale factor on σ_read, eq. (4), ≥ 0
     */
    public PcmTableModel {
        Objects.requireNonNull(table, "table");
        Check.positive("g-max", gMaxMicroSiemens);
        Check.nonNegative("prog-noise-scale", progNoiseScale);
        Check.nonNegative("drift-scale", driftScale);
        Check.nonNegative("read-noise-scale", readNoiseScale);
    }

    /**
     * Default model for a table: g_max = 25 µS, all scales 1.
     *
     * @param table the measured ν table
     * @return the model
     */
    public static PcmTableModel of(NuTable table) {
        return builder(table).build();
    }

    /**
     * Loads a CSV table ({@link NuTable#load(Path)}) and builds the default model for it.
     *
     * @param csv the table file (columns g in µS, ν mean, ν std)
     * @return the model
     * @throws dev.aimc.util.DataFormatException naming the file and line of a malformed table
     */
    public static PcmTableModel load(Path csv) {
        return of(NuTable.load(csv));
    }

    /**
     * A builder with the defaults for {@code table}.
     *
     * @param table the measured ν table
     * @return a new builder
     */
    public static Builder builder(NuTable table) {
        return new Builder(table);
    }

    /** Every parameter by its {@code --device} key ({@link DeviceModels#PCM_TABLE}'s table). */
    @Override
    public java.util.Map<String, Object> parameters() {
        return DeviceModels.PCM_TABLE.valuesOf(this);
    }

    @Override
    public String name() {
        return "pcm-table";
    }

    @Override
    public NDArray[] nuMeanStd(NDArray g, NDArray gT) {
        return table.interpolate(g); // the measured table in place of (2)
    }

    /** Builder for {@link PcmTableModel}; starts from the defaults. */
    public static final class Builder extends PcmBuilder<Builder> {
        private final NuTable table;

        private Builder(NuTable table) {
            this.table = table;
        }

        /**
         * Builds and validates.
         *
         * @return the model
         * @throws dev.aimc.util.ConfigException naming the first invalid parameter
         */
        public PcmTableModel build() {
            return new PcmTableModel(table, gMax, prog, drift, read);
        }
    }
}
