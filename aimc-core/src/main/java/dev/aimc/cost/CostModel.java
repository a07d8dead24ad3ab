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
 * C·in reference cells for the unipolar offset mapping (D devices per weight: {@link LayerDesign#devicesPerWeight()}).
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

    /**
     * A cost model for tiles of a configuration (size and tiling; its converters and mapping are the default design).
     *
     * @param tile the tile configuration (maxRows, maxCols)
     * @param components energy and area of the components
     * @param scaling how ADC energy and area follow resolution
     */
    public CostModel(TileConfig tile, CostComponents components, AdcScaling scaling) {
        this.tile = java.util.Objects.requireNonNull(tile, "tile");
        this.components = java.util.Objects.requireNonNull(components, "components");
        this.scaling = java.util.Objects.requireNonNull(scaling, "scaling");
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

        double mvms = s.mvmsPerInference();
        double dac = mvms * in * c * passes;
        double adc = mvms * physCols * r * passes;
        double sh = adc;
        double sa = passes * slices > 1 ? adc : 0;
        double sub = d.subtracts() ? adc : 0;
        double digital = mvms * out * r;
        double reads = mvms * (double) (in * physCols * dev + refCells) * passes;
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
        Check.that(tiles <= Integer.MAX_VALUE, "tiles", "must fit an int", tiles);
        return new LayerCost(s.name(), s.inFeatures(), s.outFeatures(), s.mvmsPerInference(), d, r, c, occupancy, cells, dac, adc, sh, sa, sub, digital, reads, bits, eCell,
                eAdc, eDac, eSh, eSa, eSub, eDig, eMove, tiles * arrayArea, tiles * periphery, latency);
    }
}
