package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import dev.aimc.util.Check;

/**
 * DAC and ADC of the crossbar under programming, with the quantizer semantics of {@code dev.aimc.tile.TileConfig}
 * (aihwkit's conventions), re-implemented here while the tile package is not merged:
 * <ul>
 *   <li>DAC: normalized input u clipped to ±{@code dacRange}, rounded to the step dacRange/(2^(dacBits−1) − 1)
 *       (signed, 2^dacBits − 1 levels with zero).</li>
 *   <li>Analog product: y_j = Σ_i u_i·(G+_ij − G−_ij)/g_max (normalized output units: a full-scale input on a
 *       full-scale device gives 1).</li>
 *   <li>ADC: y clipped to ±{@code adcRange}, rounded to the step adcRange/(2^(adcBits−1) − 1).</li>
 *   <li>Single-cell read (verify): one row driven at full scale (u = 1), the selected column read through the same
 *       ADC resolution but with the read range {@code cellReadRange} (default 2 = 2·g_max, see {@link #DEFAULT_CELL_READ_RANGE}), because a single cell's
 *       current is ~1/√rows of a full MVM's; one count is g_max·cellReadRange/(2^(adcBits−1) − 1) µS
 *       (0.394 µS at 8 bits, g_max = 25 µS).</li>
 * </ul>
 *
 * @param dacBits DAC resolution in bits, [2, 24]
 * @param dacRange DAC range in normalized input units, &gt; 0 (tile default 1)
 * @param adcBits ADC resolution in bits, [2, 24]
 * @param adcRange ADC range in normalized output units, &gt; 0 (tile default 12)
 * @param cellReadRange ADC range for single-cell reads, normalized (1 = g_max), &gt; 0
 */
public record Periphery(int dacBits, double dacRange, int adcBits, double adcRange, double cellReadRange) {

    /**
     * Default single-cell read range (normalized, ×g_max): 2, so one count at 8 bits is 0.394 µS for g_max = 25 µS
     * and the default 5-count verify margin is ±1.97 µS. Chosen together with the pulse error in the calibration
     * sweep quoted in {@link PulseModel}: with a range of 1 (±0.98 µS margin) the margin truncates the final error
     * of verify to ≤ 0.8·σ_prog at g_T ≥ 0.2 for any pulse error (measured for σ_rel 0.04–0.15, σ_abs 0.26–0.5 µS).
     */
    public static final double DEFAULT_CELL_READ_RANGE = 2;

    /** Validates. */
    public Periphery {
        Check.range("dac-bits", dacBits, 2, 24);
        Check.positive("dac-range", dacRange);
        Check.range("adc-bits", adcBits, 2, 24);
        Check.positive("adc-range", adcRange);
        Check.positive("cell-read-range", cellReadRange);
    }

    /** Tile defaults: 8-bit DAC over ±1, 8-bit ADC over ±12, single-cell reads over [0, g_max]. */
    public static Periphery defaults() {
        return new Periphery(8, 1, 8, 12, DEFAULT_CELL_READ_RANGE);
    }

    /** Same periphery with other resolutions. */
    public Periphery withBits(int dac, int adc) {
        return new Periphery(dac, dacRange, adc, adcRange, cellReadRange);
    }

    /** DAC step, normalized input units. */
    public double dacStep() {
        return dacRange / ((1L << (dacBits - 1)) - 1);
    }

    /** ADC step, normalized output units. */
    public double adcStep() {
        return adcRange / ((1L << (adcBits - 1)) - 1);
    }

    /** One ADC count of a single-cell read, in µS. */
    public double cellReadStepMicroSiemens(double gMax) {
        return gMax * cellReadRange / ((1L << (adcBits - 1)) - 1);
    }

    /** DAC: clip and round. */
    public NDArray dac(NDArray u) {
        float step = (float) dacStep();
        return u.clip(-(float) dacRange, (float) dacRange).div(step).round().mul(step);
    }

    /** ADC on normalized outputs: clip and round. */
    public NDArray adc(NDArray y) {
        float step = (float) adcStep();
        return y.clip(-(float) adcRange, (float) adcRange).div(step).round().mul(step);
    }

    /** Single-cell read of conductances g (µS) through the cell-read ADC; result in µS. */
    public NDArray cellAdc(NDArray g, double gMax) {
        float step = (float) cellReadStepMicroSiemens(gMax);
        float r = (float) (cellReadRange * gMax);
        return g.clip(-r, r).div(step).round().mul(step);
    }

    /**
     * Analog MVM from read conductances: ADC(DAC(u) · (G+ − G−)/g_max).
     *
     * @param u normalized inputs [B, rows]
     * @param gRead read conductances [2, rows, cols] µS (plane 0 = G+, plane 1 = G−)
     * @return [B, cols] normalized outputs, in {@code u}'s manager
     */
    public NDArray mvm(NDArray u, NDArray gRead, double gMax) {
        NDArray w = gRead.get(0).sub(gRead.get(1)).div((float) gMax);
        NDArray y = adc(dac(u).matMul(w));
        w.close();
        return y;
    }
}
