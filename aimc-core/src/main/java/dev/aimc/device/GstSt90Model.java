package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;
import java.util.Map;

/**
 * Ge-rich GST embedded PCM of the 90-nm STMicroelectronics AIMC prototype (Antolini et al., IEEE JETCAS 13(1),
 * 395–407, 2023): a few program-and-verify levels, an absolute per-level spread, and drift as a rigid shift of the
 * cell conductance common to every programmed cell, rather than the per-device power law of {@link PcmModel}.
 *
 * <p>Sources, and what each fixes (the rest is our reconstruction, marked "inferred"):
 * <ul>
 *   <li>A. Antolini et al., "Characterization and Programming Algorithm of Phase Change Memory Cells for Analog
 *       In-Memory Computing", Materials 14(7), 1624, 2021 (abstract): the cells are programmed with an iterative
 *       program-and-verify algorithm, and 512 cells were programmed to <b>four</b> conductance levels: the default
 *       {@code levels} = 4.</li>
 *   <li>A. Antolini et al., "Drift Induced Rigid Current Shift in Ge-Rich GST Phase Change Memories in Low
 *       Resistance State", ICECS 2019 (abstract; 500k cells): the change in time of the low-resistance cell current is
 *       "substantially constant for all the cells in the array, regardless of the value of the cell current measured
 *       just after programming", a rigid current shift: here ΔG(t) is one number for every programmed cell, not
 *       a per-device exponent.</li>
 *   <li>A. Antolini et al., IEEE OJ-SSCS 4, 69–82, 2024 (abstract): with reference-cell conductance tracking the mean
 *       MAC decrease in time is about null at room temperature, i.e. the drift is common to weight and reference
 *       cells, which this model gives (the tile's {@code ratio} readout divides by drifting reference cells).</li>
 *   <li>C. Paolino et al., ISCAS 2022, 1536–1540 (abstract): networks trained on the measured device model
 *       tolerate weight perturbations "up to 10% standard deviation", "compatible with the performance of
 *       state-of-the-art PCM programming techniques": the default spread σ = 0.1·g_max (inferred reading: we
 *       take that 10 % as the programmed spread, relative to g_max).</li>
 * </ul>
 * Inferred, not found in the sources we could read: equally spaced levels; an absolute spread equal for every
 * programmed level (a program-and-verify loop stops when the read current enters a fixed window around its target,
 * so the window, not the level, sets the spread); the RESET level (0) exact, without spread, drift or read noise
 * (its current is negligible); the drift rate 0.03·g_max per decade of time; t0 = 1 s; the read noise 0.01·g_max.
 *
 * <p>The model, with N(0,1) a fresh draw per device:
 * <ol>
 *   <li>Levels: with L = {@code levels}, step Δ_L = g_max/(L − 1), a target g is clipped to [0, g_max] and
 *       snapped to level k = round(g/Δ_L), g_k = k·Δ_L.</li>
 *   <li>Spread (k ≥ 1): g_prog = max(0, g_k + σ·g_max·N(0,1)); k = 0 gives g_prog = 0.</li>
 *   <li>Drift: g(t) = max(0, g_prog − m·a·g_max·log10((t + t0)/t0)), m = 1 for a programmed cell (k ≥ 1), 0 for
 *       RESET; m is stored as {@link ProgrammedState#nu()} (a shift multiplier here, not an exponent).</li>
 *   <li>Read: g = max(0, g(t) + m·r·g_max·N(0,1)), a new draw on each read.</li>
 * </ol>
 * {@code --prog-noise-scale}, {@code --drift-scale} and {@code --read-noise-scale} act on σ, a and r.
 *
 * @param gMaxMicroSiemens g_max in µS, the top level (default 25, the unit the tile maps weights to), &gt; 0
 * @param levels programmed levels L including RESET (default 4), in [2, 256]
 * @param sigmaRel σ, std of a programmed level as a fraction of g_max (default 0.1), ≥ 0
 * @param driftRelPerDecade a, the rigid conductance decrease per decade of (t + t0)/t0 as a fraction of g_max
 *     (default 0.03), ≥ 0
 * @param readNoiseRel r, read-noise std as a fraction of g_max (default 0.01), ≥ 0
 */
public record GstSt90Model(double gMaxMicroSiemens, int levels, double sigmaRel, double driftRelPerDecade,
        double readNoiseRel) implements DeviceModel {

    /** Default g_max, µS (inferred; it only sets the unit). */
    public static final double DEFAULT_G_MAX_US = 25.0;
    /** Default number of levels: four (Antolini et al., Materials 2021). */
    public static final int DEFAULT_LEVELS = 4;
    /** Default spread σ/g_max: 10 % (Paolino et al., ISCAS 2022; inferred reading). */
    public static final double DEFAULT_SIGMA = 0.1;
    /** Default drift a/g_max per decade (inferred). */
    public static final double DEFAULT_DRIFT = 0.03;
    /** Default read noise r/g_max (inferred). */
    public static final double DEFAULT_READ_NOISE = 0.01;
    /** t0 of the drift law, seconds (inferred: the verify read that ends programming). */
    public static final double T0_SECONDS = 1.0;

    /**
     * Validates the parameters; a bad one gives a {@code ConfigException} naming it.
     *
     * @param gMaxMicroSiemens g_max in µS, &gt; 0
     * @param levels programmed levels including RESET, in [2, 256]
     * @param sigmaRel σ/g_max, ≥ 0
     * @param driftRelPerDecade a/g_max per decade, ≥ 0
     * @param readNoiseRel r/g_max, ≥ 0
     */
    public GstSt90Model {
        Check.positive("g-max", gMaxMicroSiemens);
        Check.range("levels", levels, 2, 256);
        Check.nonNegative("sigma", sigmaRel);
        Check.nonNegative("drift", driftRelPerDecade);
        Check.nonNegative("read-noise", readNoiseRel);
    }

    /**
     * The defaults listed in the class documentation.
     *
     * @return g_max 25 µS, 4 levels, σ 0.1, a 0.03, r 0.01
     */
    public static GstSt90Model defaults() {
        return new GstSt90Model(DEFAULT_G_MAX_US, DEFAULT_LEVELS, DEFAULT_SIGMA, DEFAULT_DRIFT, DEFAULT_READ_NOISE);
    }

    /**
     * This model with another spread, e.g. η·σ for training noise.
     *
     * @param sigma σ/g_max, ≥ 0
     * @return a copy with {@code sigmaRel = sigma}
     */
    public GstSt90Model withSigma(double sigma) {
        return new GstSt90Model(gMaxMicroSiemens, levels, sigma, driftRelPerDecade, readNoiseRel);
    }

    @Override
    public String name() {
        return "gst-st90";
    }

    /** Every parameter by its {@code --device} key ({@link DeviceModels#GST_ST90}'s table). */
    @Override
    public Map<String, Object> parameters() {
        return DeviceModels.GST_ST90.valuesOf(this);
    }

    /**
     * Conductance of level k before spread, step (1).
     *
     * @param k level index in [0, L − 1]
     * @return k·g_max/(L − 1) in µS
     */
    public double levelMicroSiemens(int k) {
        Check.range("level", k, 0, levels - 1);
        return k * gMaxMicroSiemens / (levels - 1);
    }

    /**
     * The rigid drift shift of step (3) at {@code tSeconds}: a·g_max·log10((t + t0)/t0), µS.
     *
     * @param tSeconds seconds since programming, ≥ 0
     * @return the conductance a programmed cell has lost, µS (0 at t = 0)
     */
    public double driftShiftMicroSiemens(double tSeconds) {
        Check.nonNegative("time", tSeconds);
        return driftRelPerDecade * gMaxMicroSiemens * Math.log10((tSeconds + T0_SECONDS) / T0_SECONDS);
    }

    /** The level a target snaps to, step (1): k·Δ_L with k = round(clip(g, 0, g_max)/Δ_L). */
    @Override
    public double nominalMicroSiemens(double gTargetMicroSiemens) {
        double step = gMaxMicroSiemens / (levels - 1);
        // half to even, as torch.round
        return Math.rint(Math.min(Math.max(gTargetMicroSiemens, 0), gMaxMicroSiemens) / step) * step;
    }

    @Override
    public ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng) {
        NDManager outer = gTargetMicroSiemens.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            float step = (float) (gMaxMicroSiemens / (levels - 1));
            NDArray k = PcmPhysics.float32Copy(tmp, gTargetMicroSiemens).clip(0f, (float) gMaxMicroSiemens).div(step)
                    .round(); // (1)
            NDArray programmed = k.gte(0.5f).toType(DataType.FLOAT32, false);
            NDArray g = k.mul(step);
            if (sigmaRel > 0) { // (2), drawn for every device so the stream advances the same way
                NDArray noise = rng.normal(tmp, (float) (sigmaRel * gMaxMicroSiemens), g.getShape());
                g = g.add(noise.mul(programmed)).maximum(0f);
            }
            g.attach(outer);
            programmed.attach(outer);
            return new ProgrammedState(g, programmed);
        }
    }

    @Override
    public NDArray drift(ProgrammedState state, double tSeconds) {
        double shift = driftShiftMicroSiemens(tSeconds);
        if (shift == 0) {
            return state.gProg().duplicate();
        }
        NDManager outer = state.gProg().getManager();
        try (NDManager tmp = outer.newSubManager()) {
            NDArray g = PcmPhysics.in(tmp, state.nu().mul((float) shift)); // (3)
            NDArray out = PcmPhysics.in(tmp, state.gProg().sub(g)).maximum(0f);
            out.attach(outer);
            return out;
        }
    }

    @Override
    public NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        try (Reader r = reader(state, gDrift, tSeconds, rng)) {
            return r.read();
        }
    }

    @Override
    public Reader reader(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        Check.nonNegative("time", tSeconds);
        NDArray amp = null;
        if (readNoiseRel > 0) {
            amp = state.nu().mul((float) (readNoiseRel * gMaxMicroSiemens)); // (4)
            amp.attach(gDrift.getManager());
        }
        return NoisyRead.reader(gDrift, amp, rng);
    }
}
