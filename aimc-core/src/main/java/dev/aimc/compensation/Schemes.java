package dev.aimc.compensation;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The named network-level compensation variants of {@code aimc evaluate --compensation} and of experiment files; the
 * command line and the experiment-file parser turn names into {@link Compensation} objects here ({@link #parse}),
 * the experiment engine only sees the objects:
 * <ul>
 *   <li>{@code gdc}: global drift compensation, one scale per tile, calibrated through the periphery
 *       ({@link GlobalDriftCompensation#perTile()});</li>
 *   <li>{@code gdc-col}: the per-column variant;</li>
 *   <li>{@code gdc-ideal}, {@code gdc-oracle}: GDC per tile calibrated by analog reads before the ADC, or by the
 *       noise-free drift alone ({@link GlobalDriftCompensation.Calibration}), for comparison;</li>
 *   <li>{@code adabs}: batch-norm statistics recalibration on {@link AdaBs#DEFAULT_SAMPLES} training images;</li>
 *   <li>{@code gdc+adabs}: GDC, then AdaBS through the GDC-compensated network (Joshi et al.'s combination);</li>
 *   <li>{@code ratio}: conductance-ratio readout with {@link RatioReadout#DEFAULT_CELLS} reference cells per tile;</li>
 *   <li>{@code ratio+adabs}: the ratio readout, then AdaBS.</li>
 * </ul>
 * Names may be combined with "+" in any order of the primitives gdc, gdc-col, ratio, adabs (tile schemes first,
 * AdaBS last).
 */
public final class Schemes {
    private Schemes() {}

    private static volatile int adabsSamples = AdaBs.DEFAULT_SAMPLES;

    /**
     * Calibration images used by AdaBS variants created after this call (experiment files set it).
     *
     * @param n calibration images (≥ 1)
     * @throws ConfigException when {@code n} is below 1
     */
    public static void setAdabsSamples(int n) {
        adabsSamples = new AdaBs(n, AdaBs.DEFAULT_BATCH).samples();
    }

    /**
     * Calibration images used by AdaBS variants created from now on (default {@link AdaBs#DEFAULT_SAMPLES}).
     *
     * @return the number of samples
     */
    public static int adabsSamples() {
        return adabsSamples;
    }

    /** The names listed in help texts and error messages (any "+" combination of the primitives is accepted). */
    public static final List<String> NAMES = List.of("none", "gdc", "gdc-col", "gdc-ideal", "gdc-oracle", "adabs",
            "ratio", "gdc+adabs", "gdc-col+adabs", "ratio+adabs");

    private static final List<String> PRIMITIVES = List.of("gdc", "gdc-col", "gdc-ideal", "gdc-oracle", "ratio",
            "adabs");

    /**
     * The names known ({@link #NAMES}).
     *
     * @return the primitive and combined variant names, e.g. "none", "gdc", "gdc+adabs"
     */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * True when {@code name} is "none" or a "+" combination of known primitives.
     *
     * @param name a variant name, e.g. "gdc+adabs"
     * @return whether {@link #create} accepts it
     */
    public static boolean isKnown(String name) {
        String n = name == null ? "" : name.strip();
        return n.equals("none") || (!n.isEmpty() && PRIMITIVES.containsAll(List.of(n.split("\\+", -1))));
    }

    /**
     * Parses variant names (e.g. from {@code --compensation}); an unknown or repeated name, or an empty list, is a
     * ConfigException naming the option.
     *
     * @param names the variant names, e.g. ["none", "gdc"]
     * @return one fresh compensation per name, in order
     * @throws ConfigException naming --compensation, the name and the known names
     */
    public static List<Compensation> parse(List<String> names) {
        List<Compensation> out = new ArrayList<>();
        for (String raw : names) {
            String n = raw.strip();
            if (!isKnown(n)) {
                throw new ConfigException("--compensation must be a list of " + String.join(", ", NAMES)
                        + " (or a '+' combination of " + String.join(", ", PRIMITIVES) + "), got " + raw);
            }
            if (out.stream().anyMatch(c -> c.name().equals(n))) {
                throw new ConfigException("--compensation lists " + n + " twice");
            }
            out.add(create(n));
        }
        if (out.isEmpty()) {
            throw new ConfigException("--compensation must name at least one variant, got " + names);
        }
        return out;
    }

    /**
     * Builds a variant (fresh state: references are taken anew).
     *
     * @param name a known variant name (see {@link #isKnown})
     * @return a new compensation, with no reference read yet
     */
    public static Compensation create(String name) {
        if (name.equals("none")) {
            return Compensation.NONE;
        }
        List<String> parts = List.of(name.split("\\+"));
        boolean adabs = parts.contains("adabs");
        GlobalDriftCompensation gdc = parts.contains("gdc") ? GlobalDriftCompensation.perTile()
                : parts.contains("gdc-col") ? GlobalDriftCompensation.perColumn()
                : parts.contains("gdc-ideal")
                        ? GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)
                : parts.contains("gdc-oracle")
                        ? GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.DRIFT_ORACLE)
                : null;
        RatioReadout ratio = parts.contains("ratio") ? RatioReadout.defaults() : null;
        AdaBs ada = adabs ? new AdaBs(adabsSamples, AdaBs.DEFAULT_BATCH) : null;
        for (String p : parts) {
            if (!PRIMITIVES.contains(p)) {
                throw new ConfigException("--compensation: unknown scheme " + p + " in " + name);
            }
        }
        return new Compensation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Undo apply(AnalogNetwork net, Dataset calibration) {
                List<Undo> undos = new ArrayList<>();
                try {
                    if (ratio != null) {
                        undos.add(ratio.apply(net));
                    }
                    if (gdc != null) {
                        undos.add(gdc.apply(net));
                    }
                    if (ada != null) {
                        NDManager m = NDManager.newBaseManager();
                        undos.add(m::close);
                        undos.add(ada.apply(net, calibration, m));
                    }
                } catch (RuntimeException e) {
                    Undo.all(undos).close();
                    throw e;
                }
                return Undo.all(undos);
            }
        };
    }

    /**
     * True when a variant name needs calibration images (AdaBS).
     *
     * @param names variant names
     * @return true when any of them includes "adabs"
     */
    public static boolean needsCalibration(List<String> names) {
        return names.stream().anyMatch(n -> List.of(n.split("\\+")).contains("adabs"));
    }
}
