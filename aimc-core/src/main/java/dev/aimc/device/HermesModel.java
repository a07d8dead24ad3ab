package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;

/**
 * Statistical model of the PCM devices of IBM's 14-nm HERMES project chip (Khaddam-Aljameh et al., "HERMES-Core —
 * a 1.59-TOPS/mm² PCM on 14-nm CMOS in-memory compute core using 300-ps/LSB linearized CCO-based ADCs", IEEE JSSC
 * 57(4), 2022; Le Gallo et al., "A 64-core mixed-signal in-memory compute chip based on phase-change memory for deep
 * neural network inference", Nat. Electron. 6, 680–693, 2023), with the functional forms of Nandakumar et al.
 * (ICECS 2019, {@link PcmModel}) and the fitted coefficients that aihwkit publishes for this chip
 * ({@code aihwkit.inference.noise.hermes.HermesNoiseModel}, aihwkit 0.9; read as the reference, implemented here on
 * our own). A "device" here is one unit cell of {@code unitCell} PCM devices holding one polarity of a weight: 1
 * device (characterized up to g_max = 10.35 µS, first read t0 = 200 s) or 2 devices programmed together (multi-device
 * unit cell of Vasilopoulos et al., IEEE TED 2023; up to 20.7 µS, t0 = 300 s) — aihwkit's {@code num_devices}.
 *
 * <p>With g_T = g_target/g_max (target clipped to [0, g_max]), x = max(g_T, 1e-7) and N(0, 1) fresh draws:
 * <ol>
 *   <li>Programming noise: σ_prog = (c0 + c1·g_T + c2·g_T² + c3·g_T³)·g_max/g_ref µS, g_prog = max(0, g_target +
 *       σ_prog·N); c = (0.16603, 4.71806, −8.48101, 4.68961), g_ref = 20.7 µS for 2 devices, c = (0.15782, 2.32444,
 *       −2.16311, 0.68842), g_ref = 10.35 µS for 1.</li>
 *   <li>Drift exponent ν = |μ_ν + σ_ν·N|: μ_ν = clip(−0.0387·ln x − 0.0182, 0.072, 0.13) for x &lt; 0.0945, else
 *       −0.0436·x² − 0.0126·x + 0.0736; σ_ν (2 devices) = clip(−0.0117·ln x − 0.0057, 0.0091, 0.04) for
 *       x &lt; 0.3055, else −0.0118·x² + 0.0093·x + 0.0073; σ_ν (1 device) = clip(−0.0120·ln x − 0.0023, 0.0124,
 *       0.04) for x &lt; 0.3039, else −0.0165·x² + 0.0116·x + 0.0104.</li>
 *   <li>Drift g_drift = g_prog·((t_inf + t0)/t0)^(−ν).</li>
 *   <li>1/f read noise with t_read = 512 ns, y = |g_prog|/g_max: Q_s (2 devices) = clip(−0.0117·ln y − 0.0069, 0.015,
 *       0.04) for y &lt; 0.16, else 0.0069·y³ − 0.0280·y² + 0.0211·y + 0.0123; Q_s (1 device) = clip(−0.0078·ln y +
 *       0.0038, 0.0179, 0.04) for y &lt; 0.1591, else 0.0664·y³ − 0.1352·y² + 0.0768·y + 0.0088;
 *       σ_read = Q_s·sqrt(ln((t_inf + t0 + t_read)/(2·t_read))), g = max(0, g_drift + |g_drift|·σ_read·N).</li>
 * </ol>
 * As in aihwkit, the 2-device cell is modelled as one device of twice the range whose drift statistics are those of
 * a single device at the same relative conductance (aihwkit notes that this is worse than the chip's measured drift).
 * Scale factors multiply σ_prog, ν and σ_read; 0 switches that source off and draws nothing for it.
 *
 * @param gMaxMicroSiemens g_max in µS, in (0, the unit cell's characterized maximum]
 * @param unitCell PCM devices per unit cell, 1 or 2
 * @param progNoiseScale factor on σ_prog, ≥ 0
 * @param driftScale factor on ν, ≥ 0
 * @param readNoiseScale factor on σ_read, ≥ 0
 */
public record HermesModel(double gMaxMicroSiemens, int unitCell, double progNoiseScale, double driftScale,
        double readNoiseScale) implements DeviceModel {

    /** Largest characterized conductance of a 1-device unit cell, µS. */
    public static final double G_MAX_1_US = 10.35;
    /** Largest characterized conductance of a 2-device unit cell, µS. */
    public static final double G_MAX_2_US = 20.7;
    /** Read duration t_read of the 1/f noise fit, seconds. */
    public static final double T_READ_S = 512e-9;
    private static final float X_FLOOR = 1e-7f;

    /**
     * Validates; a bad value gives a {@link ConfigException} naming it.
     *
     * @param gMaxMicroSiemens g_max in µS, in (0, 10.35] for 1 device, (0, 20.7] for 2
     * @param unitCell PCM devices per unit cell, 1 or 2
     * @param progNoiseScale factor on σ_prog, ≥ 0
     * @param driftScale factor on ν, ≥ 0
     * @param readNoiseScale factor on σ_read, ≥ 0
     */
    public HermesModel {
        Check.range("unit-cell", unitCell, 1, 2);
        Check.positive("g-max", gMaxMicroSiemens);
        double limit = unitCell == 1 ? G_MAX_1_US : G_MAX_2_US;
        Check.that(gMaxMicroSiemens <= limit, "g-max", "must be <= " + limit + " µS (characterized maximum of a "
                + unitCell + "-device unit cell)", gMaxMicroSiemens);
        Check.nonNegative("prog-noise-scale", progNoiseScale);
        Check.nonNegative("drift-scale", driftScale);
        Check.nonNegative("read-noise-scale", readNoiseScale);
    }

    /**
     * The characterized model of a unit cell: its largest g_max, all scales 1.
     *
     * @param unitCell PCM devices per unit cell, 1 or 2
     * @return the model
     */
    public static HermesModel of(int unitCell) {
        return new HermesModel(unitCell == 1 ? G_MAX_1_US : G_MAX_2_US, unitCell, 1, 1, 1);
    }

    @Override
    public String name() {
        return "hermes";
    }

    /**
     * Time of the first read after programming, the drift reference.
     *
     * @return t0 in seconds: 200 for a 1-device, 300 for a 2-device unit cell
     */
    public double t0Seconds() {
        return unitCell == 1 ? 200 : 300;
    }

    /**
     * Eq. (1) σ_prog in µS for a relative target, before {@link #progNoiseScale()}.
     *
     * @param gT target relative to g_max, in [0, 1]
     * @return the cubic of the unit cell scaled by g_max/g_ref, µS
     */
    public double progNoiseStdMicroSiemens(double gT) {
        double[] c = progCoefficients();
        return (c[0] + gT * (c[1] + gT * (c[2] + gT * c[3]))) * gMaxMicroSiemens / (unitCell == 1 ? G_MAX_1_US
                : G_MAX_2_US);
    }

    private double[] progCoefficients() {
        return unitCell == 1 ? new double[] {0.15781817, 2.32443916, -2.16310839, 0.68841818}
                : new double[] {0.16603222, 4.71806468, -8.48101252, 4.68961419};
    }

    @Override
    public ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng) {
        NDManager outer = gTargetMicroSiemens.getManager();
        double gMax = gMaxMicroSiemens;
        try (NDManager tmp = outer.newSubManager()) {
            NDArray g = PcmPhysics.float32Copy(tmp, gTargetMicroSiemens).clip(0f, (float) gMax);
            NDArray gT = g.div((float) gMax);
            NDArray gProg;
            if (progNoiseScale == 0) {
                gProg = g.duplicate();
            } else {
                double[] c = progCoefficients();
                float f = (float) (progNoiseScale * gMax / (unitCell == 1 ? G_MAX_1_US : G_MAX_2_US));
                NDArray sigma = gT.mul((float) c[3]).add((float) c[2]).mul(gT).add((float) c[1]).mul(gT)
                        .add((float) c[0]).mul(f);
                gProg = g.add(sigma.mul(rng.standard(tmp, g.getShape()))).maximum(0f);
            }
            NDArray x = gT.maximum(X_FLOOR);
            NDArray lnx = x.log();
            NDArray mu = branch(x, 0.0945f, lnx.mul(-0.0387f).sub(0.0182f).clip(0.072f, 0.13f),
                    poly(x, 0.0736f, -0.0126f, -0.0436f, 0f));
            NDArray sd = unitCell == 1
                    ? branch(x, 0.3039f, lnx.mul(-0.0120f).sub(0.0023f).clip(0.0124f, 0.04f),
                            poly(x, 0.0104f, 0.0116f, -0.0165f, 0f))
                    : branch(x, 0.3055f, lnx.mul(-0.0117f).sub(0.0057f).clip(0.0091f, 0.04f),
                            poly(x, 0.0073f, 0.0093f, -0.0118f, 0f));
            NDArray nu = PcmPhysics.drawNu(tmp, mu, sd, driftScale, rng);
            gProg.attach(outer);
            nu.attach(outer);
            return new ProgrammedState(gProg, nu);
        }
    }

    /** where(x &lt; threshold, low, high). */
    private static NDArray branch(NDArray x, float threshold, NDArray low, NDArray high) {
        return NDArrays.where(x.lt(threshold), low, high);
    }

    /** a0 + a1·x + a2·x² + a3·x³. */
    private static NDArray poly(NDArray x, float a0, float a1, float a2, float a3) {
        return x.mul(a3).add(a2).mul(x).add(a1).mul(x).add(a0);
    }

    @Override
    public NDArray drift(ProgrammedState state, double tSeconds) {
        Check.nonNegative("time", tSeconds);
        return PcmPhysics.drift(state, tSeconds, t0Seconds());
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
        return NoisyRead.reader(gDrift, readNoiseScale == 0 ? null : readAmplitude(state, gDrift, tSeconds), rng);
    }

    /** |g_drift|·σ_read of eq. (4), in gDrift's manager. */
    private NDArray readAmplitude(ProgrammedState state, NDArray gDrift, double tSeconds) {
        NDManager outer = gDrift.getManager();
        try (NDManager tmp = outer.newSubManager()) {
            NDArray y = PcmPhysics.in(tmp, state.gProg().abs()).div((float) gMaxMicroSiemens).maximum(X_FLOOR);
            NDArray lny = y.log();
            NDArray qs = unitCell == 1
                    ? branch(y, 0.1591f, lny.mul(-0.0078f).add(0.0038f).clip(0.0179f, 0.04f),
                            poly(y, 0.0088f, 0.0768f, -0.1352f, 0.0664f))
                    : branch(y, 0.16f, lny.mul(-0.0117f).sub(0.0069f).clip(0.015f, 0.04f),
                            poly(y, 0.0123f, 0.0211f, -0.0280f, 0.0069f));
            double t = tSeconds + t0Seconds();
            double factor = readNoiseScale * Math.sqrt(Math.log((t + T_READ_S) / (2 * T_READ_S)));
            NDArray amp = PcmPhysics.in(tmp, gDrift.abs()).mul(qs.mul((float) factor));
            amp.attach(outer);
            return amp;
        }
    }

    /** Every parameter by its {@code --device} key ({@link DeviceModels#HERMES}'s table). */
    @Override
    public java.util.Map<String, Object> parameters() {
        return DeviceModels.HERMES.valuesOf(this);
    }
}
