package dev.aimc.report;

import ai.djl.ndarray.NDManager;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerDesign;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.models.Models;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.Module;
import dev.aimc.results.EvaluationResult;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hardware cost of an evaluated design, reported beside its accuracy ({@code aimc evaluate --cost},
 * {@code evaluation.cost} in an experiment file): the evaluated network's analog layers on the evaluated tiles
 * ({@link LayerDesign#of}: the tiles' ADC and DAC bits and mapping, 8-bit inputs and weights), costed with
 * {@link CostModel}. The totals go into the result's configuration under {@value #KEY}; {@link ReportWriter} shows
 * them in results.json and report.html and plots accuracy against energy when a run compares several designs.
 *
 * @param components the component table (energy and area per event)
 * @param scaling how ADC energy and area follow resolution
 */
public record DesignCost(CostComponents components, AdcScaling scaling) {
    /** Key of the cost summary in a result's configuration. */
    public static final String KEY = "cost";

    /**
     * The default table (ISAAC, 32 nm) with the Walden scaling.
     *
     * @return the cost settings of {@code --cost}
     */
    public static DesignCost isaac() {
        return new DesignCost(CostComponentsFile.isaac(), AdcScaling.WALDEN);
    }

    /**
     * A component table read from a file, with the Walden scaling.
     *
     * @param option what a missing file's error names first, e.g. {@code --cost-components}
     * @param file YAML or JSON component table ({@link CostComponentsFile})
     * @return the cost settings
     * @throws ConfigException naming the option or file and key when the table is missing or invalid
     */
    public static DesignCost of(String option, Path file) {
        try {
            return new DesignCost(CostComponentsFile.load(file), AdcScaling.WALDEN);
        } catch (ConfigException e) {
            String m = e.getMessage();
            throw m.startsWith("--components ") ? new ConfigException(option + m.substring("--components".length()))
                    : e;
        }
    }

    /**
     * The cost summary of a network's analog layers.
     *
     * @param architecture the model name ({@link Models#create})
     * @param analogLayers dotted paths of the layers that run on crossbars (as {@link EvaluationResult#analogLayers()})
     * @param tile the tile configuration the network was evaluated on
     * @return components, design and totals: tiles, cells, conversions, energyPj, adcEnergyPj, areaUm2, latencyNs
     */
    public Map<String, Object> summary(String architecture, Collection<String> analogLayers, TileConfig tile) {
        return summary(architecture, analogLayers, tile, 0);
    }

    /**
     * The cost summary of a network's analog layers on tiles that may carry the ratio readout's reference cells.
     *
     * @param architecture the model name ({@link Models#create})
     * @param analogLayers dotted paths of the layers that run on crossbars
     * @param tile the tile configuration the network was evaluated on
     * @param ratioReferenceCells reference cells per tile when a variant reads out by conductance ratio, else 0
     * @return components, design and totals: tiles, cells, conversions, energyPj, adcEnergyPj, areaUm2, latencyNs
     */
    public Map<String, Object> summary(String architecture, Collection<String> analogLayers, TileConfig tile,
            int ratioReferenceCells) {
        return summary(architecture, analogLayers, tile, ratioReferenceCells, Map.of(), Map.of());
    }

    /**
     * The cost summary of a design whose layers may each have their own tiles (a uniform-scaling checkpoint's
     * recorded design) and per-tile signs (costed tile by tile: one device and no subtractor on a tile of one sign).
     *
     * @param architecture the model name ({@link Models#create})
     * @param analogLayers dotted paths of the layers that run on crossbars
     * @param tile the tile configuration of layers without their own (its size is every layer's)
     * @param ratioReferenceCells reference cells per tile when a variant reads out by conductance ratio, else 0
     * @param layerTiles tiles of individual layers by path (converters, mapping), may be empty
     * @param tileSigns [rowTiles][colTiles] signs (+1, −1, 0 for bipolar) of individual layers by path, may be empty
     * @return components, design and totals: tiles, cells, conversions, energyPj, adcEnergyPj, areaUm2, latencyNs
     * @throws ConfigException when a layer's signs do not fit its tiles
     */
    public Map<String, Object> summary(String architecture, Collection<String> analogLayers, TileConfig tile,
            int ratioReferenceCells, Map<String, TileConfig> layerTiles, Map<String, int[][]> tileSigns) {
        return summary(architecture, null, analogLayers, tile, ratioReferenceCells, layerTiles, tileSigns);
    }

    /**
     * As {@link #summary(String, Collection, TileConfig, int, Map, Map)} for a network given by its graph (a
     * checkpoint of an imported or searched network, architecture {@code graph}).
     *
     * @param architecture the model name, used when {@code graph} is null
     * @param graph the network's graph, or null for a zoo network
     * @param analogLayers dotted paths of the layers that run on crossbars
     * @param tile the tile configuration of layers without their own
     * @param ratioReferenceCells reference cells per tile when a variant reads out by conductance ratio, else 0
     * @param layerTiles tiles of individual layers by path, may be empty
     * @param tileSigns per-tile signs of individual layers by path, may be empty
     * @return the summary
     */
    public Map<String, Object> summary(String architecture, GraphSpec graph, Collection<String> analogLayers,
            TileConfig tile, int ratioReferenceCells, Map<String, TileConfig> layerTiles,
            Map<String, int[][]> tileSigns) {
        List<LayerShape> shapes = layerShapes(architecture, graph).stream()
                .filter(s -> analogLayers.contains(s.name())).toList();
        if (shapes.isEmpty()) {
            throw new ConfigException("cost: " + architecture + " has no analog layer among " + analogLayers);
        }
        LayerDesign d = LayerDesign.of(tile);
        Map<String, LayerDesign> designs = new LinkedHashMap<>();
        for (LayerShape s : shapes) {
            LayerDesign ld = LayerDesign.of(layerTiles.getOrDefault(s.name(), tile));
            designs.put(s.name(), tileSigns.containsKey(s.name())
                    ? ld.withMapping(TileConfig.Mapping.PER_TILE_SIGN, 1) : ld);
        }
        NetworkCost c = new CostModel(tile, components, scaling).withRatioReferenceCells(ratioReferenceCells)
                .cost(shapes, s -> designs.get(s.name()), s -> tileSigns.get(s.name()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("components", components.name());
        m.put("adcScaling", scaling.name().toLowerCase(Locale.ROOT));
        m.put("tileRows", tile.maxRows());
        m.put("tileCols", tile.maxCols());
        m.put("adcBits", d.adcBits());
        m.put("dacBits", d.dacBits());
        m.put("mapping", d.mapping().name().toLowerCase(Locale.ROOT));
        m.put("analogLayers", shapes.size());
        m.put("ratioReferenceCellsPerTile", ratioReferenceCells);
        m.put("tiles", c.tiles());
        m.put("cells", c.cells());
        m.put("dacConversions", c.dacConversions());
        m.put("adcConversions", c.adcConversions());
        m.put("energyPj", c.energyPj());
        m.put("adcEnergyPj", c.adcEnergyPj());
        m.put("areaUm2", c.areaUm2());
        m.put("latencyNs", c.latencyNs());
        return m;
    }

    /**
     * Adds the cost summary of {@code r}'s analog layers to its configuration (key {@value #KEY}), before the report
     * is written; when one of its variants reads out by conductance ratio, the tiles carry that readout's
     * {@link dev.aimc.compensation.RatioReadout#DEFAULT_CELLS} reference cells each.
     *
     * @param r an evaluation result (its configuration map is extended in place)
     * @param architecture the evaluated model's name, used when {@code graph} is null
     * @param graph the network's graph (a checkpoint of an imported or searched network), or null for a zoo network
     * @param tile the tiles it was evaluated on
     * @return the summary added
     */
    public Map<String, Object> attach(EvaluationResult r, String architecture, GraphSpec graph, TileConfig tile) {
        return attach(r, architecture, graph, tile, Map.of(), Map.of());
    }

    /**
     * As {@link #attach(EvaluationResult, String, GraphSpec, TileConfig)} for a design with tiles of its own per
     * layer and per-tile signs (a uniform-scaling checkpoint's recorded design).
     *
     * @param r an evaluation result (its configuration map is extended in place)
     * @param architecture the evaluated model's name, used when {@code graph} is null
     * @param graph the network's graph, or null for a zoo network
     * @param tile the tiles of layers without their own
     * @param layerTiles tiles of individual layers by path, may be empty
     * @param tileSigns per-tile signs of individual layers by path, may be empty
     * @return the summary added
     */
    public Map<String, Object> attach(EvaluationResult r, String architecture, GraphSpec graph, TileConfig tile,
            Map<String, TileConfig> layerTiles, Map<String, int[][]> tileSigns) {
        boolean ratio = r.configuration().get("compensations") instanceof Collection<?> names
                && names.stream().anyMatch(n -> java.util.Arrays.asList(String.valueOf(n).split("\\+"))
                        .contains("ratio"));
        Map<String, Object> s = summary(architecture, graph, r.analogLayers(), tile,
                ratio ? dev.aimc.compensation.RatioReadout.DEFAULT_CELLS : 0, layerTiles, tileSigns);
        r.configuration().put(KEY, s);
        return s;
    }

    /**
     * The weight layers of a network as the cost model sees them (every Linear and Conv2d with its operations per
     * inference), from a zoo network's name or from a graph.
     *
     * @param architecture the model name ({@link Models#create}), used when {@code graph} is null
     * @param graph the network's graph, or null
     * @return the layer shapes, in network order
     */
    public static List<LayerShape> layerShapes(String architecture, GraphSpec graph) {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = graph != null ? new GraphNetwork(graph, m) : Models.create(architecture, m, 0);
            return LayerShape.of(net, Models.inputShape(architecture, graph));
        }
    }

    /**
     * The per-tile signs a uniform-scaling checkpoint records ({@code uniformScaling.tileSigns}, on the default
     * 512 × 512 tiles the design was trained for).
     *
     * @param source what a parse error names, e.g. the checkpoint folder
     * @param uniformScaling the checkpoint's {@code uniformScaling} record, or null
     * @return [rowTiles][colTiles] signs by layer path; empty when none are recorded
     */
    public static Map<String, int[][]> recordedTileSigns(String source, Map<String, Object> uniformScaling) {
        Map<String, int[][]> out = new LinkedHashMap<>();
        if (uniformScaling != null && uniformScaling.get("tileSigns") instanceof Map<?, ?> rec) {
            TileConfig d = TileConfig.defaults();
            for (Map.Entry<?, ?> e : rec.entrySet()) {
                String path = String.valueOf(e.getKey());
                out.put(path, dev.aimc.nn.uniform.TileSigns.parse(source + ": uniformScaling.tileSigns " + path,
                        d.maxRows(), d.maxCols(), String.valueOf(e.getValue())).signs());
            }
        }
        return out;
    }
}
