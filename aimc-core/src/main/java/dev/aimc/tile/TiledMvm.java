package dev.aimc.tile;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.util.Nd;
import dev.aimc.util.RandomStream;

/**
 * The tiled analog product as a differentiable function of the inputs and weights, for hardware-aware training: the
 * same tiles ({@link TileGrid}), per-tile input scale α, weight scale s and converters ({@link Converters}, in tile
 * units) as the inference tile {@link AnalogMatrix}, with straight-through gradients through the DAC and ADC.
 *
 * <p>Per row-tile r and output column j: y_rj = ADC(Σ_i DAC(x_ri/α_r)·w_ij/s_j + noise), then
 * Σ_r α_r·s_j·y_rj (digital), as aihwkit's analog tile does per tile. The weights are those the tiles hold at this
 * step (e.g. with training noise), the scale s is taken from the reference (clean) weights, as the inference tile
 * takes it from the weights it programs. Without weight noise and with an ideal device this is the inference
 * forward (up to float rounding; the same output-noise draws from a stream in the same state: the noise is laid out as
 * the inference tile's, [R, B, C·cols] for a matrix and [B, R, C·cols, H', W'] for a convolution). The output noise
 * is the next draw of the {@link RandomStream} passed in (none without output noise). Unlike the inference tile nothing is clipped
 * to ±s: training noise may take a weight past full scale, as programming noise takes a conductance past g_max.
 */
public final class TiledMvm {
    private TiledMvm() {}

    /**
     * x [B, in] → [B, out] (no bias).
     *
     * @param w [out, in], the weights as the tiles hold them (gradient recorded as the caller's)
     * @param ref [out, in], the weights the scale s is taken from (used without gradient)
     * @param rng the stream the output noise is drawn from
     * @param x inputs [B, in]
     * @param grid the tile grid of the matrix
     * @param ws how the weights are scaled into each tile's conductance range
     * @param conv DAC, output noise and ADC settings
     * @return [B, out], in the weights' units times the inputs'
     */
    public static NDArray linear(NDArray x, NDArray w, NDArray ref, TileGrid grid, TileConfig.WeightScaling ws,
            Converters.Settings conv, RandomStream rng) {
        NDManager m = x.getManager();
        int r = grid.rowTiles();
        try (NDManager tmp = m.newSubManager()) {
            scratch(tmp, x, w, ref); // every intermediate lands in tmp and is freed with it
            NDArray s = scale(ref, grid, ws); // [R, C, 1, 1 or cols]
            NDArray wn = grid.tiles(w).div(s).transpose(0, 2, 1, 3).reshape(r, grid.rows(), grid.paddedOut());
            Converters.DacOutput d = Converters.dac(grid.groupInputs(x), conv, true); // [B, R, rows], [B, R]
            NDArray y = d.levels().transpose(1, 0, 2).matMul(wn); // [R, B, C·cols]
            y = Converters.noisyAdc(y, conv, true, rng);
            NDArray a = d.alpha().transpose().expandDims(2); // [R, B, 1]
            NDArray sc = grid.perColumn(s).expandDims(1); // [R, 1, C·cols]
            NDArray out = grid.dropPadding(y.mul(a.mul(sc)).sum(new int[] {0}));
            return Nd.in(m, out);
        }
    }

    /**
     * x [B, inChannels, H, W] → [B, out, H', W'] (no bias), the tiles of {@link TileGrid#ofConv}: with
     * {@link TileConfig.ConvScaling#PER_IMAGE} one grouped convolution with α per sample and row-tile channel slice;
     * with {@link TileConfig.ConvScaling#PER_PATCH} the input is unfolded ({@link Im2col}) and runs through
     * {@link #linear} with one input scale per patch, as the inference tile does.
     *
     * @param x inputs [B, inChannels, H, W]
     * @param w [out, inChannels, k, k], the weights as the tiles hold them (gradient recorded as the caller's)
     * @param ref the same shape, the weights the scale s is taken from (used without gradient)
     * @param stride convolution stride in pixels, ≥ 1
     * @param padding zero padding in pixels on each side, ≥ 0
     * @param grid the tile grid from {@link TileGrid#ofConv}
     * @param ws how the weights are scaled into each tile's conductance range
     * @param scaling one input scale α per image and row-tile ({@link TileConfig.ConvScaling#PER_IMAGE}) or per
     *     patch (output position) and row-tile ({@link TileConfig.ConvScaling#PER_PATCH})
     * @param conv DAC, output noise and ADC settings
     * @param rng the stream the output noise is drawn from
     * @return [B, out, H', W'] with H' = (H + 2·padding − k) / stride + 1 (likewise W'), in the weights' units times
     *     the inputs'
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray ref, int stride, int padding, TileGrid grid,
            TileConfig.WeightScaling ws, TileConfig.ConvScaling scaling, Converters.Settings conv, RandomStream rng) {
        NDManager m = x.getManager();
        Shape ws4 = w.getShape();
        int k = (int) ws4.get(2);
        int out = (int) ws4.get(0);
        if (scaling == TileConfig.ConvScaling.PER_PATCH) {
            long in = ws4.get(1) * k * k;
            try (NDManager tmp = m.newSubManager()) {
                scratch(tmp, x, w, ref);
                Im2col.Unfolded u = Im2col.unfold(x, k, stride, padding);
                NDArray y = linear(u.rows(), w.reshape(out, in), ref.reshape(out, in), grid, ws, conv, rng);
                return Nd.in(m, u.fold(y));
            }
        }
        int cpt = grid.rows() / (k * k);
        int r = grid.rowTiles();
        long b = x.getShape().get(0);
        long h = x.getShape().get(2);
        long wd = x.getShape().get(3);
        try (NDManager tmp = m.newSubManager()) {
            scratch(tmp, x, w, ref);
            long unrolled = ws4.get(1) * k * k;
            NDArray s = scale(ref.reshape(out, unrolled), grid, ws);
            NDArray kernel = grid.tiles(w.reshape(out, unrolled)).div(s).transpose(0, 1, 3, 2)
                    .reshape(grid.paddedOut() * r, cpt, k, k);
            NDArray xp = Nd.padAxis(x, 1, (long) r * cpt);
            // α per sample and row-tile channel slice, as the inference tile takes it
            Converters.DacOutput d = Converters.dac(xp.reshape(b, r, cpt * h * wd), conv, true);
            NDArray uq = d.levels().reshape(b, (long) r * cpt, h, wd);
            NDArray y = dev.aimc.util.Convolution.conv2d(uq, kernel, null, new Shape(stride, stride),
                    new Shape(padding, padding), new Shape(1, 1), r);
            long ho = y.getShape().get(2);
            long wo = y.getShape().get(3);
            y = Converters.noisyAdc(y.reshape(b, r, grid.paddedOut(), ho, wo), conv, true, rng);
            NDArray a = d.alpha().reshape(b, r, 1, 1, 1);
            NDArray sc = grid.perColumn(s).reshape(1, r, grid.paddedOut(), 1, 1);
            NDArray res = grid.dropPadding(y.mul(a.mul(sc)).sum(new int[] {1}));
            return Nd.in(m, res);
        }
    }

    /** s of the reference weights [out, in], [R, C, 1, 1 or cols], no gradient. */
    private static NDArray scale(NDArray ref, TileGrid grid, TileConfig.WeightScaling ws) {
        return TileGrid.scale(grid.tiles(ref.stopGradient()), ws);
    }

    /**
     * Attaches the distinct arrays temporarily to {@code tmp}: what is computed from them lands there, and they
     * return to their managers when tmp closes.
     */
    private static void scratch(NDManager tmp, NDArray... arrays) {
        java.util.Set<NDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (NDArray a : arrays) {
            if (seen.add(a)) {
                tmp.tempAttachAll(a);
            }
        }
    }
}
