package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.GaussianNoise;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Parallel;
import dev.aimc.util.RandomStream;
import java.nio.FloatBuffer;

/**
 * The tile's output noise, ADC and digital scaling fused, in integer ADC units: the fast formulation of
 * {@link Converters#outputNoise} followed by {@link Converters#adc} that the integer-units forward of
 * {@link AnalogMatrix} uses (the same values; {@code IntegerUnitsForwardTest} checks them against the stepwise
 * pipeline).
 */
public final class IntegerAdc {
    private IntegerAdc() {}

    /**
     * Output noise, ADC and digital scaling in one pass: q = clamp(rint(y + σ·z), −levels, levels) with z the next
     * draw of {@code rng} (no draw when σ = 0), then, element j of the flattened array in row r = j / rowLength, q·rowFactor[r]
     * and then ·colFactor[(r / rowsPerGroup)·rowLength + j mod rowLength] (either factor may be null). y is in ADC
     * steps (float32) and may be overwritten: the result is y itself or a new array in its manager.
     *
     * <p>With {@link NativeKernels} one pass per block; without, PyTorch's add, round, clip and multiplies, with the
     * same values.
     *
     * @param y the pre-ADC outputs in ADC steps (the column currents divided by the ADC step), float32, any shape
     *     whose size is a multiple of {@code rowLength}; may be overwritten
     * @param sigma the output-noise standard deviation σ in ADC steps, ≥ 0; 0 adds no noise and takes no draw
     * @param levels the largest ADC code magnitude, &gt; 0: 2^(bits−1) − 1 for a signed ADC of that many bits (127
     *     for 8 bits); codes are clamped to [−levels, levels]
     * @param rowFactor [rows] with rows = y.size() / rowLength, or null (in {@link AnalogMatrix} the input scale
     *     α·Δin of each vector and row-tile)
     * @param rowLength the number of elements of one row of the flattened array, ≥ 1 (the row's output columns)
     * @param colFactor [groups, rowLength] with groups = rows / rowsPerGroup, or null (in {@link AnalogMatrix} the
     *     per-column weight and output scale of each row-tile)
     * @param rowsPerGroup consecutive rows that share one row of {@code colFactor}, ≥ 1 (ignored when
     *     {@code colFactor} is null)
     * @param rng the stream that supplies the output noise (one draw when σ &gt; 0)
     * @return the ADC codes times the factors (codes alone when both factors are null), float32 of {@code y}'s
     *     shape: {@code y} itself or a new array in {@code y}'s manager
     * @throws IllegalArgumentException when rowLength does not divide y.size() or rowsPerGroup does not divide the
     *     row count (with a colFactor)
     */
    public static NDArray convert(NDArray y, float sigma, float levels, NDArray rowFactor, int rowLength,
            NDArray colFactor, int rowsPerGroup, RandomStream rng) {
        NDManager m = y.getManager();
        long n = y.size();
        if (n % rowLength != 0 || (colFactor != null && (n / rowLength) % rowsPerGroup != 0)) {
            throw new IllegalArgumentException("rows of " + rowLength + " (groups of " + rowsPerGroup
                    + ") do not divide " + y.getShape());
        }
        if (!NativeKernels.enabled() || sigma == 0) {
            NDArray noisy = sigma == 0 ? y : rng.normal(m, sigma, y.getShape()).addi(y);
            NDArray r = noisy.round();
            if (noisy != y) {
                noisy.close();
            }
            NDArray q = r.clip(-levels, levels);
            r.close();
            long rows = n / rowLength;
            if (rowFactor != null) { // in place through a view of q's storage
                q.reshape(rows, rowLength).muli(rowFactor.reshape(rows, 1));
            }
            if (colFactor != null) {
                long groups = rows / rowsPerGroup;
                q.reshape(groups, rowsPerGroup, rowLength).muli(colFactor.reshape(groups, 1, rowLength));
            }
            return q;
        }
        long drawKey = rng.newDraw();
        boolean inPlace = NativeKernels.contiguous(y);
        NDArray out = inPlace ? y : m.create(y.getShape(), DataType.FLOAT32);
        FloatBuffer src = GaussianNoise.floats(y);
        FloatBuffer dst = inPlace ? src : GaussianNoise.floats(out);
        FloatBuffer rf = rowFactor == null ? null : GaussianNoise.floats(rowFactor);
        FloatBuffer cf = colFactor == null ? null : GaussianNoise.floats(colFactor);
        GaussianNoise.byBlocks(n, Parallel.threads(), (b0, b1, t) -> NativeKernels.noisyAdcDraw(dst, src, n, drawKey, sigma,
                levels, rf, rowLength, cf, rowsPerGroup, b0, b1, t));
        return out;
    }

}
