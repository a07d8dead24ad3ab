package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.device.DeviceModel;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * Unit-cell program-and-verify: every device gets the open-loop pulse to its target, then repeatedly: read all
 * devices (read noise + cell-read ADC), mark those whose read is within ±margin ADC counts of the target as
 * converged, and pulse the others by (target − read). A device stops at convergence or after
 * {@code maxIterations} pulses (the open-loop pulse included), so no device ever gets more than
 * {@code maxIterations} pulses. All devices advance together as tensors (a 0/1 mask of active devices).
 *
 * <p>The acceptance margin ("verify tolerance") sets the pulse budget: at the default ±5 counts (±1.97 µS at
 * g_max = 25 µS) about 96 % of the devices accept their first pulse; at ±1 count most need several
 * ({@code aimc program --verify-tolerance 1,2,3,5} compares them with GDP at equal pulses per device).
 *
 * @param marginCounts acceptance margin ("verify tolerance") in single-cell ADC counts, ≥ 0 (default 5)
 * @param maxIterations maximum pulses per device, ≥ 1 (default 30)
 * @param historyInputs inputs for the ε-per-iteration history, 0 to skip it (default 512)
 */
public record ProgramVerify(double marginCounts, int maxIterations, int historyInputs) implements CrossbarProgrammer {

    /** Default acceptance margin, single-cell ADC counts. */
    public static final double DEFAULT_MARGIN_COUNTS = 5;
    /** Default maximum pulses per device. */
    public static final int DEFAULT_MAX_ITERATIONS = 30;

    /**
     * Validates.
     *
     * @param marginCounts acceptance margin in single-cell ADC counts, ≥ 0
     * @param maxIterations maximum pulses per device, ≥ 1
     * @param historyInputs inputs for the ε history, ≥ 0
     */
    public ProgramVerify {
        Check.nonNegative("margin", marginCounts);
        Check.range("iterations", maxIterations, 1, 1_000_000);
        Check.range("history-inputs", historyInputs, 0, 1 << 20);
    }

    /**
     * The defaults: margin of 5 single-cell ADC counts, at most 30 pulses per device, ε history over 512 inputs.
     *
     * @return the defaults
     */
    public static ProgramVerify defaults() {
        return new ProgramVerify(DEFAULT_MARGIN_COUNTS, DEFAULT_MAX_ITERATIONS, 512);
    }

    /**
     * This configuration with another history size.
     *
     * @param n inputs for the ε history, 0 to skip it
     * @return a new, validated configuration
     */
    public ProgramVerify withHistoryInputs(int n) {
        return new ProgramVerify(marginCounts, maxIterations, n);
    }

    /**
     * This configuration with another margin.
     *
     * @param v acceptance margin in single-cell ADC counts, ≥ 0
     * @return a new, validated configuration
     */
    public ProgramVerify withMarginCounts(double v) {
        return new ProgramVerify(v, maxIterations, historyInputs);
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public ProgramResult run(DeviceModel device, CrossbarUnderProgramming xb, NDArray targetsMicroSiemens) {
        long t0 = System.nanoTime();
        NDManager m = targetsMicroSiemens.getManager();
        List<Double> hist = new ArrayList<>();
        int iterations = 1;
        try (NDManager work = m.newSubManager()) {
            NDArray targets = targetsMicroSiemens.duplicate();
            targets.attach(work);
            NDArray wnw = Targets.weight(targets, xb.gMax());
            Programming.openLoop(xb, targets);
            if (historyInputs > 0) {
                hist.add(Programming.mvmError(xb, wnw, historyInputs));
            }
            float margin = (float) (marginCounts * xb.periphery().cellReadStepMicroSiemens(xb.gMax()));
            NDArray done = work.zeros(targets.getShape(), DataType.FLOAT32);
            for (int it = 2; it <= maxIterations; it++) {
                boolean any;
                try (NDManager tmp = work.newSubManager()) {
                    NDArray read = xb.readCells(tmp);
                    NDArray err = targets.sub(read);
                    NDArray within = err.abs().lte(margin).toType(DataType.FLOAT32, false);
                    NDArray newDone = done.maximum(within);
                    newDone.attach(work);
                    done.close();
                    done = newDone;
                    NDArray active = done.neg().add(1f);
                    any = active.max().getFloat() > 0;
                    if (any) {
                        xb.pulse(err, active);
                        iterations = it;
                    }
                }
                if (!any) {
                    break;
                }
                if (historyInputs > 0) {
                    hist.add(Programming.mvmError(xb, wnw, historyInputs));
                }
            }
        }
        return Programming.result("verify", device, xb, m, iterations, t0,
                hist.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
