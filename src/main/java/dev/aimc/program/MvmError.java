package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.PeripheryStep;
import java.util.Arrays;

/**
 * MVM error ε = ‖y − W x‖₂ / ‖W x‖₂ over random inputs x drawn uniformly in the DAC range (y the analog output
 * of the tile path: input scaling, DAC, noisy conductances, output noise, ADC; W x exact, with the unquantized x).
 * Inputs are processed in chunks of {@value #CHUNK}, each with a fresh conductance read.
 */
public final class MvmError {
    private MvmError() {}

    /** Inputs per conductance read. */
    public static final int CHUNK = 256;
    /** Default number of inputs. */
    public static final int DEFAULT_INPUTS = 2048;

    /**
     * ε and the fraction of tile outputs that hit the ADC bound (|y| ≥ ADC range before quantization; counted over
     * all tile columns including zero padding).
     */
    public record Stats(double epsilon, double saturatedFraction) {}

    /** Random inputs [b, rows] uniform in ±dacRange. */
    public static NDArray inputs(NDManager m, int b, int rows, Periphery p) {
        return inputs(m, b, rows, p.dacRange());
    }

    static NDArray inputs(NDManager m, int b, int rows, double range) {
        return m.randomUniform(-(float) range, (float) range, new Shape(b, rows), DataType.FLOAT32);
    }

    /** ε of a crossbar under programming, right now (its own noisy MVM), normalized units. */
    public static double of(CrossbarUnderProgramming xb, NDArray wn, int n) {
        double num = 0;
        double den = 0;
        for (int done = 0; done < n; done += CHUNK) {
            int b = Math.min(CHUNK, n - done);
            try (NDManager tmp = wn.getManager().newSubManager()) {
                NDArray x = inputs(tmp, b, xb.rows(), xb.periphery());
                NDArray y = xb.mvm(x);
                NDArray yt = x.matMul(wn);
                num += y.sub(yt).square().sum().toType(DataType.FLOAT64, false).getDouble();
                den += yt.square().sum().toType(DataType.FLOAT64, false).getDouble();
            }
        }
        return Math.sqrt(num / den);
    }

    /**
     * ε of a programmed state ([2, rows, cols]) {@code tSeconds} after programming, normalized units: the state in a
     * bare tile of the periphery's configuration, drifted to t by the device model, read through its forward pass;
     * outputs scaled by {@code gdcFactor} (1 for none).
     */
    public static double of(DeviceModel device, ProgrammedState state, NDArray wn, Periphery p, double tSeconds,
            int n, double gdcFactor) {
        int rows = (int) wn.getShape().get(0);
        int cols = (int) wn.getShape().get(1);
        try (NDManager outer = wn.getManager().newSubManager()) {
            AnalogMatrix tile = SimulatedCrossbar.bareTile(outer, rows, cols, p);
            SimulatedCrossbar.load(tile, device, state.gProg(), state.nu(), tSeconds);
            NDArray w = wn.transpose();
            w.attach(outer);
            try {
                return of(tile, w, n, gdcFactor).epsilon();
            } finally {
                tile.close();
            }
        }
    }

    /**
     * ε of a programmed, drifted {@link AnalogMatrix} against its weights {@code w} [out, in] (layer units; bias
     * ignored), its outputs scaled by {@code outputScale} (1 for none, else e.g. a global drift compensation
     * factor), and the ADC saturation fraction. Uses the matrix's own forward pass.
     */
    public static Stats of(AnalogMatrix matrix, NDArray w, int n, double outputScale) {
        double num = 0;
        double den = 0;
        long[] sat = new long[2];
        double bound = matrix.config().outputRange();
        PeripheryStep counter = (y, ctx) -> {
            try (NDArray s = y.abs().gte((float) bound).sum()) {
                sat[0] += s.toType(DataType.INT64, false).getLong();
            }
            sat[1] += y.getShape().size();
            return y;
        };
        matrix.preAdcSteps().add(counter);
        try {
            for (int done = 0; done < n; done += CHUNK) {
                int b = Math.min(CHUNK, n - done);
                try (NDManager tmp = w.getManager().newSubManager()) {
                    NDArray x = inputs(tmp, b, matrix.inFeatures(), matrix.config().inputRange());
                    NDArray y = matrix.forward(x);
                    if (outputScale != 1) {
                        y = y.mul((float) outputScale);
                    }
                    NDArray yt = x.matMul(w.transpose());
                    num += y.sub(yt).square().sum().toType(DataType.FLOAT64, false).getDouble();
                    den += yt.square().sum().toType(DataType.FLOAT64, false).getDouble();
                }
            }
        } finally {
            matrix.preAdcSteps().remove(counter);
        }
        return new Stats(Math.sqrt(num / den), sat[1] == 0 ? 0 : sat[0] / (double) sat[1]);
    }

    /**
     * Global drift compensation factor of a programmed matrix at {@code tSeconds}: the summed |column current| for an
     * all-ones input right after programming divided by the same at t (drift only, no read noise; as a digital
     * periphery would calibrate it, no knowledge of W).
     */
    public static double gdcFactor(AnalogMatrix matrix, double tSeconds) {
        DeviceModel device = matrix.device();
        ProgrammedState state = matrix.state();
        try (NDManager tmp = matrix.manager().newSubManager()) {
            NDArray g0 = device.drift(state, 0);
            g0.attach(tmp);
            NDArray gt = device.drift(state, tSeconds);
            gt.attach(tmp);
            double a0 = matrix.effective(g0).sum(new int[] {2}).abs().sum().getFloat();
            double at = matrix.effective(gt).sum(new int[] {2}).abs().sum().getFloat();
            return at > 0 ? a0 / at : 1;
        }
    }

    /** A float[] of {@code n} copies of {@code v} (for {@link AnalogMatrix#setOutputScale}). */
    static float[] filled(int n, double v) {
        float[] a = new float[n];
        Arrays.fill(a, (float) v);
        return a;
    }
}
