package dev.aimc.compensation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.Rng;
import dev.aimc.util.Stats;
import java.util.ArrayList;
import java.util.List;

/**
 * MVM error and MAC accuracy of a crossbar matrix against the exact product.
 *
 * <ul>
 *   <li>MVM error ε = ‖y − y_ideal‖₂ / ‖y_ideal‖₂ over all outputs of all input vectors (Frobenius norms);</li>
 *   <li>MAC accuracy = 1 − RMS(y − y_ideal) / (max(y_ideal) − min(y_ideal)), the RMS error relative to the
 *       range of the exact outputs (Antolini et al. 2023's figure of merit).</li>
 * </ul>
 */
public final class MvmError {
    private MvmError() {}

    /** Default number of random input vectors. */
    public static final int DEFAULT_INPUTS = 2048;

    /** The two figures of merit. */
    public record Metrics(double mvmError, double macAccuracy) {}

    /** One row of an {@code aimc mvm-error} table: compensation, time, metrics (mean and std over repeats). */
    public record Row(String compensation, double timeSeconds, double mvmError, double mvmErrorStd,
            double macAccuracy, double macAccuracyStd, int repeats) {}

    /** Metrics of outputs {@code y} against {@code ideal} (same shape, any layout), in double precision. */
    public static Metrics of(NDArray y, NDArray ideal) {
        return of(y.toType(DataType.FLOAT64, false).toDoubleArray(),
                ideal.toType(DataType.FLOAT64, false).toDoubleArray());
    }

    /** Metrics of flattened outputs. */
    public static Metrics of(double[] y, double[] ideal) {
        if (y.length != ideal.length || y.length == 0) {
            throw new IllegalArgumentException("y and ideal need the same nonzero length, got " + y.length + " and "
                    + ideal.length);
        }
        double se = 0;
        double si = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < y.length; i++) {
            double d = y[i] - ideal[i];
            se += d * d;
            si += ideal[i] * ideal[i];
            lo = Math.min(lo, ideal[i]);
            hi = Math.max(hi, ideal[i]);
        }
        double eps = si > 0 ? Math.sqrt(se / si) : Double.NaN;
        double rms = Math.sqrt(se / y.length);
        double mac = hi > lo ? 1 - rms / (hi - lo) : Double.NaN;
        return new Metrics(eps, mac);
    }

    /** A tile-level compensation for {@link #sweep}: "none", "gdc", "gdc-col" or "ratio". */
    public interface TileScheme {
        String name();

        /** Applies the scheme to a programmed and drifted matrix. */
        Undo apply(AnalogMatrix m);
    }

    /** Parses tile-level scheme names (none, gdc, gdc-col, ratio); unknown names are ConfigExceptions. */
    public static List<TileScheme> parseTileSchemes(List<String> names, int refCells, double refTarget) {
        List<TileScheme> out = new ArrayList<>();
        for (String raw : names) {
            String n = raw.strip();
            TileScheme s = switch (n) {
                case "none" -> scheme(n, m -> Undo.NONE);
                case "gdc" -> {
                    GlobalDriftCompensation g = GlobalDriftCompensation.perTile();
                    yield scheme(n, g::apply);
                }
                case "gdc-col" -> {
                    GlobalDriftCompensation g = GlobalDriftCompensation.perColumn();
                    yield scheme(n, g::apply);
                }
                case "ratio" -> {
                    RatioReadout r = new RatioReadout(refCells, refTarget);
                    yield scheme(n, r::apply);
                }
                default -> throw new dev.aimc.util.ConfigException(
                        "--compensation must be a list of none, gdc, gdc-col, ratio, got " + n);
            };
            if (out.stream().anyMatch(o -> o.name().equals(n))) {
                throw new dev.aimc.util.ConfigException("--compensation lists " + n + " twice");
            }
            out.add(s);
        }
        if (out.isEmpty()) {
            throw new dev.aimc.util.ConfigException("--compensation must name at least one scheme");
        }
        return out;
    }

    private static TileScheme scheme(String name, java.util.function.Function<AnalogMatrix, Undo> f) {
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
     * {@code repeats} times and measures, for every time and scheme, the metrics over {@code inputs} uniform random
     * input vectors in [−1, 1] (fresh read noise per evaluation). Rows are ordered by scheme, then time.
     */
    public static List<Row> sweep(DeviceModel device, TileConfig tile, int rows, int cols, List<Double> times,
            List<TileScheme> schemes, int inputs, int repeats, long seed) {
        Check.range("--rows", rows, 1, 1 << 16);
        Check.range("--cols", cols, 1, 1 << 16);
        Check.range("--inputs", inputs, 1, 1 << 20);
        Check.range("--repeats", repeats, 1, 10_000);
        double[][][] eps = new double[schemes.size()][times.size()][repeats];
        double[][][] mac = new double[schemes.size()][times.size()][repeats];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int rep = 0; rep < repeats; rep++) {
                long s = Rng.derive(seed, rep);
                Rng.seed(s);
                NDArray w = m.randomUniform(-1f, 1f, new Shape(cols, rows));
                NDArray x = m.randomUniform(-1f, 1f, new Shape(inputs, rows));
                NDArray ideal = x.matMul(w.transpose());
                try (AnalogMatrix a = new AnalogMatrix(w, null, tile)) {
                    a.program(device);
                    for (int ti = 0; ti < times.size(); ti++) {
                        a.driftTo(times.get(ti));
                        for (int si = 0; si < schemes.size(); si++) {
                            try (Undo u = schemes.get(si).apply(a); NDManager b = m.newSubManager()) {
                                NDArray xb = x.duplicate();
                                xb.attach(b);
                                NDArray y = AnalogNetwork.inference(() -> a.forward(xb));
                                Metrics mt = of(y, ideal);
                                eps[si][ti][rep] = mt.mvmError();
                                mac[si][ti][rep] = mt.macAccuracy();
                            }
                        }
                    }
                }
                w.close();
                x.close();
                ideal.close();
            }
        }
        List<Row> out = new ArrayList<>();
        for (int si = 0; si < schemes.size(); si++) {
            for (int ti = 0; ti < times.size(); ti++) {
                out.add(new Row(schemes.get(si).name(), times.get(ti), Stats.mean(eps[si][ti]), Stats.sampleStd(eps[si][ti]),
                        Stats.mean(mac[si][ti]), Stats.sampleStd(mac[si][ti]), repeats));
            }
        }
        return out;
    }
}
