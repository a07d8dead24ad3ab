package dev.aimc.device;

import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.nio.file.Path;

/** Builds {@link DeviceModel}s by name, as given to {@code --device}. */
public final class DeviceModels {
    private DeviceModels() {}

    /** Prefix of a table-driven PCM model: {@code pcm-table:FILE.csv}. */
    public static final String PCM_TABLE_PREFIX = "pcm-table:";

    /**
     * Overrides applied on top of a model's defaults.
     *
     * @param gMaxMicroSiemens g_max in µS, or NaN to keep the model's default
     * @param progNoiseScale factor on the programming noise (PCM σ_prog, RRAM log-normal σ), ≥ 0
     * @param driftScale factor on the drift exponent ν (no effect on drift-free models), ≥ 0
     * @param readNoiseScale factor on the read noise, ≥ 0
     */
    public record Options(double gMaxMicroSiemens, double progNoiseScale, double driftScale,
            double readNoiseScale) {

        /** Validates; a bad value gives a {@code ConfigException} naming the option. */
        public Options {
            if (!Double.isNaN(gMaxMicroSiemens)) {
                Check.positive("--g-max", gMaxMicroSiemens);
            }
            Check.nonNegative("--prog-noise-scale", progNoiseScale);
            Check.nonNegative("--drift-scale", driftScale);
            Check.nonNegative("--read-noise-scale", readNoiseScale);
        }

        /** No overrides: default g_max, all scales 1. */
        public static Options defaults() {
            return new Options(Double.NaN, 1, 1, 1);
        }
    }

    /**
     * The default model for a name: "pcm" ({@link PcmModel#defaults()}), "rram" ({@link RramModel#defaults()}),
     * "ideal" ({@link IdealModel#defaults()}) or "pcm-table:FILE.csv" ({@link PcmTableModel#load(Path)}).
     *
     * @throws ConfigException for an unknown name
     * @throws dev.aimc.util.DataFormatException for an unreadable or invalid table file
     */
    public static DeviceModel parse(String name) {
        return parse(name, Options.defaults());
    }

    /** Like {@link #parse(String)}, with g_max and noise scales overridden by {@code o}. */
    public static DeviceModel parse(String name, Options o) {
        String n = name == null ? "" : name.strip();
        boolean keepGMax = Double.isNaN(o.gMaxMicroSiemens());
        switch (n) {
            case "pcm":
                return new PcmModel(keepGMax ? PcmModel.DEFAULT_G_MAX_US : o.gMaxMicroSiemens(),
                        o.progNoiseScale(), o.driftScale(), o.readNoiseScale());
            case "ideal":
                return new IdealModel(keepGMax ? IdealModel.DEFAULT_G_MAX_US : o.gMaxMicroSiemens());
            case "rram": {
                RramModel d = RramModel.defaults();
                return new RramModel(d.gMinMicroSiemens(), keepGMax ? d.gMaxMicroSiemens() : o.gMaxMicroSiemens(),
                        d.bitsPerCell(), d.logNormalSigma() * o.progNoiseScale(), d.stuckAtMinRate(),
                        d.stuckAtMaxRate(), d.readNoiseRelStd() * o.readNoiseScale());
            }
            default:
                if (n.startsWith(PCM_TABLE_PREFIX) && n.length() > PCM_TABLE_PREFIX.length()) {
                    NuTable table = NuTable.load(Path.of(n.substring(PCM_TABLE_PREFIX.length())));
                    return new PcmTableModel(table, keepGMax ? PcmModel.DEFAULT_G_MAX_US : o.gMaxMicroSiemens(),
                            o.progNoiseScale(), o.driftScale(), o.readNoiseScale());
                }
                throw new ConfigException("--device must be one of pcm, rram, ideal, pcm-table:FILE, got " + name);
        }
    }
}
