package dev.aimc.compensation;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.experiment.Compensation;
import dev.aimc.experiment.Compensations;
import dev.aimc.nn.AnalogNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The network-level compensation variants of {@code aimc evaluate --compensation} and of experiment files, registered
 * in {@link Compensations}:
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

    /** Calibration images used by AdaBS variants created after this call (experiment files set it). */
    public static void setAdabsSamples(int n) {
        adabsSamples = new AdaBs(n, AdaBs.DEFAULT_BATCH).samples();
    }

    public static int adabsSamples() {
        return adabsSamples;
    }

    /** Registers the variants; idempotent. */
    public static void registerAll() {
        for (String n : List.of("gdc", "gdc-col", "gdc-ideal", "gdc-oracle", "adabs", "ratio", "gdc+adabs",
                "gdc-col+adabs", "ratio+adabs")) {
            Compensations.register(n, factory(n));
        }
    }

    /** A factory for a variant name made of primitives joined by "+". */
    public static Supplier<Compensation> factory(String name) {
        return () -> create(name);
    }

    /** Builds a variant (fresh state: references are taken anew). */
    public static Compensation create(String name) {
        List<String> parts = List.of(name.split("\\+"));
        boolean adabs = parts.contains("adabs");
        GlobalDriftCompensation gdc = parts.contains("gdc") ? GlobalDriftCompensation.perTile()
                : parts.contains("gdc-col") ? GlobalDriftCompensation.perColumn()
                : parts.contains("gdc-ideal") ? GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)
                : parts.contains("gdc-oracle") ? GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.DRIFT_ORACLE)
                : null;
        RatioReadout ratio = parts.contains("ratio") ? RatioReadout.defaults() : null;
        AdaBs ada = adabs ? new AdaBs(adabsSamples, AdaBs.DEFAULT_BATCH) : null;
        for (String p : parts) {
            if (!List.of("gdc", "gdc-col", "gdc-ideal", "gdc-oracle", "ratio", "adabs").contains(p)) {
                throw new dev.aimc.util.ConfigException("--compensation: unknown scheme " + p + " in " + name);
            }
        }
        return new Compensation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Compensation.Undo apply(AnalogNetwork net, Dataset calibration) {
                List<dev.aimc.compensation.Undo> undos = new ArrayList<>();
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
                    dev.aimc.compensation.Undo.all(undos).close();
                    throw e;
                }
                dev.aimc.compensation.Undo all = dev.aimc.compensation.Undo.all(undos);
                return all::close;
            }
        };
    }

    /** True when a variant name needs calibration images (AdaBS). */
    public static boolean needsCalibration(List<String> names) {
        return names.stream().anyMatch(n -> List.of(n.split("\\+")).contains("adabs"));
    }
}
