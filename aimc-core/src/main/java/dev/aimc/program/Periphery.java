package dev.aimc.program;

import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;

/**
 * The periphery a programming algorithm reads through: the crossbar tile's {@link TileConfig} (DAC, input scaling,
 * ADC, output noise; every MVM during programming is an {@link dev.aimc.tile.AnalogMatrix#forward} of the tile
 * under programming) plus the range of the single-cell reads used by program-and-verify.
 * <ul>
 *   <li>MVM: exactly the tile's forward pass (see {@link TileConfig}): per-vector input scaling, DAC (clip to
 *       ±inputRange, step inputRange/(2^(inputBits−1) − 1)), Σ u·(G+ − G−)/g_max, output noise, ADC (clip to
 *       ±outputRange, step outputRange/(2^(outputBits−1) − 1)).</li>
 *   <li>Single-cell read (verify): one row driven at full scale (u = 1), the selected device read through the
 *       tile's ADC rule ({@link dev.aimc.tile.Converters#quantizeToStep}) at the same resolution but with the read
 *       range {@code cellReadRange} (default 2 = 2·g_max, see {@link #DEFAULT_CELL_READ_RANGE}), because a single
 *       cell's current is ~1/√rows of a full MVM's; one count is g_max·cellReadRange/(2^(outputBits−1) − 1) µS
 *       (0.394 µS at 8 bits, g_max = 25 µS).</li>
 * </ul>
 *
 * <p>With {@code cellReadsThroughAdc} the single-cell reads pass the column's own ADC with its errors
 * ({@link dev.aimc.tile.AnalogMatrix#readCellsThroughAdc}): its gain and offset mismatch
 * ({@link TileConfig#adcGainStd()}, {@link TileConfig#adcOffsetStd()}) and its input noise
 * ({@link TileConfig#outputNoise()} in counts). Without it (the default, as before) a cell read is the device's
 * noisy conductance quantized at the cell-read step, i.e. read by an ideal converter.
 *
 * @param tile the tile configuration (its tile size is replaced by the crossbar's size when a crossbar is built)
 * @param cellReadRange ADC range for single-cell reads, normalized (1 = g_max), &gt; 0
 * @param cellReadsThroughAdc whether single-cell reads see the column ADC's gain, offset and noise
 */
public record Periphery(TileConfig tile, double cellReadRange, boolean cellReadsThroughAdc) {

    /**
     * Default single-cell read range (normalized, ×g_max): 2, so one count at 8 bits is 0.394 µS for g_max = 25 µS
     * and the default 5-count verify margin is ±1.97 µS. Chosen together with the pulse error in the calibration
     * sweep quoted in {@link PulseModel}: with a range of 1 (±0.98 µS margin) the margin truncates the final error
     * of verify to ≤ 0.8·σ_prog at g_T ≥ 0.2 for any pulse error (measured for σ_rel 0.04–0.15, σ_abs 0.26–0.5 µS).
     */
    public static final double DEFAULT_CELL_READ_RANGE = 2;

    /**
     * Validates.
     *
     * @param tile the tile configuration (not null)
     * @param cellReadRange ADC range for single-cell reads, normalized (1 = g_max), &gt; 0
     * @param cellReadsThroughAdc whether single-cell reads see the column ADC's gain, offset and noise
     */
    public Periphery {
        if (tile == null) {
            throw new IllegalArgumentException("tile configuration is null");
        }
        Check.positive("cell-read-range", cellReadRange);
    }

    /**
     * Cell reads by an ideal converter ({@code cellReadsThroughAdc} false).
     *
     * @param tile the tile configuration (not null)
     * @param cellReadRange ADC range for single-cell reads, normalized (1 = g_max), &gt; 0
     */
    public Periphery(TileConfig tile, double cellReadRange) {
        this(tile, cellReadRange, false);
    }

    /**
     * This periphery with single-cell reads through the column ADC (or not).
     *
     * @param v whether single-cell reads see the column ADC's gain, offset and noise
     * @return a new periphery
     */
    public Periphery withCellReadsThroughAdc(boolean v) {
        return new Periphery(tile, cellReadRange, v);
    }

    /**
     * The tile defaults with other DAC/ADC bits and ranges (input scaling ABS_MAX, no output noise).
     *
     * @param dacBits DAC resolution in bits, [2, 24]
     * @param dacRange DAC range in normalized input units, &gt; 0 (tile default 1)
     * @param adcBits ADC resolution in bits, [2, 24]
     * @param adcRange ADC range in normalized output units, &gt; 0 (tile default 12)
     * @param cellReadRange ADC range for single-cell reads, normalized (1 = g_max), &gt; 0
     */
    public Periphery(int dacBits, double dacRange, int adcBits, double adcRange, double cellReadRange) {
        this(tileConfig(dacBits, dacRange, adcBits, adcRange), cellReadRange);
    }

    private static TileConfig tileConfig(int dacBits, double dacRange, int adcBits, double adcRange) {
        return TileConfig.builder().inputBits(dacBits).inputRange(dacRange).outputBits(adcBits).outputRange(adcRange)
                .build();
    }

    /**
     * Tile defaults (8-bit DAC over ±1 with ABS_MAX scaling, 8-bit ADC over ±12), cell reads over ±2·g_max.
     *
     * @return the defaults
     */
    public static Periphery defaults() {
        return new Periphery(TileConfig.defaults(), DEFAULT_CELL_READ_RANGE);
    }

    /**
     * The periphery of tiles configured by {@code tile}, with the default single-cell read range.
     *
     * @param tile the tile configuration
     * @return the periphery
     */
    public static Periphery of(TileConfig tile) {
        return new Periphery(tile, DEFAULT_CELL_READ_RANGE);
    }

    /**
     * Same periphery with other resolutions.
     *
     * @param dac DAC resolution in bits
     * @param adc ADC resolution in bits
     * @return a new periphery
     */
    public Periphery withBits(int dac, int adc) {
        return new Periphery(tile.toBuilder().inputBits(dac).outputBits(adc).build(), cellReadRange,
                cellReadsThroughAdc);
    }

    /**
     * The configuration of a {@code rows} × {@code cols} tile under programming: this tile configuration with that
     * size, differential mapping, per-column scaling and a fresh read per MVM (reads during programming are
     * physical reads, never a frozen draw).
     *
     * @param rows crossbar rows (inputs)
     * @param cols crossbar columns (outputs)
     * @return the configuration
     */
    public TileConfig crossbarConfig(int rows, int cols) {
        return tile.toBuilder().tileSize(rows, cols).mapping(TileConfig.Mapping.DIFFERENTIAL)
                .weightScaling(TileConfig.WeightScaling.PER_COLUMN).freezeReadNoise(false).build();
    }

    /**
     * DAC range in normalized input units.
     *
     * @return the range, &gt; 0
     */
    public double dacRange() {
        return tile.inputRange();
    }

    /**
     * ADC range in normalized output units.
     *
     * @return the range, &gt; 0
     */
    public double adcRange() {
        return tile.outputRange();
    }

    /**
     * DAC step, normalized input units.
     *
     * @return the step, or NaN without a DAC
     */
    public double dacStep() {
        return tile.inputStep();
    }

    /**
     * ADC step, normalized output units.
     *
     * @return the step, or NaN without an ADC
     */
    public double adcStep() {
        return tile.outputStep();
    }

    /**
     * One ADC count of a single-cell read, in µS.
     *
     * @param gMax g_max in µS
     * @return cellReadRange·g_max/(2^(adcBits−1) − 1), µS
     */
    public double cellReadStepMicroSiemens(double gMax) {
        return gMax * cellReadRange / ((1L << (tile.outputBits() - 1)) - 1);
    }
}
