package dev.aimc.cost;

import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;
import dev.aimc.util.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Counts and sums the hardware cost of layers mapped onto tiles of {@code maxRows × maxCols} cells.
 *
 * <h2>Mapping</h2>
 * Rows per row-tile as the simulator tiles them ({@link TileGrid}: whole input channels per row-tile for a
 * convolution), R = ⌈in / rows⌉; each weight takes S slices on S columns of the {@link TileConfig#weightColsPerTile()}
 * weight columns of a tile (one fewer with a reference column), C = ⌈out·S / weightCols⌉. Cells = in·out·S·D plus
 * C·in reference cells for the unipolar offset mapping (D devices per weight: {@link LayerDesign#devicesPerWeight()}),
 * plus, with the conductance-ratio readout ({@link #withRatioReferenceCells}), its reference cells on every tile.
 *
 * <h2>Events per multiply (one input vector), P passes ({@link LayerDesign#passes()})</h2>
 * DAC conversions in·C·P (every column-tile drives its own rows); ADC conversions out·S·R·P (every row-tile's partial
 * sums are converted; the reference column and the negative device of a pair are subtracted in analog before the
 * ADC, so they add no conversion); one sample-and-hold per conversion; one shift-and-add per conversion when P·S &gt; 1;
 * one subtraction per conversion unless the mapping is unipolar; out·R digital operations (R − 1 partial-sum adds and
 * one scale-and-bias per output); cell reads (in·out·S·D + reference cells)·P; activation bits (in + out)·inputBits
 * through buffer, bus, router, registers and tile logic ({@link CostComponents#sharedParts()}). Per inference: times
 * {@link LayerShape#mvmsPerInference()}.
 *
 * <h2>Area per tile</h2>
 * Array maxRows·maxCols·D cells; maxRows DACs; ⌈maxCols / colsPerAdc⌉ ADCs and as many shift-and-add units; maxCols
 * sample-and-holds and (unless unipolar) subtractors; one digital unit; one array's share of buffer, bus, router,
 * registers and tile logic.
 *
 * <h2>Pair readout ({@link PairReadout})</h2>
 * Analog (the default, as above): a pair is subtracted before one conversion per column. Digital (MNSIM's
 * {@code Sub_Position} 1): each device column of a pair is converted, so a pair column costs two ADC conversions,
 * two samples and one digital subtraction, and a pair tile has twice the ADCs, shift-and-add units and
 * sample-and-holds and no subtractor.
 *
 * <h2>Latency (pipeline assumption)</h2>
 * Weight-stationary, one copy of the weights: all tiles of a layer work in parallel, a layer's multiplies run one
 * after the other on its tiles, the layers one after the other (no pipelining between layers, batch 1). One pass
 * of a multiply takes as long as an ADC needs for its shared columns, colsPerAdc / sampleRate; a layer takes
 * mvms·P·colsPerAdc / sampleRate. Array settling, DAC and digital delays are taken to hide under the conversions.
 */
public final class CostModel {
    private final TileConfig tile;
    private final CostComponents components;
    private final AdcScaling scaling;
    private final PairReadout readout;
    private final int ratioReferenceCells;

    /**
     * A cost model for tiles of a configuration (size and tiling; its converters and mapping are the default design).
     *
     * @param tile the tile configuration (maxRows, maxCols)
     * @param components energy and area of the components
     * @param scaling how ADC energy and area follow resolution
     */
    public CostModel(TileConfig tile, CostComponents components, AdcScaling scaling) {
        this(tile, components, scaling, PairReadout.ANALOG);
    }

    /**
     * A cost model whose differential pairs are read out as {@code readout} says.
     *
     * @param tile the tile configuration (maxRows, maxCols)
     * @param components energy and area of the components
     * @param scaling how ADC energy and area follow resolution
     * @param readout where a pair's two devices are subtracted: before one ADC (analog) or after two (digital)
     */
    public CostModel(TileConfig tile, CostComponents components, AdcScaling scaling, PairReadout readout) {
        this(tile, components, scaling, readout, 0);
    }

    private CostModel(TileConfig tile, CostComponents components, AdcScaling scaling, PairReadout readout,
            int ratioReferenceCells) {
        this.tile = java.util.Objects.requireNonNull(tile, "tile");
        this.components = java.util.Objects.requireNonNull(components, "components");
        this.scaling = java.util.Objects.requireNonNull(scaling, "scaling");
        this.readout = java.util.Objects.requireNonNull(readout, "readout");
        this.ratioReferenceCells = Check.range("ratio reference cells", ratioReferenceCells, 0, 1 << 16);
    }

    /**
     * The same model for tiles that read out by conductance ratio ({@code dev.aimc.compensation.RatioReadout},
     * Antolini et al. 2023): every tile adds {@code perTile} reference cells, programmed once and read with every
     * pass of every multiply. The analog divider that forms I_col/I_ref is not costed (no component table here
     * has a figure for it).
     *
     * @param perTile reference cells per tile (0: no ratio readout)
     * @return a model that counts them
     */
    public CostModel withRatioReferenceCells(int perTile) {
        return new CostModel(tile, components, scaling, readout, perTile);
    }

    /**
     * The tiles this model costs.
     *
     * @return the tile configuration (size and tiling)
     */
    public TileConfig tile() {
        return tile;
    }

    /**
     * The cost of every layer with its own design and the totals.
     *
     * @param layers the layer shapes, in network order
     * @param design the design of each layer (e.g. {@code s -> LayerDesign.of(cfg)} or per-layer overrides)
     * @return per-layer rows and totals
     */
    public NetworkCost cost(List<LayerShape> layers, Function<LayerShape, LayerDesign> design) {
        List<LayerCost> rows = new ArrayList<>(layers.size());
        for (LayerShape s : layers) {
            rows.add(layer(s, design.apply(s)));
        }
        return new NetworkCost(components.name(), scaling, tile.maxRows(), tile.maxCols(), rows);
    }

    /**
     * The cost of one layer.
     *
     * @param s the layer's shape
     * @param d its design
     * @return its counts, energies, areas and latency per inference
     */
    public LayerCost layer(LayerShape s, LayerDesign d) {
        return layer(s, d, null);
    }

    /**
     * The cost of every layer with its own design and, for layers with per-tile signs, counted tile by tile.
     *
     * @param layers the layer shapes, in network order
     * @param design the design of each layer
     * @param tileSigns the sign of every tile of a layer ({@link #layer(LayerShape, LayerDesign, int[][])}), or
     *     null for a layer costed as its mapping says
     * @return per-layer rows and totals
     */
    public NetworkCost cost(List<LayerShape> layers, Function<LayerShape, LayerDesign> design,
            Function<LayerShape, int[][]> tileSigns) {
        List<LayerCost> rows = new ArrayList<>(layers.size());
        for (LayerShape s : layers) {
            rows.add(layer(s, design.apply(s), tileSigns.apply(s)));
        }
        return new NetworkCost(components.name(), scaling, tile.maxRows(), tile.maxCols(), rows);
    }

    /**
     * The cost of one layer whose tiles each have a sign ({@link TileConfig.Mapping#PER_TILE_SIGN}, García-Redondo
     * et al.'s unipolar sub-matrices), counted tile by tile: a + or − tile holds one device per weight and has no
     * subtractor (its sign is applied digitally), a bipolar tile a differential pair per weight and a subtractor per
     * column, as {@link TileConfig.Mapping#UNIPOLAR} and {@link TileConfig.Mapping#DIFFERENTIAL} tiles do. Cells,
     * cell reads and subtractions count the used rows and columns of each tile; array and subtractor areas count
     * whole tiles. Without signs ({@code null}) the layer is costed as {@link #layer(LayerShape, LayerDesign)} does,
     * which counts a per-tile-sign layer as differential pairs throughout (an upper bound).
     *
     * @param s the layer's shape
     * @param d its design; with signs its mapping must be per-tile-sign and a weight one slice (cell bits ≥ weight
     *     bits), so that the tiles cut the weights as the signs do
     * @param tileSigns [rowTiles][colTiles] of +1, −1 or 0 (bipolar) on this cost model's tiles, or null
     * @return its counts, energies, areas and latency per inference
     * @throws dev.aimc.util.ConfigException when the signs do not fit the layer's tiles or the design
     */
    public LayerCost layer(LayerShape s, LayerDesign d, int[][] tileSigns) {
        TileConfig cfg = tile.mapping() == d.mapping() ? tile : tile.toBuilder().mapping(d.mapping()).build();
        int rowsPerTile = s.isConv() && s.kernel() > 1
                ? TileGrid.ofConv(s.inChannels(), s.kernel(), s.outFeatures(), cfg).rows()
                : Math.min(cfg.maxRows(), s.inFeatures());
        int weightCols = cfg.weightColsPerTile();
        int slices = d.slices();
        int passes = d.passes();
        int dev = d.devicesPerWeight();
        long in = s.inFeatures();
        long out = s.outFeatures();
        int r = (int) ((in + rowsPerTile - 1) / rowsPerTile);
        long physCols = out * slices;
        int c = (int) ((physCols + weightCols - 1) / weightCols);
        long tiles = (long) r * c;
        boolean offset = d.mapping() == TileConfig.Mapping.UNIPOLAR_OFFSET;
        long refCells = offset ? c * in : 0;
        long cells = in * physCols * dev + refCells;
        double occupancy = (double) in * physCols / ((double) tiles * cfg.maxRows() * weightCols);

        long[] tileCells = null; // with signs: cells, bipolar columns used, and devices per cell position, summed
        if (tileSigns != null) {
            Check.that(d.mapping() == TileConfig.Mapping.PER_TILE_SIGN, "mapping", "must be per-tile-sign with "
                    + "tile signs", d.mapping());
            Check.that(slices == 1, "weight-bits", "must fit one cell (one slice) with tile signs, got "
                    + slices + " slices of", d.weightBits());
            Check.that(tileSigns.length == r && tileSigns[0].length == c, "tile-signs", "must give " + r + " x " + c
                    + " tiles for layer " + s.name() + " on " + cfg.maxRows() + " x " + cfg.maxCols() + " tiles, got",
                    tileSigns.length + " x " + tileSigns[0].length);
            tileCells = new long[3];
            for (int i = 0; i < r; i++) {
                Check.that(tileSigns[i].length == c, "tile-signs", "must give " + c + " column-tiles in every row",
                        tileSigns[i].length);
                long rowsIn = Math.min(rowsPerTile, in - (long) i * rowsPerTile);
                for (int j = 0; j < c; j++) {
                    int sign = tileSigns[i][j];
                    Check.that(sign == 1 || sign == -1 || sign == 0, "tile-signs", "must be +1, -1 or 0", sign);
                    long colsIn = Math.min(weightCols, physCols - (long) j * weightCols);
                    int devices = sign == 0 ? 2 : 1;
                    tileCells[0] += rowsIn * colsIn * devices;
                    tileCells[1] += sign == 0 ? colsIn : 0;
                    tileCells[2] += devices;
                }
            }
            cells = tileCells[0];
        }

        cells += tiles * ratioReferenceCells;

        boolean pairs = d.mapping() == TileConfig.Mapping.DIFFERENTIAL
                || d.mapping() == TileConfig.Mapping.PER_TILE_SIGN;
        boolean digitalPairs = pairs && readout == PairReadout.DIGITAL;
        double pairCols = tileCells != null ? tileCells[1] : pairs ? (double) physCols * r : 0; // per MVM and pass
        long pairTiles = tileCells != null ? tileCells[2] - tiles : pairs ? tiles : 0;
        double mvms = s.mvmsPerInference();
        double dac = mvms * in * c * passes;
        double adc = mvms * physCols * r * passes + (digitalPairs ? mvms * pairCols * passes : 0);
        double sh = adc;
        double sa = passes * slices > 1 ? adc : 0;
        double sub = digitalPairs ? 0 : tileCells != null ? mvms * tileCells[1] * passes : d.subtracts()
                ? mvms * physCols * r * passes : 0;
        double digital = mvms * out * r + (digitalPairs ? mvms * pairCols * passes : 0);
        double reads = mvms * (double) cells * passes;
        double bits = mvms * (double) (in + out) * d.inputBits();

        CostComponents k = components;
        double eCell = reads * k.cell().energyPj();
        double eAdc = adc * k.adc().energyPj(d.adcBits(), scaling);
        double eDac = dac * k.dac().energyPj(d.dacBits());
        double eSh = sh * k.sampleHold().energyPj();
        double eSa = sa * k.shiftAdd().energyPj();
        double eSub = sub * k.subtractor().energyPj();
        double eDig = digital * k.digital().energyPj();
        double eMove = bits * k.sharedEnergyPjPerBit();

        int rows = cfg.maxRows();
        int cols = cfg.maxCols();
        int adcs = (cols + d.colsPerAdc() - 1) / d.colsPerAdc();
        double arrayArea = (double) rows * cols * dev * k.cell().areaUm2();
        double periphery = rows * k.dac().areaUm2(d.dacBits())
                + adcs * (k.adc().areaUm2(d.adcBits(), scaling) + k.shiftAdd().areaUm2())
                + cols * (k.sampleHold().areaUm2() + (d.subtracts() ? k.subtractor().areaUm2() : 0))
                + k.digital().areaUm2()
                + k.sharedAreaUm2PerArray();
        double latency = mvms * passes * d.colsPerAdc() / k.adc().sampleRateGsps();
        double arrayTotal = tiles * arrayArea;
        double peripheryTotal = tiles * periphery;
        if (tileCells != null) { // subtractors only on bipolar tiles; arrays of one or two devices per position
            arrayTotal = (double) tileCells[2] * rows * cols * k.cell().areaUm2();
            peripheryTotal -= (tiles - pairTiles) * cols * k.subtractor().areaUm2();
        }
        if (digitalPairs) { // pair tiles: a second ADC, shift-and-add and S+H per column, no analog subtractor
            peripheryTotal += pairTiles * (adcs * (k.adc().areaUm2(d.adcBits(), scaling) + k.shiftAdd().areaUm2())
                    + cols * (k.sampleHold().areaUm2() - k.subtractor().areaUm2()));
        }
        Check.that(tiles <= Integer.MAX_VALUE, "tiles", "must fit an int", tiles);
        return new LayerCost(s.name(), s.inFeatures(), s.outFeatures(), s.mvmsPerInference(), d, r, c, occupancy, cells, dac, adc, sh, sa, sub, digital, reads, bits, eCell,
                eAdc, eDac, eSh, eSa, eSub, eDig, eMove, arrayTotal, peripheryTotal, latency);
    }
}
