package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.metric.MvmError;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient-descent-based programming (GDP, Büchel et al., IEEE JETCAS 2023): after the open-loop pulse, for K
 * iterations draw B random inputs X uniform in the DAC range, run the simulated analog MVM y = ADC(DAC(X)·W_a)
 * (fresh read noise each iteration), form E = y − X·W (normalized units) and request the weight step
 * ΔW = −η·Xᵀ·E/B, i.e. ΔG = g_max·ΔW µS.
 *
 * <p>Sign convention: a positive ΔG is applied as an increment pulse to G+, a negative one as an increment pulse
 * of |ΔG| to G− (so GDP only uses gradual SET-like increments, never decrements). Devices whose requested
 * |ΔG| is below {@code minStepRel}·g_max get no pulse in that iteration (no pulse is counted). The default
 * threshold is the calibrated absolute pulse error σ_abs (0.0105·g_max): a pulse whose requested step is smaller
 * than its own random error does more harm than good. Without it (threshold 0) every device is pulsed every
 * iteration and the σ_abs errors accumulate: on the Gaussian 256×256 seed-0 matrix ε fell from 0.126 to 0.110
 * in 10 iterations and then rose to 0.140 at 100 iterations (51 pulses per device).
 *
 * <p>Defaults (K = 30, η = 0.3, B = 256, threshold σ_abs, inputs uniform in the DAC range) were chosen once on
 * the Gaussian 256×256 seed-0 matrix (PCM, calibrated pulses, 8-bit DAC/ADC), ε after programming:
 * η = 0.3/B = 256/θ = 0 (K = 20): 0.112; η = 0.3/B = 256/θ = σ_abs: 0.092; η = 1/B = 256/θ = σ_abs: 0.132;
 * η = 1/B = 512/θ = 0.5 µS: 0.094 (verify: 0.109, one-shot model: 0.110). They are used unchanged on every
 * other matrix. Measured with those defaults before the reads went through the tile package and before the
 * saturation mask (PCM, t = 0, 2,048 inputs, ProgramBench cmp; current numbers through the tile path, trained
 * layers included: {@code docs/results/programming/README.md}):
 * <pre>
 * matrix               oneshot openloop verify gdp    gdp pulses/device
 * gauss 256² seeds 0-2 0.110   0.126    0.109  0.092  1.5
 * uniform 256² s0      0.108   0.129    0.108  0.099  3.4
 * gauss 512² s0        0.118   0.132    0.116  0.100  2.1
 * gauss 128x512 s4     0.106   0.123    0.104  0.092  1.4
 * uniform 512² s3      0.205   0.216    0.205  0.229  9.7   (ADC saturates: output std ≈ 7.5 vs range 12)
 * </pre>
 *
 * @param iterations K, ≥ 0
 * @param lr η (dimensionless, on normalized weights), &gt; 0
 * @param batch B, ≥ 1
 * @param minStepRel smallest requested |ΔG| that is applied, relative to g_max, ≥ 0
 * @param historyInputs inputs for the ε-per-iteration history, 0 to skip it
 * @param maskSaturated leave outputs at the ADC's full-scale code out of the update (default true; see below)
 *
 * <p><b>ADC saturation.</b> E = y − X·W is formed from the ADC output y = clip(·); where the clip is active its
 * derivative is zero, so the true gradient of ‖E‖² gets no contribution from that output. The plain update
 * (maskSaturated = false) instead reads the clipping as a too-small weight and grows |W| along X, which pushes
 * more outputs into saturation. Measured (PCM, 8-bit ADC range 12, tile read path, seed 3, uniform 512²):
 * without the mask GDP ended at ε 0.229 with 14.3% of outputs saturated and 9.8 pulses per device (verify 0.206,
 * 11.2% saturated; an exactly programmed noise-free tile 0.191, 11.3%: the periphery floor); with the mask
 * 0.202, 11.2% saturated, 3.2 pulses per device. Gaussian 512² seed 0: 0.1002 → 0.0999 (0.4% saturated).
 */
public record Gdp(int iterations, double lr, int batch, double minStepRel, int historyInputs,
        boolean maskSaturated) implements CrossbarProgrammer {

    /** Default iteration count K. */
    public static final int DEFAULT_ITERATIONS = 30;
    /** Default learning rate η on normalized weights. */
    public static final double DEFAULT_LR = 0.3;
    /** Default batch size B: random inputs per iteration. */
    public static final int DEFAULT_BATCH = 256;
    /** Default smallest applied step: the pulse model's σ_abs (1.05 % of g_max), below which a pulse is noise. */
    public static final double DEFAULT_MIN_STEP_REL = PulseModel.DEFAULT_SIGMA_ABS_REL;

    /**
     * With the saturation mask on (the default).
     *
     * @param iterations K, ≥ 0
     * @param lr η, &gt; 0
     * @param batch B, ≥ 1
     * @param minStepRel smallest applied |ΔG| relative to g_max, ≥ 0
     * @param historyInputs inputs for the ε history, ≥ 0
     */
    public Gdp(int iterations, double lr, int batch, double minStepRel, int historyInputs) {
        this(iterations, lr, batch, minStepRel, historyInputs, true);
    }

    /**
     * Validates.
     *
     * @param iterations K, ≥ 0
     * @param lr η, &gt; 0
     * @param batch B, ≥ 1
     * @param minStepRel smallest applied |ΔG| relative to g_max, ≥ 0
     * @param historyInputs inputs for the ε history, ≥ 0
     * @param maskSaturated leave outputs at the ADC's full-scale code out of the update
     */
    public Gdp {
        Check.range("iterations", iterations, 0, 1_000_000);
        Check.positive("lr", lr);
        Check.range("batch", batch, 1, 1 << 20);
        Check.nonNegative("min-step", minStepRel);
        Check.range("history-inputs", historyInputs, 0, 1 << 20);
    }

    /**
     * The defaults: K = 30 iterations, η = 0.3, B = 256, min step σ_abs, ε history over 512 inputs, saturation mask on.
     *
     * @return the defaults
     */
    public static Gdp defaults() {
        return new Gdp(DEFAULT_ITERATIONS, DEFAULT_LR, DEFAULT_BATCH, DEFAULT_MIN_STEP_REL, 512);
    }

    /**
     * This configuration with another iteration count.
     *
     * @param k K, ≥ 0
     * @return a new, validated configuration
     */
    public Gdp withIterations(int k) {
        return new Gdp(k, lr, batch, minStepRel, historyInputs, maskSaturated);
    }

    /**
     * This configuration with another learning rate.
     *
     * @param v η, &gt; 0
     * @return a new, validated configuration
     */
    public Gdp withLr(double v) {
        return new Gdp(iterations, v, batch, minStepRel, historyInputs, maskSaturated);
    }

    /**
     * This configuration with another batch size.
     *
     * @param b B, ≥ 1
     * @return a new, validated configuration
     */
    public Gdp withBatch(int b) {
        return new Gdp(iterations, lr, b, minStepRel, historyInputs, maskSaturated);
    }

    /**
     * This configuration with another smallest applied step.
     *
     * @param v |ΔG| relative to g_max, ≥ 0
     * @return a new, validated configuration
     */
    public Gdp withMinStep(double v) {
        return new Gdp(iterations, lr, batch, v, historyInputs, maskSaturated);
    }

    /**
     * This configuration with another history size.
     *
     * @param n inputs for the ε history, 0 to skip it
     * @return a new, validated configuration
     */
    public Gdp withHistoryInputs(int n) {
        return new Gdp(iterations, lr, batch, minStepRel, n, maskSaturated);
    }

    /**
     * This configuration with or without the saturation mask.
     *
     * @param v true to mask saturated outputs
     * @return a new configuration
     */
    public Gdp withSaturationMask(boolean v) {
        return new Gdp(iterations, lr, batch, minStepRel, historyInputs, v);
    }

    @Override
    public String name() {
        return "gdp";
    }

    /**
     * Programs {@code xb} (RESET) to the conductance targets [2, rows, cols] µS: the open-loop pulse, then K
     * iterations towards the normalized weights w = (G+ − G−)/g_max of the targets.
     */
    @Override
    public ProgramResult run(DeviceModel device, CrossbarUnderProgramming xb, NDArray targets) {
        long t0 = System.nanoTime();
        NDManager m = targets.getManager();
        List<Double> hist = new ArrayList<>();
        try (NDManager work = m.newSubManager()) {
            NDArray tw = targets.duplicate();
            tw.attach(work);
            NDArray wnw = Targets.weight(tw, xb.gMax());
            Programming.openLoop(xb, tw);
            if (historyInputs > 0) {
                hist.add(Programming.mvmError(xb, wnw, historyInputs));
            }
            iterate(xb, wnw, hist);
        }
        return Programming.result("gdp", device, xb, m, iterations, t0,
                hist.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The K GDP iterations on {@code xb} as it is (no open-loop start); ε appended to {@code hist} if tracked. */
    void iterate(CrossbarUnderProgramming xb, NDArray wn, List<Double> hist) {
        float scale = (float) (-lr * xb.gMax() / batch);
        float minStep = (float) (minStepRel * xb.gMax());
        for (int k = 0; k < iterations; k++) {
            try (NDManager tmp = wn.getManager().newSubManager()) {
                NDArray x = MvmError.inputs(tmp, batch, xb.rows(), xb.periphery().dacRange(), xb.random());
                NDArray y = xb.mvm(x);
                NDArray e = y.sub(x.matMul(wn));
                if (maskSaturated) { // the ADC clip has zero gradient: a full-scale code carries no update
                    double bound = xb.periphery().adcRange() - 0.5 * xb.periphery().adcStep();
                    NDArray alpha = xb.periphery().tile().inputScaling() == TileConfig.InputScaling.ABS_MAX
                            ? x.abs().max(new int[] {1}, true).maximum(Float.MIN_NORMAL)
                            : x.getManager().ones(new Shape(1, 1));
                    e = e.mul(y.div(alpha).abs().lt((float) bound).toType(DataType.FLOAT32, false));
                }
                NDArray dg = x.transpose().matMul(e).mul(scale); // [rows, cols] µS
                NDArray delta = dg.maximum(0f).stack(dg.neg().maximum(0f), 0); // G+ gets ΔG > 0, G− gets |ΔG < 0|
                NDArray mask = delta.gt(minStep).toType(DataType.FLOAT32, false);
                xb.pulse(delta, mask);
            }
            if (historyInputs > 0 && hist != null) {
                hist.add(Programming.mvmError(xb, wn, historyInputs));
            }
        }
    }
}
