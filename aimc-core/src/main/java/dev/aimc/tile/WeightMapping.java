package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.ConfigException;
import java.util.List;

/**
 * How a signed normalized weight w ∈ [−1, 1] becomes normalized device conductances t ∈ [0, 1] (the tile turns them
 * into g_min + t·(g_max − g_min)), and how the periphery combines the devices' currents back into w: the effective
 * weight is gain · Σ_d c_d·t_d (minus the reference column where there is one). One implementation per
 * {@link TileConfig.Mapping}; {@link #of(TileConfig)} picks it.
 */
public interface WeightMapping {

    /**
     * The mapped weights.
     *
     * @param targets normalized target conductances [R, C, D, rows, deviceCols] in [0, 1] (D devices per weight
     *     position; deviceCols = cols + 1 with a reference column)
     * @param coefficients c_d, one per device plane (D values): the analog weights of the planes' currents
     * @param gain the digital factor restoring w after the ADC (e.g. 2 for the offset mapping, 1/F for multi-pair)
     * @param tileCoefficients c_d per tile [R, C, D, 1, 1] where they differ from tile to tile (the per-tile sign of
     *     {@link TileConfig.Mapping#PER_TILE_SIGN}: 0 for a device a tile does not have), or null: {@code coefficients}
     *     on every tile
     */
    record Mapped(NDArray targets, float[] coefficients, float gain, NDArray tileCoefficients) {
        /**
         * The same coefficients on every tile.
         *
         * @param targets normalized target conductances [R, C, D, rows, deviceCols] in [0, 1]
         * @param coefficients c_d, one per device plane
         * @param gain the digital factor restoring w after the ADC
         */
        public Mapped(NDArray targets, float[] coefficients, float gain) {
            this(targets, coefficients, gain, null);
        }
    }

    /**
     * Maps normalized weights.
     *
     * @param wn normalized weights [R, C, rows, cols] in [−1, 1]
     * @param w the weights before normalization (for sign checks), any layout
     * @return targets in wn's manager
     */
    Mapped map(NDArray wn, NDArray w);

    /**
     * True when the last device column of every tile is a reference column subtracted before the ADC.
     *
     * @return true for {@link TileConfig.Mapping#UNIPOLAR_OFFSET} (each tile then holds one weight column fewer),
     *     false for the other mappings
     */
    default boolean referenceColumn() {
        return false;
    }

    /**
     * The mapping of a configuration.
     *
     * @param cfg the tile configuration; its {@link TileConfig#mapping()} picks the implementation, and for
     *     {@link TileConfig.Mapping#MULTI} its {@link TileConfig#significance()} and {@link TileConfig#filling()}
     * @return a new mapping (an immutable record)
     */
    static WeightMapping of(TileConfig cfg) {
        return switch (cfg.mapping()) {
            case DIFFERENTIAL -> new Differential();
            case UNIPOLAR -> new Unipolar();
            case UNIPOLAR_OFFSET -> new UnipolarOffset();
            case PER_TILE_SIGN -> new PerTileSign();
            case MULTI -> cfg.filling() == TileConfig.Filling.BIT_SLICED
                    ? new BitSliced(cfg.significance().size(), cfg.cellBits())
                    : new MultiPair(cfg.significance(), cfg.filling());
        };
    }

    /** Stacks device planes along a new axis 2: [R, C, rows, cols] each → [R, C, D, rows, cols]. */
    private static NDArray planes(NDArray... a) {
        return a.length == 1 ? a[0].expandDims(2) : NDArrays.stack(new NDList(a), 2);
    }

    /** A device pair per weight: G+ holds positive, G− negative weights; never both above g_min. */
    record Differential() implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            return new Mapped(planes(wn.maximum(0f), wn.neg().maximum(0f)), new float[] {1f, -1f}, 1f);
        }
    }

    /** One device per weight, for matrices whose weights all have one sign (the sign is kept digitally). */
    record Unipolar() implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            boolean nonNeg = w.gte(0f).all().getBoolean();
            boolean nonPos = w.lte(0f).all().getBoolean();
            if (!nonNeg && !nonPos) {
                throw new ConfigException("mapping UNIPOLAR needs weights of one sign; use UNIPOLAR_OFFSET"
                        + " or DIFFERENTIAL, got a matrix with mixed signs");
            }
            return new Mapped(planes(wn.abs()), new float[] {1f}, nonNeg ? 1f : -1f);
        }
    }

    /**
     * The sign mode of every tile of weights [R, C, rows, cols]: +1 where all weights are ≥ 0 (an all-zero tile
     * included), −1 where all are ≤ 0 and some &lt; 0, 0 (bipolar) where both signs occur.
     *
     * @param tiles weights as tiles [R, C, rows, cols]
     * @return [R][C] of +1, −1 or 0
     */
    static int[][] tileSigns(NDArray tiles) {
        Shape s = tiles.getShape();
        int r = (int) s.get(0);
        int c = (int) s.get(1);
        float[] lo = tiles.min(new int[] {3}).min(new int[] {2}).toFloatArray();
        float[] hi = tiles.max(new int[] {3}).max(new int[] {2}).toFloatArray();
        int[][] out = new int[r][c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                float a = lo[i * c + j];
                float b = hi[i * c + j];
                out[i][j] = a >= 0 ? 1 : b <= 0 ? -1 : 0;
            }
        }
        return out;
    }

    /**
     * Per tile ({@link TileConfig.Mapping#PER_TILE_SIGN}): a tile of one sign holds |w| on one device per weight
     * (plane 0, coefficient ±1: the sign applied digitally), its plane-1 devices absent (coefficient 0, target 0);
     * a tile with both signs holds a differential pair (coefficients +1, −1), as {@link Differential}.
     */
    record PerTileSign() implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            int[][] sign = tileSigns(wn);
            int r = sign.length;
            int c = sign[0].length;
            float[] neg = new float[r * c];
            float[] coeff = new float[r * c * 2];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    int t = i * c + j;
                    neg[t] = sign[i][j] < 0 ? 1f : 0f;
                    coeff[2 * t] = sign[i][j] < 0 ? -1f : 1f;
                    coeff[2 * t + 1] = sign[i][j] == 0 ? -1f : 0f;
                }
            }
            NDManager m = wn.getManager();
            NDArray negTile = m.create(neg, new Shape(r, c, 1, 1));
            NDArray pos = wn.maximum(0f);
            NDArray mag = wn.neg().maximum(0f);
            // plane 0: |w| on a negative tile, w⁺ elsewhere; plane 1: w⁻ (zero on a unipolar tile)
            NDArray p0 = pos.add(mag.sub(pos).mul(negTile));
            NDArray p1 = mag.mul(negTile.neg().add(1f));
            NDArray tc = m.create(coeff, new Shape(r, c, 2, 1, 1)).mul(1f); // torch-owned storage (see AnalogMatrix)
            return new Mapped(planes(p0, p1), new float[] {1f, -1f}, 1f, tc);
        }
    }

    /**
     * One device per weight at t = (w + 1)/2 and one reference column per tile at t = 1/2, whose current is
     * subtracted from every column before the ADC (the ADC sees w/2·u; a digital gain of 2 restores it).
     */
    record UnipolarOffset() implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            Shape s = wn.getShape();
            NDArray g = wn.add(1f).div(2f);
            NDArray ref = wn.getManager().full(new Shape(s.get(0), s.get(1), s.get(2), 1), 0.5f);
            return new Mapped(planes(g.concat(ref, 3)), new float[] {1f}, 2f);
        }

        @Override
        public boolean referenceColumn() {
            return true;
        }
    }

    /**
     * Several differential pairs per weight with significance factors f_k (least significant first), combined in
     * analog as Σ f_k·(G+_k − G−_k) and divided digitally by F = Σ f_k. The weight times F is split over the pairs,
     * the most significant pair first (the less significant ones hold the remainder) or the least significant first.
     */
    record MultiPair(List<Double> significance, TileConfig.Filling filling) implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            List<Double> f = significance;
            double total = f.stream().mapToDouble(Double::doubleValue).sum();
            NDArray r = wn.mul((float) total);
            NDArray[] parts = new NDArray[2 * f.size()];
            float[] c = new float[2 * f.size()];
            boolean lsbFirst = filling == TileConfig.Filling.LSB_FIRST;
            for (int i = 0; i < f.size(); i++) { // a loop over significance levels, not devices
                int k = lsbFirst ? i : f.size() - 1 - i;
                float fk = f.get(k).floatValue();
                NDArray gk = r.div(fk).clip(-1f, 1f);
                r = r.sub(gk.mul(fk));
                parts[2 * k] = gk.maximum(0f);
                parts[2 * k + 1] = gk.neg().maximum(0f);
                c[2 * k] = fk;
                c[2 * k + 1] = -fk;
            }
            return new Mapped(planes(parts), c, (float) (1.0 / total));
        }
    }

    /**
     * Bit slicing ({@link TileConfig.Filling#BIT_SLICED}): |w| quantized to q = round(|w|·(B^P − 1)) with B = 2^b,
     * pair k (least significant first) holding the digit ⌊q / B^k⌋ mod B as the level digit/(B − 1) on the device of
     * w's sign. Coefficients ±B^k, digital gain (B − 1)/(B^P − 1), so the effective weight is sign·q/(B^P − 1).
     *
     * @param pairs P, pairs (slices) per weight
     * @param cellBits b, bits per cell
     */
    record BitSliced(int pairs, int cellBits) implements WeightMapping {
        @Override
        public Mapped map(NDArray wn, NDArray w) {
            double base = 1 << cellBits;
            double top = Math.pow(base, pairs) - 1; // q_max = B^P − 1
            NDArray q = wn.abs().mul((float) top).round();
            NDArray pos = wn.gte(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray neg = pos.neg().add(1f);
            NDArray[] parts = new NDArray[2 * pairs];
            float[] c = new float[2 * pairs];
            for (int k = 0; k < pairs; k++) { // a loop over slices, not devices
                // digit = ⌊q / B^k⌋ mod B; q < 2^24 for P·b ≤ 24, exact in float32
                NDArray digit = q.div((float) Math.pow(base, k)).floor();
                digit = digit.sub(digit.div((float) base).floor().mul((float) base));
                NDArray level = digit.div((float) (base - 1));
                parts[2 * k] = level.mul(pos);
                parts[2 * k + 1] = level.mul(neg);
                c[2 * k] = (float) Math.pow(base, k);
                c[2 * k + 1] = -(float) Math.pow(base, k);
            }
            return new Mapped(planes(parts), c, (float) ((base - 1) / top));
        }
    }
}
