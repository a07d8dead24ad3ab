package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;

/**
 * MVM error ε = ‖y − W x‖₂ / ‖W x‖₂ in normalized units over random inputs x drawn uniformly in the DAC range
 * (y the analog output after DAC, noisy conductances and ADC; W x exact, with the unquantized x). Inputs are
 * processed in chunks of {@value #CHUNK}, each with a fresh conductance read.
 */
public final class MvmError {
    private MvmError() {}

    /** Inputs per conductance read. */
    public static final int CHUNK = 256;
    /** Default number of inputs. */
    public static final int DEFAULT_INPUTS = 2048;

    /** Random inputs [b, rows] uniform in ±dacRange. */
    public static NDArray inputs(NDManager m, int b, int rows, Periphery p) {
        return m.randomUniform(-(float) p.dacRange(), (float) p.dacRange(), new Shape(b, rows), DataType.FLOAT32);
    }

    /** ε of a crossbar under programming, right now (its own noisy MVM). */
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
     * ε of a programmed state ([2, rows, cols]) {@code tSeconds} after programming: the device model's drift,
     * a fresh read per chunk, the periphery's DAC/ADC; optionally with global drift compensation (outputs scaled
     * by {@code gdcFactor}, 1 for none).
     */
    public static double of(DeviceModel device, ProgrammedState state, NDArray wn, Periphery p, double tSeconds,
            int n, double gdcFactor) {
        double num = 0;
        double den = 0;
        int rows = (int) wn.getShape().get(0);
        try (NDManager outer = wn.getManager().newSubManager()) {
            NDArray gd = device.drift(state, tSeconds);
            gd.attach(outer);
            for (int done = 0; done < n; done += CHUNK) {
                int b = Math.min(CHUNK, n - done);
                try (NDManager tmp = outer.newSubManager()) {
                    NDArray gr = device.read(state, gd, tSeconds);
                    gr.attach(tmp);
                    NDArray x = inputs(tmp, b, rows, p);
                    NDArray y = p.mvm(x, gr, device.gMaxMicroSiemens()).mul((float) gdcFactor);
                    NDArray yt = x.matMul(wn);
                    num += y.sub(yt).square().sum().toType(DataType.FLOAT64, false).getDouble();
                    den += yt.square().sum().toType(DataType.FLOAT64, false).getDouble();
                }
            }
        }
        return Math.sqrt(num / den);
    }

    /**
     * Global drift compensation factor at {@code tSeconds}: mean |y| of a fixed calibration batch right after
     * programming divided by its mean |y| at t (as a digital periphery would measure it; no knowledge of W).
     */
    public static double gdcFactor(DeviceModel device, ProgrammedState state, int rows, Periphery p, double tSeconds,
            NDManager m) {
        try (NDManager tmp = m.newSubManager()) {
            NDArray x = tmp.ones(new Shape(1, rows)).mul((float) p.dacRange());
            NDArray g0 = device.drift(state, 0);
            g0.attach(tmp);
            NDArray gt = device.drift(state, tSeconds);
            gt.attach(tmp);
            double a0 = x.matMul(g0.get(0).sub(g0.get(1))).abs().sum().getFloat();
            double at = x.matMul(gt.get(0).sub(gt.get(1))).abs().sum().getFloat();
            return at > 0 ? a0 / at : 1;
        }
    }
}
