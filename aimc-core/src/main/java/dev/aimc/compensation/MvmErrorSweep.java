package dev.aimc.compensation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.metric.MvmError;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import dev.aimc.util.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code aimc mvm-error} experiment: a random matrix programmed on a tile, drifted, compensated by tile-level
 * schemes, and measured with {@link MvmError} (its input convention: inputs uniform in the DAC range).
 */
public final class MvmErrorSweep {
    private MvmErrorSweep() {}

    /** Tile-level scheme names accepted by {@link #parseTileSchemes}. */
    public static final List<String> NAMES = List.of("none", "gdc", "gdc-col", "gdc-ideal", "gdc-oracle", "ratio");

    /**
     * One row of an {@code aimc mvm-error} table: compensation, time, metrics (mean and sample std over repeats) and
     * the mean fraction of tile outputs at the ADC bound.
     */
    public record Row(String compensation, double timeSeconds, double mvmError, double mvmErrorStd,
            double macAccuracy, double macAccuracyStd, double saturatedFraction, int repeats) {}

    /** A tile-level compensation for {@link #sweep}. */
    public interface TileScheme {
        /**
         * Scheme name used in the table, e.g. "gdc-col".
         *
         * @return the name as parsed
         */
        String name();

        /**
         * Applies the scheme to a programmed and drifted matrix.
         *
         * @param m a programmed matrix, drifted to the time being measured
         * @return removes what the scheme registered on {@code m}
         */
        Undo apply(AnalogMatrix m);
    }

    /**
     * Parses tile-level scheme names: none; gdc (GDC through the periphery, per tile), gdc-col (per column),
     * gdc-ideal (GDC from analog reads before the ADC), gdc-oracle (GDC from noise-free drift alone); ratio
     * (conductance-ratio readout). Unknown or repeated names are ConfigExceptions.
     *
     * @param names scheme names, e.g. ["none", "gdc", "ratio"]
     * @param refCells reference cells per tile of the "ratio" scheme (≥ 1)
     * @param refTarget target conductance of the reference cells as a fraction of g_max, in (0, 1]
     * @return one scheme per name, in order
     */
    public static List<TileScheme> parseTileSchemes(List<String> names, int refCells, double refTarget) {
        List<TileScheme> out = new ArrayList<>();
        for (String raw : names) {
            String n = raw.strip();
            TileScheme s = switch (n) {
                case "none" -> scheme(n, m -> Undo.NONE);
                case "gdc" -> scheme(n, GlobalDriftCompensation.perTile()::apply);
                case "gdc-col" -> scheme(n, GlobalDriftCompensation.perColumn()::apply);
                case "gdc-ideal" -> scheme(n,
                        GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.IDEAL_ANALOG)::apply);
                case "gdc-oracle" -> scheme(n,
                        GlobalDriftCompensation.perTile(GlobalDriftCompensation.Calibration.DRIFT_ORACLE)::apply);
                case "ratio" -> scheme(n, new RatioReadout(refCells, refTarget)::apply);
                default -> throw new ConfigException("--compensation must be a list of " + String.join(", ", NAMES)
                        + ", got " + n);
            };
            if (out.stream().anyMatch(o -> o.name().equals(n))) {
                throw new ConfigException("--compensation lists " + n + " twice");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new ConfigException("--compensation must name at least one scheme");
        }
        return out;
    }

    private static TileScheme scheme(String name, Function<AnalogMatrix, Undo> f) {
        return new TileScheme() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Undo apply(AnalogMatrix m) {
                return f.apply(m);
            }
        };
    }

    /**
     * Programs a {@code cols} × {@code rows} matrix of uniform random weights in [−1, 1] on {@code device}
     * {@code repeats} times and measures, for every time and scheme, {@link MvmError#of(AnalogMatrix, NDArray, int)}
     * over {@code inputs} random input vectors. Rows are ordered by scheme, then time.
     *
     * @param device the device model the matrix is programmed on
     * @param tile the tile configuration (tile size, DAC, ADC, noise)
     * @param rows number of matrix inputs (≥ 1)
     * @param cols number of matrix outputs (≥ 1)
     * @param times inference times in seconds after programming, in increasing order
     * @param schemes the compensations compared at each time
     * @param inputs random input vectors per measurement (≥ 1)
     * @param repeats programmed chip instances (≥ 1)
     * @param seed master seed of weights, programming and noise
     * @return one row per (scheme, time): mean and sample standard deviation over repeats
     */
    public static List<Row> sweep(DeviceModel device, TileConfig tile, int rows, int cols, List<Double> times,
            List<TileScheme> schemes, int inputs, int repeats, long seed) {
        Check.range("--rows", rows, 1, 1 << 16);
        Check.range("--cols", cols, 1, 1 << 16);
        Check.range("--inputs", inputs, 1, 1 << 20);
        Check.range("--repeats", repeats, 1, 10_000);
        double[][][] eps = new double[schemes.size()][times.size()][repeats];
        double[][][] mac = new double[schemes.size()][times.size()][repeats];
        double[][][] sat = new double[schemes.size()][times.size()][repeats];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int rep = 0; rep < repeats; rep++) {
                Rng.seed(Rng.derive(seed, rep));
                NDArray w = m.randomUniform(-1f, 1f, new Shape(cols, rows));
                try (AnalogMatrix a = new AnalogMatrix(w, null, tile)) {
                    a.program(device, RandomStream.of(Rng.derive(seed, rep)));
                    for (int ti = 0; ti < times.size(); ti++) {
                        a.driftTo(times.get(ti));
                        for (int si = 0; si < schemes.size(); si++) {
                            try (Undo u = schemes.get(si).apply(a)) {
                                MvmError.Result r = AnalogNetwork.inference(() -> MvmError.of(a, w, inputs));
                                eps[si][ti][rep] = r.mvmError();
                                mac[si][ti][rep] = r.macAccuracy();
                                sat[si][ti][rep] = r.saturatedFraction();
                            }
                        }
                    }
                }
                w.close();
            }
        }
        List<Row> out = new ArrayList<>();
        for (int si = 0; si < schemes.size(); si++) {
            for (int ti = 0; ti < times.size(); ti++) {
                out.add(new Row(schemes.get(si).name(), times.get(ti), Stats.mean(eps[si][ti]),
                        Stats.sampleStd(eps[si][ti]), Stats.mean(mac[si][ti]), Stats.sampleStd(mac[si][ti]),
                        Stats.mean(sat[si][ti]), repeats));
            }
        }
        return out;
    }
}
