package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.Arrays;

/**
 * The sign mode of every tile-sized sub-matrix of a layer (García-Redondo et al.'s unipolar sub-matrices): + (all
 * weights in [0, W]: one device per weight), − (all in [−W, 0]: one device per weight, the sign applied digitally)
 * or bipolar (a differential pair). The weight matrix [out, in] is cut as the tiles cut it: row-tile r holds inputs
 * r·rows … r·rows + rows − 1, column-tile c outputs c·cols … c·cols + cols − 1. A convolution's matrix is its
 * unrolled weight [out, inChannels·k²], whose row-tiles hold whole input channels ({@link #rowsPerTile}). Training projects the weights of a
 * signed tile onto its sign (clipping, so the straight-through gradient is 0 where a weight is held at 0), and the
 * inference tiles ({@link dev.aimc.tile.TileConfig.Mapping#PER_TILE_SIGN}) then hold one device per weight on it.
 *
 * @param rows inputs per row-tile, ≥ 1
 * @param cols outputs per column-tile, ≥ 1
 * @param signs [rowTiles][colTiles] of +1, −1 or 0 (bipolar)
 */
public record TileSigns(int rows, int cols, int[][] signs) {

    /**
     * Validates and copies.
     *
     * @param rows inputs per row-tile, ≥ 1
     * @param cols outputs per column-tile, ≥ 1
     * @param signs a non-empty rectangular array of +1, −1 or 0
     */
    public TileSigns {
        Check.range("tile-rows", rows, 1, 1 << 20);
        Check.range("tile-cols", cols, 1, 1 << 20);
        if (signs == null || signs.length == 0 || signs[0].length == 0) {
            throw new ConfigException("tile-signs must give at least one tile, got none");
        }
        int[][] copy = new int[signs.length][];
        for (int r = 0; r < signs.length; r++) {
            Check.that(signs[r].length == signs[0].length, "tile-signs", "must give the same number of column-tiles"
                    + " in every row-tile", Arrays.deepToString(signs));
            for (int v : signs[r]) {
                Check.that(v == 1 || v == -1 || v == 0, "tile-signs", "must be +, − or bipolar (0)", v);
            }
            copy[r] = signs[r].clone();
        }
        signs = copy;
    }

    /**
     * The inputs per row-tile of a layer's matrix on tiles of {@code maxRows} rows: {@code maxRows} for a fully
     * connected layer; ⌊maxRows / k²⌋·k² for a convolution of kernel k (whole input channels per row-tile, as
     * {@link dev.aimc.tile.TileGrid#ofConv} lays them out).
     *
     * @param maxRows rows of a tile, ≥ 1
     * @param kernel the convolution's kernel size in pixels, or 1 for a fully connected layer
     * @return inputs per row-tile
     * @throws ConfigException when a tile cannot hold one input channel (maxRows &lt; k²)
     */
    public static int rowsPerTile(int maxRows, int kernel) {
        int k2 = kernel * kernel;
        Check.that(maxRows >= k2, "max-rows", "must be >= kernel² = " + k2 + " to hold one input channel", maxRows);
        return maxRows / k2 * k2;
    }

    /**
     * Parses "+-/0+": one character per column-tile (+, - or 0 for bipolar), row-tiles separated by '/'.
     *
     * @param option the option named in an error
     * @param rows inputs per row-tile
     * @param cols outputs per column-tile
     * @param text the signs
     * @return the signs
     * @throws ConfigException naming {@code option} for any other character or ragged rows
     */
    public static TileSigns parse(String option, int rows, int cols, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(option + " must give the sign of every tile (+, - or 0), got none");
        }
        String[] parts = text.strip().split("/");
        int[][] s = new int[parts.length][];
        for (int r = 0; r < parts.length; r++) {
            s[r] = new int[parts[r].length()];
            for (int c = 0; c < parts[r].length(); c++) {
                char ch = parts[r].charAt(c);
                s[r][c] = switch (ch) {
                    case '+' -> 1;
                    case '-' -> -1;
                    case '0' -> 0;
                    default -> throw new ConfigException(option + " must be +, - or 0 (bipolar) per tile, got '" + ch
                            + "' in " + text);
                };
            }
        }
        try {
            return new TileSigns(rows, cols, s);
        } catch (ConfigException e) {
            throw new ConfigException(option + ": " + e.getMessage());
        }
    }

    /**
     * The signs as {@link #parse} reads them.
     *
     * @return e.g. "+-/0+"
     */
    public String label() {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < signs.length; r++) {
            if (r > 0) {
                b.append('/');
            }
            for (int v : signs[r]) {
                b.append(v > 0 ? '+' : v < 0 ? '-' : '0');
            }
        }
        return b.toString();
    }

    /**
     * The weights projected onto their tiles' signs: w clipped to [0, ∞) on + tiles, (−∞, 0] on − tiles, unchanged on
     * bipolar tiles (differentiable: gradient 1 where unchanged, 0 where held at 0).
     *
     * @param w weights [out, in], or a convolution's [out, inChannels, k, k] as its unrolled matrix
     *     [out, inChannels·k²] (row order channel, ky, kx, as {@link dev.aimc.tile.TileGrid#ofConv} tiles it)
     * @return a new array of w's shape in w's manager
     * @throws ConfigException when the layer does not have exactly the tiles of the signs
     */
    public NDArray project(NDArray w) {
        Shape s = w.getShape();
        int out = (int) s.get(0);
        int in = (int) (s.size() / out);
        int rt = (in + rows - 1) / rows;
        int ct = (out + cols - 1) / cols;
        if (rt != signs.length || ct != signs[0].length) {
            throw new ConfigException("tile-signs give " + signs.length + " × " + signs[0].length + " tiles but the"
                    + " layer [" + out + ", " + in + "] has " + rt + " × " + ct + " tiles of " + rows + " × " + cols);
        }
        float big = Float.MAX_VALUE;
        float[] lo = new float[out * in];
        float[] hi = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                int v = signs[i / rows][o / cols];
                lo[o * in + i] = v > 0 ? 0f : -big;
                hi[o * in + i] = v < 0 ? 0f : big;
            }
        }
        NDManager m = w.getManager();
        try (NDManager tmp = m.newSubManager()) {
            tmp.tempAttachAll(w); // intermediates land in tmp; w returns to its manager
            // row-major: element (o, i) of the unrolled matrix. Torch-owned copies (mul(1f), see AnalogMatrix):
            // maximum and minimum keep their bounds for the backward pass, which runs after tmp is closed, and an
            // array made by create(float[]) wraps a Java buffer that the garbage collector may free once it is.
            NDArray l = tmp.create(lo, s).mul(1f);
            NDArray h = tmp.create(hi, s).mul(1f);
            NDArray p = w.maximum(l).minimum(h);
            p.attach(m);
            return p;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileSigns t && t.rows == rows && t.cols == cols && Arrays.deepEquals(t.signs, signs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.deepHashCode(signs);
    }

    @Override
    public String toString() {
        return "TileSigns[" + rows + " × " + cols + ": " + label() + "]";
    }
}
