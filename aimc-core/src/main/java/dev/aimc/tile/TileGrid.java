package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Nd;

/**
 * How a weight matrix [out, in] is laid out on a grid of crossbar tiles: R = ⌈in / rows⌉ row-tiles (inputs) by
 * C = ⌈out / cols⌉ column-tiles (outputs), edge tiles zero-padded, and the weight scale s of each tile or tile column.
 * The one definition of the tiling, used by the inference tile ({@link AnalogMatrix}) and by hardware-aware training
 * ({@link TiledMvm}), so both see the same tiles, the same per-tile input scale α and the same weight scale.
 *
 * @param in inputs (rows of the unpadded matrix transpose)
 * @param out outputs
 * @param rows inputs per row-tile
 * @param cols weight columns per column-tile
 * @param rowTiles R
 * @param colTiles C
 */
public record TileGrid(int in, int out, int rows, int cols, int rowTiles, int colTiles) {

    /**
     * The grid of a matrix with {@code in} inputs and {@code out} outputs on tiles of {@code rowsPerTile} inputs and
     * {@code cfg.weightColsPerTile()} columns (fewer when the matrix is smaller).
     *
     * @param in matrix inputs (≥ 1)
     * @param out matrix outputs (≥ 1)
     * @param rowsPerTile inputs per row-tile
     * @param cfg the tile configuration (columns per tile and mapping)
     * @return the grid: R row-tiles × C column-tiles of rows × cols
     */
    public static TileGrid of(int in, int out, int rowsPerTile, TileConfig cfg) {
        if (rowsPerTile < 1 || rowsPerTile > cfg.maxRows()) {
            throw new IllegalArgumentException("rowsPerTile must be in [1, maxRows], got " + rowsPerTile);
        }
        int rows = Math.min(rowsPerTile, in);
        int cols = Math.min(cfg.weightColsPerTile(), out);
        return new TileGrid(in, out, rows, cols, (in + rows - 1) / rows, (out + cols - 1) / cols);
    }

    /**
     * The grid of a convolution's unrolled weight [out, inChannels·k²] (row order channel, ky, kx): whole input
     * channels per row-tile, ⌊maxRows / k²⌋ of them (at most inChannels), so a tile's share of the product is a
     * convolution of its channel slice.
     *
     * @param inChannels input channels of the convolution
     * @param kernel kernel size k in pixels
     * @param out output channels
     * @param cfg the tile configuration
     * @return the grid, rows = k² × channels per row-tile
     * @throws dev.aimc.util.ConfigException when a tile cannot hold one input channel (maxRows &lt; k²)
     */
    public static TileGrid ofConv(int inChannels, int kernel, int out, TileConfig cfg) {
        int k2 = kernel * kernel;
        if (cfg.maxRows() < k2) {
            throw new dev.aimc.util.ConfigException("max-rows must be >= kernel² = " + k2
                    + " to hold one input channel, got " + cfg.maxRows());
        }
        int cpt = Math.min(cfg.maxRows() / k2, inChannels);
        return of(inChannels * k2, out, cpt * k2, cfg);
    }

    /**
     * Padded inputs R·rows.
     *
     * @return R·rows (≥ in)
     */
    public long paddedIn() {
        return (long) rowTiles * rows;
    }

    /**
     * Padded outputs C·cols.
     *
     * @return C·cols (≥ out)
     */
    public long paddedOut() {
        return (long) colTiles * cols;
    }

    /**
     * The weights [out, in] as tiles [R, C, rows, cols] (zero-padded); a new array in w's manager, differentiable
     * in w.
     *
     * @param w weights [out, in]
     * @return tiles [R, C, rows, cols]
     */
    public NDArray tiles(NDArray w) {
        return Nd.padAxis(Nd.padAxis(w.transpose(), 0, paddedIn()), 1, paddedOut())
                .reshape(rowTiles, rows, colTiles, cols).transpose(0, 2, 1, 3);
    }

    /**
     * The weight scale s = max|w| of each tile ({@link TileConfig.WeightScaling#PER_TILE}: [R, C, 1, 1]) or tile
     * column (PER_COLUMN: [R, C, 1, cols]) of the tiles [R, C, rows, cols], floored at 1e−30; without gradient.
     *
     * @param tiles the weights as tiles [R, C, rows, cols]
     * @param ws PER_TILE or PER_COLUMN
     * @return the scale, [R, C, 1, 1] or [R, C, 1, cols], in weight units
     */
    public static NDArray scale(NDArray tiles, TileConfig.WeightScaling ws) {
        if (ws == TileConfig.WeightScaling.FIXED) {
            throw new IllegalArgumentException("weight scaling FIXED needs its scale: use scale(tiles, config)");
        }
        NDArray t = tiles.stopGradient();
        NDArray s = ws == TileConfig.WeightScaling.PER_TILE
                ? t.abs().max(new int[] {2}, true).max(new int[] {3}, true)
                : t.abs().max(new int[] {2}, true);
        return s.maximum(1e-30f);
    }

    /**
     * The weight scale of a configuration: {@link #scale(NDArray, TileConfig.WeightScaling)} for PER_TILE and
     * PER_COLUMN, the configuration's {@link TileConfig#weightScale()} on every tile for FIXED.
     *
     * @param tiles the weights as tiles [R, C, rows, cols]
     * @param cfg the tile configuration (weight scaling and, for FIXED, the scale)
     * @return the scale, [R, C, 1, 1] (PER_TILE, FIXED) or [R, C, 1, cols], in weight units, in tiles' manager
     */
    public static NDArray scale(NDArray tiles, TileConfig cfg) {
        if (cfg.weightScaling() != TileConfig.WeightScaling.FIXED) {
            return scale(tiles, cfg.weightScaling());
        }
        Shape t = tiles.getShape();
        return tiles.getManager().full(new Shape(t.get(0), t.get(1), 1, 1), (float) cfg.weightScale());
    }

    /**
     * Inputs [B, in] grouped by row-tile: [B, R, rows], zero-padded; in x's manager.
     *
     * @param x inputs [B, in]
     * @return [B, R, rows]
     */
    public NDArray groupInputs(NDArray x) {
        return Nd.padAxis(x, 1, paddedIn()).reshape(x.getShape().get(0), rowTiles, rows);
    }

    /**
     * A per-tile or per-tile-column array [R, C, 1, 1 or cols] broadcast to [R, C·cols].
     *
     * @param s [R, C, 1, 1] or [R, C, 1, cols]
     * @return [R, C·cols]
     */
    public NDArray perColumn(NDArray s) {
        return s.broadcast(new Shape(rowTiles, colTiles, 1, cols)).reshape(rowTiles, paddedOut());
    }

    /**
     * Drops the padded output columns: [B, C·cols, ...] → [B, out, ...] (returns y when nothing is padded).
     *
     * @param y outputs with padded columns on axis 1
     * @return [B, out, ...]
     */
    public NDArray dropPadding(NDArray y) {
        return paddedOut() > out ? y.get(":, 0:{}", out) : y;
    }
}
