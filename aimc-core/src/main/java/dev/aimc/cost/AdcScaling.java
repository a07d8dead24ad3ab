package dev.aimc.cost;

import dev.aimc.util.ConfigException;
import java.util.Locale;

/**
 * How an ADC's energy per conversion and its area follow its resolution b, relative to the figures given at a
 * reference resolution b₀: factor(b) = base^(b − b₀). Both published scalings apply the same factor to energy and
 * area (the capacitor array of a SAR converter, which sets both, grows with the energy law).
 */
public enum AdcScaling {
    /**
     * Walden figure of merit: E/conversion = FOM_W · 2^ENOB, so energy ∝ 2^b (R. H. Walden, "Analog-to-digital
     * converter survey and analysis", IEEE JSAC 17(4), 1999). Typical of low and medium resolution converters.
     */
    WALDEN(2.0),
    /**
     * Thermal-noise-limited regime: E/conversion ∝ 4^ENOB (kT/C noise; Schreier figure of merit), the asymptote at
     * high resolution in B. Murmann's ADC performance survey (1997–present, Stanford).
     */
    THERMAL(4.0);

    private final double base;

    AdcScaling(double base) {
        this.base = base;
    }

    /**
     * The factor on energy and area at {@code bits} relative to {@code referenceBits}.
     *
     * @param bits the resolution, bits (≥ 1)
     * @param referenceBits the resolution the figures were given at, bits (≥ 1)
     * @return base^(bits − referenceBits): 2^Δb (Walden) or 4^Δb (thermal)
     */
    public double factor(int bits, int referenceBits) {
        return Math.pow(base, bits - referenceBits);
    }

    /**
     * The scaling of a command-line or file label (walden, thermal; any case).
     *
     * @param option the option or key named in the error
     * @param label the label
     * @return the scaling
     * @throws ConfigException naming the option for an unknown label
     */
    public static AdcScaling parse(String option, String label) {
        return switch (label == null ? "" : label.strip().toLowerCase(Locale.ROOT)) {
            case "walden" -> WALDEN;
            case "thermal" -> THERMAL;
            default -> throw new ConfigException(option + " must be walden or thermal, got " + label);
        };
    }
}
