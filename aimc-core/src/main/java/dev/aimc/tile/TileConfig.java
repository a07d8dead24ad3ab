package dev.aimc.tile;

import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable configuration of the crossbar tiles and their periphery (DAC, ADC, weight mapping).
 *
 * <h2>Units (aihwkit's conventions)</h2>
 * <ul>
 *   <li><b>Normalized inputs.</b> An input vector of one tile is first divided by its scale α: α = 1 for
 *       {@link InputScaling#NONE}, α = max|x| of the vector's slice on that tile for {@link InputScaling#ABS_MAX}
 *       (aihwkit's {@code noise_management=ABS_MAX}, so u = x/α lies in [-1, 1]). The DAC clips u to
 *       [-inputRange, inputRange] (aihwkit {@code inp_bound}) and rounds it to the step
 *       inputRange / (2^(inputBits-1) − 1): a signed DAC with 2^inputBits − 1 levels, zero included; this is
 *       aihwkit's {@code inp_res = 1/(2^bits − 2)} taken relative to the full range 2·inp_bound.</li>
 *   <li><b>Normalized weights/conductances.</b> A tile's weights are divided by the weight scale s (max|W| of the
 *       tile, or of each tile column) so w = W/s lies in [-1, 1] and maps onto conductances in [0, g_max]. The
 *       analog output of a column is y = Σ u_i·G_ij/g_max (differential: (G+ − G−)/g_max), i.e. in units where a
 *       full-scale input on a full-scale device gives 1 — aihwkit's normalized output units.</li>
 *   <li><b>Output noise and ADC</b> act on y in those units: additive Gaussian noise of std {@code outputNoise}
 *       in normalized output units (aihwkit's {@code out_noise}: an absolute std, not a fraction of the ADC range,
 *       so aihwkit's numbers can be typed as they are), saturation at ±outputRange (aihwkit {@code out_bound}),
 *       rounding to the step outputRange / (2^(outputBits-1) − 1).</li>
 *   <li><b>Read noise</b> of the devices is drawn once per chip instance and inference time by default
 *       ({@link ReadNoise#PER_TIME}, as aihwkit draws it when it drifts the weights to a time), or anew for every
 *       forward pass ({@link ReadNoise#PER_BATCH}).</li>
 *   <li><b>Digital periphery.</b> After the ADC every tile output is multiplied by α·s (and the mapping's gain,
 *       e.g. 2 for {@link Mapping#UNIPOLAR_OFFSET}), the row-tiles are summed digitally, then the per-column
 *       digital output scale and the bias are applied.</li>
 * </ul>
 */
public final class TileConfig {

    /** Per-vector input scaling before the DAC (aihwkit's noise management). */
    public enum InputScaling {
        /** α = 1: the DAC sees the inputs as they are, in normalized input units (clipped at ±inputRange). */
        NONE,
        /** α = max|x| of each input vector's slice on a tile, so u = x/α lies in [−1, 1] (aihwkit's ABS_MAX). */
        ABS_MAX
    }

    /** How a signed weight becomes conductances. */
    public enum Mapping {
        /** A device pair per weight: G+ holds positive, G− negative weights; never both nonzero. */
        DIFFERENTIAL,
        /** One device per weight; only for matrices whose weights all have the same sign (sign kept digitally). */
        UNIPOLAR,
        /**
         * One device per weight at G = g_max·(w+1)/2 and one reference column per tile at g_max/2 whose current is
         * subtracted from every column before the ADC (the ADC sees w/2·u; a digital gain of 2 restores it). The
         * reference column occupies one of the tile's {@code maxCols} columns.
         */
        UNIPOLAR_OFFSET,
        /**
         * {@code cellPairs} differential pairs per weight with significance factors f_k; the column currents are
         * combined in analog as Σ f_k·(G+_k − G−_k)/g_max before the ADC and divided digitally by F = Σ f_k.
         * Programming fills the most significant pair first, the less significant pairs hold the remainder, or the
         * least significant first ({@link Filling}); no program-and-verify of the remainder against the noisy pairs.
         */
        MULTI,
        /**
         * The mapping chosen per tile from the sign of the tile's weights (García-Redondo et al.'s unipolar
         * sub-matrices): a tile whose weights are all ≥ 0, or all ≤ 0, holds one device per weight, its sign applied
         * digitally; a tile with both signs holds a differential pair per weight. Simulated with two device planes on
         * every tile; the second device of a unipolar tile is absent (its plane coefficient is 0, it adds nothing).
         */
        PER_TILE_SIGN
    }

    /** Granularity of the weight scale s = max|W|. */
    public enum WeightScaling {
        /** One s = max|W| over all weights of a tile (aihwkit's conductance converter for the PCM model). */
        PER_TILE,
        /** One s = max|W| per output column of a tile: every column uses the full conductance range (default). */
        PER_COLUMN,
        /**
         * One s fixed by the design ({@link #weightScale()}, in weight units) for every tile, whatever its weights:
         * s = W of uniform scaling, so a weight w sits at the conductance w/W·g_max; weights beyond ±s clip to g_max.
         */
        FIXED
    }

    /**
     * What the periphery does when a tile's outputs reach the ADC bound (aihwkit's {@code BoundManagementType}).
     */
    public enum BoundManagement {
        /** Saturated outputs stay saturated (default). */
        NONE,
        /**
         * aihwkit's ITERATIVE (its IOParameters default): the tile vector is read again with its input halved until
         * nothing saturates (up to {@link #MAX_BM_FACTOR}, and while the effective DAC step stays ≤
         * {@link #MAX_BM_RES}); the output is scaled back digitally. Inference only.
         */
        ITERATIVE
    }

    /** aihwkit's {@code max_bm_factor}: the largest input reduction of iterative bound management. */
    public static final double MAX_BM_FACTOR = 1000;
    /** Largest accepted r·g_max ({@link #wireResistance()}). */
    public static final double MAX_WIRE_RESISTANCE = 1e-2;

    /** aihwkit's {@code max_bm_res}: the coarsest effective DAC step (normalized units) bound management reaches. */
    public static final double MAX_BM_RES = 0.25;

    /**
     * Over what a convolution's ABS_MAX input scale α is taken (aihwkit's noise management treats every patch as an
     * input vector).
     */
    public enum ConvScaling {
        /** One α per sample and row-tile over the tile's channel slice at all positions (default; fast). */
        PER_IMAGE,
        /** One α per patch (output position) and row-tile, as aihwkit's im2col does. */
        PER_PATCH
    }

    /** Which pair of a multi-pair weight is filled first ({@link Mapping#MULTI}). */
    public enum Filling {
        /** The most significant pair takes as much of the weight as it can, the less significant ones the rest. */
        MSB_FIRST,
        /** The least significant pair takes as much as it can first, then the next more significant one. */
        LSB_FIRST,
        /**
         * Bit slicing onto cells of {@link #cellBits()} = b bits: the weight's magnitude |w| ∈ [0, 1] is quantized
         * to an integer q = round(|w|·(B^P − 1)), B = 2^b, P pairs, and pair k stores its base-B digit
         * d_k = ⌊q / B^k⌋ mod B as the level d_k/(B − 1) on the device of the weight's sign (the other device of
         * the pair at g_min). The significance factors must be f_0·B^k, so the analog sum Σ f_k·d_k/(B − 1)
         * divided by F = Σ f_k gives q/(B^P − 1): the weight on 1 + b·P bits (sign and magnitude).
         */
        BIT_SLICED
    }

    /**
     * When the devices' read noise is drawn (issue 12, item 5).
     *
     * <p>aihwkit's PCM inference model adds its 1/f read noise when it drifts the weights to an inference time, so
     * each Monte-Carlo repeat is one chip read at one time and every batch sees the same noisy conductances;
     * {@link #PER_TIME} does the same and is the default. {@link #PER_BATCH} draws fresh read noise for every
     * forward pass (every physical read of a real chip is noisy): it averages the read noise over the test set
     * within one repeat, so it under-states the spread between repeats and makes results depend on the batch size.
     */
    public enum ReadNoise {
        /** One read-noise draw per chip instance and inference time, made at {@code driftTo} (default). */
        PER_TIME,
        /** A fresh read-noise draw for every forward pass (batch). */
        PER_BATCH
    }

    private final int maxRows;
    private final int maxCols;
    private final int inputBits;
    private final double inputRange;
    private final InputScaling inputScaling;
    private final int outputBits;
    private final double outputRange;
    private final double outputNoise;
    private final Mapping mapping;
    private final WeightScaling weightScaling;
    private final List<Double> significance;
    private final ReadNoise readNoise;
    private final BoundManagement boundManagement;
    private final Filling filling;
    private final ConvScaling convScaling;
    private final int cellBits;
    private final double weightScale;
    private final double wireResistance;
    private final double adcGainStd;
    private final double adcOffsetStd;

    private TileConfig(Builder b) {
        this.maxRows = Check.range("max-rows", b.maxRows, 1, 1 << 20);
        this.maxCols = Check.range("max-cols", b.maxCols, 1, 1 << 20);
        this.inputBits = Check.range("dac-bits", b.inputBits, 2, 24);
        this.inputRange = Check.positive("dac-range", b.inputRange);
        this.outputBits = Check.range("adc-bits", b.outputBits, 2, 24);
        this.outputRange = Check.positive("adc-range", b.outputRange);
        this.outputNoise = Check.nonNegative("out-noise", b.outputNoise);
        if (b.inputScaling == null) {
            throw new ConfigException("input-scaling must be one of NONE, ABS_MAX, got null");
        }
        if (b.mapping == null) {
            throw new ConfigException("mapping must be one of DIFFERENTIAL, UNIPOLAR, UNIPOLAR_OFFSET, MULTI, PER_TILE_SIGN, got null");
        }
        if (b.weightScaling == null) {
            throw new ConfigException("weight-scaling must be one of PER_TILE, PER_COLUMN, FIXED, got null");
        }
        if (b.weightScaling == WeightScaling.FIXED) {
            Check.positive("weight-scale", b.weightScale);
            Check.that(Double.isFinite(b.weightScale), "weight-scale", "must be finite", b.weightScale);
        } else if (b.weightScale != 0) {
            throw new ConfigException("weight-scale applies to weight-scaling FIXED only, got " + b.weightScale
                    + " with " + b.weightScaling);
        }
        this.weightScale = b.weightScale;
        this.wireResistance = Check.nonNegative("ir-drop", b.wireResistance);
        Check.that(b.wireResistance <= MAX_WIRE_RESISTANCE, "ir-drop", "must be <= " + MAX_WIRE_RESISTANCE
                + " (r·g_max; the first-order model is meaningless far beyond it)", b.wireResistance);
        this.adcGainStd = Check.nonNegative("adc-gain-std", b.adcGainStd);
        Check.that(b.adcGainStd < 1, "adc-gain-std", "must be < 1 (relative std of the column gain)", b.adcGainStd);
        this.adcOffsetStd = Check.nonNegative("adc-offset-std", b.adcOffsetStd);
        this.inputScaling = b.inputScaling;
        this.mapping = b.mapping;
        this.weightScaling = b.weightScaling;
        if (b.significance.isEmpty()) {
            throw new ConfigException("significance must list at least one factor, got []");
        }
        for (double f : b.significance) {
            Check.positive("significance", f);
        }
        this.significance = Collections.unmodifiableList(new ArrayList<>(b.significance));
        if (mapping == Mapping.UNIPOLAR_OFFSET && maxCols < 2) {
            throw new ConfigException("max-cols must be >= 2 for mapping UNIPOLAR_OFFSET (one reference column), got "
                    + maxCols);
        }
        if (b.readNoise == null) {
            throw new ConfigException("read-noise must be one of per-time, per-batch, got null");
        }
        this.readNoise = b.readNoise;
        if (b.boundManagement == null) {
            throw new ConfigException("bound-management must be one of none, iterative, got null");
        }
        if (b.filling == null) {
            throw new ConfigException("filling must be one of msb-first, lsb-first, got null");
        }
        this.boundManagement = b.boundManagement;
        this.filling = b.filling;
        if (b.convScaling == null) {
            throw new ConfigException("conv-scaling must be one of per-image, per-patch, got null");
        }
        this.convScaling = b.convScaling;
        this.cellBits = Check.range("cell-bits", b.cellBits, 0, 16);
        if (filling == Filling.BIT_SLICED) {
            if (mapping != Mapping.MULTI || cellBits == 0) {
                throw new ConfigException("filling bit-sliced needs mapping MULTI and cell-bits in [1, 16], got "
                        + mapping + " with cell-bits " + cellBits);
            }
            if (cellBits * significance.size() > 24) {
                throw new ConfigException("cell-bits × cell-pairs must be <= 24 for bit-sliced weights, got "
                        + cellBits + " × " + significance.size());
            }
            double base = 1 << cellBits;
            for (int k = 0; k < significance.size(); k++) {
                double want = significance.get(0) * Math.pow(base, k);
                if (Math.abs(significance.get(k) - want) > 1e-9 * want) {
                    throw new ConfigException("significance must be f0·" + (int) base + "^k for bit-sliced cells of "
                            + cellBits + " bits, got " + significance);
                }
            }
        }
    }

    /**
     * A builder with the defaults: 512×512 tiles, 8-bit DAC (range 1, ABS_MAX), 8-bit ADC (range 12,
     * noise 0), differential mapping with per-column weight scaling, one read-noise draw per inference time.
     *
     * @return a new builder holding those defaults (no bound management, MSB-first filling, per-image conv scaling)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default configuration.
     *
     * @return the configuration of {@link #builder()} unchanged
     */
    public static TileConfig defaults() {
        return builder().build();
    }

    /**
     * aihwkit's inference tile defaults, to compare the two simulators on equal settings: its {@code IOParameters}
     * defaults (aihwkit 0.9: {@code inp_bound} 1 and {@code inp_res} 1/(2^7 − 2), a 7-bit DAC; {@code out_bound} 12
     * and {@code out_res} 1/(2^9 − 2), a 9-bit ADC; {@code out_noise} 0.06; {@code noise_management} ABS_MAX;
     * {@code bound_management} ITERATIVE with {@code max_bm_factor} 1000 and {@code max_bm_res} 0.25) on tiles of
     * its {@code MappingParameter} defaults ({@code max_input_size} = {@code max_output_size} = 512). Its weight
     * mapping (one abs-max per tile in the PCM noise model's conductance converter) is {@link WeightScaling#PER_TILE}
     * here. Not modelled: {@code inp_noise}, {@code w_noise} and output non-linearity (all 0 by default); IR drop
     * ({@code ir_drop}, 0 by default there) is {@link #wireResistance()}, off here as well.
     *
     * @return 512×512 tiles, 7-bit DAC of range 1 with ABS_MAX, 9-bit ADC of range 12, output noise 0.06,
     *     ITERATIVE bound management, per-tile weight scaling; the other settings as {@link #defaults()}
     */
    public static TileConfig aihwkitInference() {
        return builder().tileSize(512, 512).inputBits(7).inputRange(1).inputScaling(InputScaling.ABS_MAX)
                .outputBits(9).outputRange(12).outputNoise(0.06).boundManagement(BoundManagement.ITERATIVE)
                .weightScaling(WeightScaling.PER_TILE).build();
    }

    /**
     * The forward (IO) part of aihwkit's {@code StandardHWATrainingPreset} (Rasch et al., Nat. Commun. 14, 5282,
     * 2023): 8-bit DAC and ADC ({@code inp_res} = {@code out_res} = 254 steps), {@code out_bound} 10,
     * {@code out_noise} 0.04, no bound management, column-wise weight scaling, 512 inputs per tile and no limit on
     * the outputs per tile ({@code max_output_size} 0). Its {@code noise_management} CONSTANT with
     * {@code nm_thres} 1 is {@link InputScaling#NONE} with input range 1: aihwkit pairs it with a learned input
     * range (initialised at 3), which aimc does not learn, so inputs must already lie in about [−1, 1]. Not
     * modelled: the learned input range, {@code w_noise} 0.0175 of type PCM_READ. IR drop ({@code ir_drop} 1 there,
     * along the inputs only) is left off so that results with this preset stay as they were; our model of it, along
     * word and bit lines, is {@link Builder#wireResistance}.
     *
     * @return 512 rows × 2^20 columns per tile, 8-bit DAC of range 1 without input scaling, 8-bit ADC of range 10,
     *     output noise 0.04, per-column weight scaling; the other settings as {@link #defaults()}
     */
    public static TileConfig aihwkitStandardHwa() {
        return builder().tileSize(512, 1 << 20).inputBits(8).inputRange(1).inputScaling(InputScaling.NONE)
                .outputBits(8).outputRange(10).outputNoise(0.04).boundManagement(BoundManagement.NONE)
                .weightScaling(WeightScaling.PER_COLUMN).build();
    }

    /** The names of the tile presets ({@link #preset}), in the order the command line lists them. */
    public static final List<String> PRESETS = List.of("default", "aihwkit", "aihwkit-standard-hwa");

    /**
     * The configuration a preset name stands for: "default" ({@link #defaults()}), "aihwkit"
     * ({@link #aihwkitInference()}) or "aihwkit-standard-hwa" ({@link #aihwkitStandardHwa()}).
     *
     * @param name the preset's name (any case, surrounding blanks ignored)
     * @return the preset's configuration, or null for any other name
     */
    public static TileConfig preset(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "default" -> defaults();
            case "aihwkit" -> aihwkitInference();
            case "aihwkit-standard-hwa" -> aihwkitStandardHwa();
            default -> null;
        };
    }

    /**
     * A builder initialised from this configuration.
     *
     * @return a new builder holding every setting of this configuration (changing it does not change this one)
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRows = maxRows;
        b.maxCols = maxCols;
        b.wireResistance = wireResistance;
        b.adcGainStd = adcGainStd;
        b.adcOffsetStd = adcOffsetStd;
        b.inputBits = inputBits;
        b.inputRange = inputRange;
        b.inputScaling = inputScaling;
        b.outputBits = outputBits;
        b.outputRange = outputRange;
        b.outputNoise = outputNoise;
        b.mapping = mapping;
        b.weightScaling = weightScaling;
        b.significance = new ArrayList<>(significance);
        b.readNoise = readNoise;
        b.boundManagement = boundManagement;
        b.filling = filling;
        b.convScaling = convScaling;
        b.cellBits = cellBits;
        b.weightScale = weightScale;
        return b;
    }

    /**
     * Rows per tile: the most inputs one crossbar takes; a matrix with more inputs is split into row-tiles whose
     * outputs are summed digitally.
     *
     * @return rows per tile, in [1, 2^20] (default 512)
     */
    public int maxRows() {
        return maxRows;
    }

    /**
     * Device columns per tile: the most outputs one crossbar produces, the reference column of
     * {@link Mapping#UNIPOLAR_OFFSET} included ({@link #weightColsPerTile()} excludes it).
     *
     * @return columns per tile, in [1, 2^20] (default 512)
     */
    public int maxCols() {
        return maxCols;
    }

    /**
     * DAC resolution: a signed DAC with 2^bits − 1 levels, zero included.
     *
     * @return bits, in [2, 24] (default 8)
     */
    public int inputBits() {
        return inputBits;
    }

    /**
     * DAC range: scaled inputs u = x/α are clipped to ±inputRange (aihwkit's {@code inp_bound}).
     *
     * @return the half-range in normalized input units, &gt; 0 (default 1)
     */
    public double inputRange() {
        return inputRange;
    }

    /**
     * Per-vector input scaling before the DAC (aihwkit's noise management).
     *
     * @return {@link InputScaling#NONE} or {@link InputScaling#ABS_MAX} (default), never null
     */
    public InputScaling inputScaling() {
        return inputScaling;
    }

    /**
     * ADC resolution: a signed ADC with 2^bits − 1 levels, codes in ±(2^(bits−1) − 1).
     *
     * @return bits, in [2, 24] (default 8)
     */
    public int outputBits() {
        return outputBits;
    }

    /**
     * ADC range: column outputs saturate at ±outputRange (aihwkit's {@code out_bound}).
     *
     * @return the half-range in normalized output units, &gt; 0 (default 12)
     */
    public double outputRange() {
        return outputRange;
    }

    /**
     * Std of the additive output noise in normalized output units (aihwkit's {@code out_noise}), ≥ 0.
     *
     * @return σ_out, ≥ 0 (0, the default, adds no noise)
     */
    public double outputNoise() {
        return outputNoise;
    }

    /**
     * How a signed weight becomes device conductances.
     *
     * @return the mapping, never null (default {@link Mapping#DIFFERENTIAL})
     */
    public Mapping mapping() {
        return mapping;
    }

    /**
     * Granularity of the weight scale s = max|W| that maps the weights onto [−1, 1].
     *
     * @return {@link WeightScaling#PER_TILE}, {@link WeightScaling#PER_COLUMN} (default) or
     *     {@link WeightScaling#FIXED}, never null
     */
    public WeightScaling weightScaling() {
        return weightScaling;
    }

    /**
     * The fixed weight scale s of {@link WeightScaling#FIXED}: the weight that maps onto g_max on every tile.
     *
     * @return s in weight units, &gt; 0 with FIXED; 0 for the other weight scalings (s taken from the weights)
     */
    public double weightScale() {
        return weightScale;
    }

    /**
     * Significance factors of the cell pairs, least significant first ({@link Mapping#MULTI}).
     *
     * @return an unmodifiable, non-empty list of factors f_k &gt; 0 (default [1]); read only by {@link Mapping#MULTI}
     */
    public List<Double> significance() {
        return significance;
    }

    /**
     * When the read noise is drawn.
     *
     * @return {@link ReadNoise#PER_TIME} (default) or {@link ReadNoise#PER_BATCH}, never null
     */
    public ReadNoise readNoise() {
        return readNoise;
    }

    /**
     * What happens when a tile's outputs saturate.
     *
     * @return {@link BoundManagement#NONE} (default) or {@link BoundManagement#ITERATIVE}, never null
     */
    public BoundManagement boundManagement() {
        return boundManagement;
    }

    /**
     * Which pair of a multi-pair weight is filled first.
     *
     * @return {@link Filling#MSB_FIRST} (default) or {@link Filling#LSB_FIRST}, never null; read only by
     *     {@link Mapping#MULTI}
     */
    public Filling filling() {
        return filling;
    }

    /**
     * Over what a convolution's input scale is taken.
     *
     * @return {@link ConvScaling#PER_IMAGE} (default) or {@link ConvScaling#PER_PATCH}, never null
     */
    public ConvScaling convScaling() {
        return convScaling;
    }

    /**
     * True when the read noise is drawn once per inference time ({@link ReadNoise#PER_TIME}).
     *
     * @return true for {@link ReadNoise#PER_TIME}, false for {@link ReadNoise#PER_BATCH}
     */
    public boolean freezeReadNoise() {
        return readNoise == ReadNoise.PER_TIME;
    }

    /**
     * DAC step in normalized input units.
     *
     * @return Δin = inputRange / (2^(inputBits−1) − 1), &gt; 0 (1/127 for the defaults)
     */
    public double inputStep() {
        return Converters.step(inputBits, inputRange);
    }

    /**
     * ADC step in normalized output units.
     *
     * @return Δout = outputRange / (2^(outputBits−1) − 1), &gt; 0 (12/127 for the defaults)
     */
    public double outputStep() {
        return Converters.step(outputBits, outputRange);
    }

    /**
     * The converters' settings (DAC, ADC, output noise) in tile units.
     *
     * @return a new settings record with this configuration's DAC and ADC bits and ranges, input scaling and output
     *     noise
     */
    public Converters.Settings converters() {
        return new Converters.Settings(inputBits, inputRange, inputScaling, outputBits, outputRange, outputNoise);
    }

    /**
     * Output columns usable for weights per tile (one less with a reference column).
     *
     * @return {@link #maxCols()} − 1 for {@link Mapping#UNIPOLAR_OFFSET}, otherwise {@link #maxCols()}; ≥ 1
     */
    public int weightColsPerTile() {
        return mapping == Mapping.UNIPOLAR_OFFSET ? maxCols - 1 : maxCols;
    }

    /**
     * Bits per cell of {@link Filling#BIT_SLICED} multi-pair weights (2^b levels per device, digits base 2^b).
     *
     * @return b in [1, 16] with bit slicing; 0 (the default) when cells are not sliced (analog cells, or levels set
     *     by the device model only)
     */
    public int cellBits() {
        return cellBits;
    }

    /**
     * Wire resistance of one word-line or bit-line segment (the wire between neighbouring cells) times the device's
     * g_max: the dimensionless r·g_max of {@link IrDrop} (0 = no IR drop, the default). aihwkit's default
     * ({@code IOParameters.ir_drop_g_ratio} = 1/(0.35 Ω · 5 µS)) is r = 0.35 Ω per cell, i.e. r·g_max = 8.75e-6 for
     * PCM at g_max = 25 µS; CrossSim's parasitic resistance {@code Rp} is the same ratio (segment resistance over the
     * device's lowest resistance 1/g_max).
     *
     * @return r·g_max, ≥ 0 (0: ideal wires)
     */
    public double wireResistance() {
        return wireResistance;
    }

    /**
     * Relative standard deviation of the per-column ADC gain: each column's ADC multiplies its input by
     * 1 + σ_gain·z (z ~ N(0, 1), drawn once per chip instance, {@link ChipStreams#PERIPHERY}).
     *
     * @return σ_gain, in [0, 1) (0 = ideal gain, the default)
     */
    public double adcGainStd() {
        return adcGainStd;
    }

    /**
     * Standard deviation of the per-column ADC offset in ADC counts (LSB of the MVM ADC, {@link #outputStep()}):
     * each column adds σ_offset·z·Δout before quantization (z drawn once per chip instance).
     *
     * @return σ_offset in ADC counts, ≥ 0 (0 = no offset, the default)
     */
    public double adcOffsetStd() {
        return adcOffsetStd;
    }

    /**
     * True when the columns' ADCs have gain or offset mismatch ({@link #adcGainStd()} or {@link #adcOffsetStd()}
     * &gt; 0).
     *
     * @return whether the forward applies a per-column gain and offset before the ADC
     */
    public boolean adcMismatch() {
        return adcGainStd > 0 || adcOffsetStd > 0;
    }

    /**
     * The configuration as an ordered map (for reports).
     *
     * @return a new map from the setting names (maxRows, maxCols, inputBits, ... convScaling, in declaration order) to
     *     numbers, enum names or the significance list
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxRows", maxRows);
        m.put("maxCols", maxCols);
        m.put("inputBits", inputBits);
        m.put("inputRange", inputRange);
        m.put("inputScaling", inputScaling.name());
        m.put("outputBits", outputBits);
        m.put("outputRange", outputRange);
        m.put("outputNoise", outputNoise);
        m.put("mapping", mapping.name());
        m.put("weightScaling", weightScaling.name());
        if (weightScaling == WeightScaling.FIXED) {
            m.put("weightScale", weightScale);
        }
        m.put("significance", significance);
        m.put("readNoise", readNoise.name());
        m.put("boundManagement", boundManagement.name());
        m.put("filling", filling.name());
        m.put("convScaling", convScaling.name());
        if (cellBits != 0) {
            m.put("cellBits", cellBits);
        }
        // the periphery errors appear only when on, so that configurations without them compare and print as before
        if (wireResistance != 0) {
            m.put("wireResistance", wireResistance);
        }
        if (adcGainStd != 0) {
            m.put("adcGainStd", adcGainStd);
        }
        if (adcOffsetStd != 0) {
            m.put("adcOffsetStd", adcOffsetStd);
        }
        return m;
    }

    @Override
    public String toString() {
        return "TileConfig" + toMap();
    }

    /**
     * Two configurations are equal when every setting of {@link #toMap()} is.
     *
     * @param o the other object
     * @return true for a TileConfig with the same settings
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TileConfig t && toMap().equals(t.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    /** Builder; {@link #build()} validates and throws {@link ConfigException} naming the option. */
    public static final class Builder {
        private int maxRows = 512;
        private int maxCols = 512;
        private int inputBits = 8;
        private double inputRange = 1.0;
        private InputScaling inputScaling = InputScaling.ABS_MAX;
        private int outputBits = 8;
        private double outputRange = 12.0;
        private double outputNoise = 0.0;
        private Mapping mapping = Mapping.DIFFERENTIAL;
        private WeightScaling weightScaling = WeightScaling.PER_COLUMN;
        private List<Double> significance = List.of(1.0);
        private ReadNoise readNoise = ReadNoise.PER_TIME;
        private BoundManagement boundManagement = BoundManagement.NONE;
        private Filling filling = Filling.MSB_FIRST;
        private ConvScaling convScaling = ConvScaling.PER_IMAGE;
        private int cellBits = 0;
        private double weightScale = 0;
        private double wireResistance = 0;
        private double adcGainStd = 0;
        private double adcOffsetStd = 0;

        private Builder() {}

        /**
         * IR drop along word and bit lines ({@link TileConfig#wireResistance()}); validated by {@link #build()}.
         *
         * @param rTimesGMax wire-segment resistance × g_max, in [0, {@value TileConfig#MAX_WIRE_RESISTANCE}]
         *     (default 0: ideal wires)
         * @return this builder
         */
        public Builder wireResistance(double rTimesGMax) {
            wireResistance = rTimesGMax;
            return this;
        }

        /**
         * Per-column ADC gain and offset mismatch, drawn once per chip ({@link TileConfig#adcGainStd()},
         * {@link TileConfig#adcOffsetStd()}); validated by {@link #build()}.
         *
         * @param gainStd relative std of the column gain, in [0, 1) (default 0)
         * @param offsetStdCounts std of the column offset in ADC counts, ≥ 0 (default 0)
         * @return this builder
         */
        public Builder adcMismatch(double gainStd, double offsetStdCounts) {
            adcGainStd = gainStd;
            adcOffsetStd = offsetStdCounts;
            return this;
        }

        /**
         * Rows per tile (inputs per crossbar); validated by {@link #build()}.
         *
         * @param v rows, in [1, 2^20] (default 512)
         * @return this builder
         */
        public Builder maxRows(int v) {
            maxRows = v;
            return this;
        }

        /**
         * Device columns per tile, a reference column included; validated by {@link #build()}.
         *
         * @param v columns, in [1, 2^20] (default 512); ≥ 2 for {@link Mapping#UNIPOLAR_OFFSET}
         * @return this builder
         */
        public Builder maxCols(int v) {
            maxCols = v;
            return this;
        }

        /**
         * Rows and columns per tile at once ({@link #maxRows} and {@link #maxCols}).
         *
         * @param rows rows (inputs) per tile, in [1, 2^20]
         * @param cols device columns (outputs) per tile, in [1, 2^20]
         * @return this builder
         */
        public Builder tileSize(int rows, int cols) {
            maxRows = rows;
            maxCols = cols;
            return this;
        }

        /**
         * DAC resolution.
         *
         * @param v bits, in [2, 24] (default 8)
         * @return this builder
         */
        public Builder inputBits(int v) {
            inputBits = v;
            return this;
        }

        /**
         * DAC range (aihwkit's {@code inp_bound}).
         *
         * @param v half-range in normalized input units, &gt; 0 (default 1)
         * @return this builder
         */
        public Builder inputRange(double v) {
            inputRange = v;
            return this;
        }

        /**
         * Per-vector input scaling before the DAC.
         *
         * @param v the scaling, not null (default {@link InputScaling#ABS_MAX})
         * @return this builder
         */
        public Builder inputScaling(InputScaling v) {
            inputScaling = v;
            return this;
        }

        /**
         * ADC resolution.
         *
         * @param v bits, in [2, 24] (default 8)
         * @return this builder
         */
        public Builder outputBits(int v) {
            outputBits = v;
            return this;
        }

        /**
         * ADC range (aihwkit's {@code out_bound}).
         *
         * @param v half-range in normalized output units, &gt; 0 (default 12)
         * @return this builder
         */
        public Builder outputRange(double v) {
            outputRange = v;
            return this;
        }

        /**
         * Std of the additive output noise in normalized output units (aihwkit's {@code out_noise}).
         *
         * @param v σ_out, ≥ 0 (default 0: no noise)
         * @return this builder
         */
        public Builder outputNoise(double v) {
            outputNoise = v;
            return this;
        }

        /**
         * How a signed weight becomes conductances.
         *
         * @param v the mapping, not null (default {@link Mapping#DIFFERENTIAL}); for {@link Mapping#MULTI} see also
         *     {@link #multi} and {@link #significance}
         * @return this builder
         */
        public Builder mapping(Mapping v) {
            mapping = v;
            return this;
        }

        /**
         * Granularity of the weight scale s = max|W|.
         *
         * @param v the scaling, not null (default {@link WeightScaling#PER_COLUMN})
         * @return this builder
         */
        public Builder weightScaling(WeightScaling v) {
            weightScaling = v;
            if (v != WeightScaling.FIXED) {
                weightScale = 0;
            }
            return this;
        }

        /**
         * {@link WeightScaling#FIXED} with the weight scale s: every tile maps ±s onto ±g_max; validated by
         * {@link #build()}.
         *
         * @param s the weight scale in weight units, &gt; 0 and finite (e.g. uniform scaling's W)
         * @return this builder (weight scaling FIXED)
         */
        public Builder fixedWeightScale(double s) {
            weightScaling = WeightScaling.FIXED;
            weightScale = s;
            return this;
        }

        /**
         * {@link Mapping#MULTI} with {@code pairs} pairs of significance base^k, k = 0 (least) .. pairs−1.
         *
         * @param pairs differential pairs per weight, in [1, 8]
         * @param base ratio of the significance of neighbouring pairs, finite and &gt; 0 (e.g. 2: each pair counts
         *     twice the one below it)
         * @return this builder, with the mapping set to {@link Mapping#MULTI}
         * @throws ConfigException when pairs is out of range or base is not positive (at once, naming cell-pairs or
         *     significance-base)
         */
        public Builder multi(int pairs, double base) {
            Check.range("cell-pairs", pairs, 1, 8);
            Check.positive("significance-base", base);
            List<Double> f = new ArrayList<>();
            for (int k = 0; k < pairs; k++) {
                f.add(Math.pow(base, k));
            }
            mapping = Mapping.MULTI;
            significance = f;
            return this;
        }

        /**
         * Bit slicing: {@link Mapping#MULTI} with {@code pairs} differential pairs of significance (2^cellBits)^k
         * and {@link Filling#BIT_SLICED} digits, so a weight has 1 + cellBits·pairs bits (sign and magnitude).
         *
         * @param pairs cell pairs (slices) per weight, in [1, 8]
         * @param cellBits bits per cell b, in [1, 16]: 2^b levels per device
         * @return this builder (mapping, significance, filling and cell bits set)
         * @throws ConfigException naming cell-pairs or cell-bits when out of range
         */
        public Builder bitSliced(int pairs, int cellBits) {
            Check.range("cell-bits", cellBits, 1, 16);
            multi(pairs, 1 << cellBits);
            this.cellBits = cellBits;
            filling = Filling.BIT_SLICED;
            return this;
        }

        /**
         * Bits per cell for {@link Filling#BIT_SLICED} (0, the default: not sliced).
         *
         * @param v bits per cell, in [0, 16]
         * @return this builder
         */
        public Builder cellBits(int v) {
            cellBits = v;
            return this;
        }

        /**
         * Explicit significance factors, least significant first.
         *
         * @param factors one factor &gt; 0 per cell pair (copied); null or empty is rejected by {@link #build()}
         * @return this builder (the mapping is not changed: set {@link Mapping#MULTI} to use the factors)
         */
        public Builder significance(List<Double> factors) {
            significance = factors == null ? List.of() : new ArrayList<>(factors);
            return this;
        }

        /**
         * Bound management (default {@link BoundManagement#NONE}).
         *
         * @param v the bound management, not null
         * @return this builder
         */
        public Builder boundManagement(BoundManagement v) {
            boundManagement = v;
            return this;
        }

        /**
         * Convolution input scaling (default {@link ConvScaling#PER_IMAGE}).
         *
         * @param v the scaling, not null
         * @return this builder
         */
        public Builder convScaling(ConvScaling v) {
            convScaling = v;
            return this;
        }

        /**
         * Multi-pair filling order (default {@link Filling#MSB_FIRST}).
         *
         * @param v the order, not null
         * @return this builder
         */
        public Builder filling(Filling v) {
            filling = v;
            return this;
        }

        /**
         * When the read noise is drawn (default {@link ReadNoise#PER_TIME}).
         *
         * @param v the read-noise timing, not null
         * @return this builder
         */
        public Builder readNoise(ReadNoise v) {
            readNoise = v;
            return this;
        }

        /**
         * {@code true}: {@link ReadNoise#PER_TIME}; {@code false}: {@link ReadNoise#PER_BATCH}.
         *
         * @param v true to draw the read noise once per inference time, false to draw it for every forward pass
         * @return this builder
         */
        public Builder freezeReadNoise(boolean v) {
            readNoise = v ? ReadNoise.PER_TIME : ReadNoise.PER_BATCH;
            return this;
        }

        /**
         * Validates the settings and builds the configuration.
         *
         * @return the immutable configuration
         * @throws ConfigException naming the option (max-rows, dac-bits, adc-range, out-noise, mapping, significance,
         *     ...) when a value is out of range or null
         */
        public TileConfig build() {
            return new TileConfig(this);
        }
    }
}
