package dev.aimc.cli;

import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerCost;
import dev.aimc.cost.LayerDesign;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.cost.PairReadout;
import dev.aimc.nn.uniform.TileSigns;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.report.CostComponentsFile;
import dev.aimc.report.DesignCost;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.Checkpoint;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.report.Json;
import dev.aimc.util.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aimc cost}: area, energy and latency of a network mapped onto crossbar tiles (arithmetic only). */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "Hardware cost of a network on crossbar tiles, per layer and in total: tiles and occupancy, "
                + "cells, DAC and ADC conversions, energy per inference by component, area of arrays and periphery, "
                + "latency per inference (layers in sequence, all tiles of a layer in parallel). Component figures: "
                + "ISAAC (ISCA 2016, 32 nm) unless --components names a YAML/JSON table (copy "
                + "aimc-app/src/main/resources/dev/aimc/report/isaac-32nm.yaml).")
public final class CostCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", description = "checkpoint directory (only its architecture is read)")
    Path checkpoint;
    @Option(names = "--model", description = "a reference network instead of a checkpoint: "
            + "mlp-mnist, mlp-har, lenet5, lenet5-mnist, resnet20, resnet32 (untrained; the cost needs only shapes)")
    String model;
    @Option(names = "--components", description = "component table, YAML or JSON (default: ISAAC, 32 nm)")
    Path components;
    @Option(names = "--json", description = "also write the per-layer costs and totals to this JSON file "
            + "(atomically; an existing file is replaced, as --json does in mvm-error and bench)") Path json;
    @Option(names = "--tile-size", defaultValue = "512", description = "crossbar rows and columns per tile "
            + "(default: ${DEFAULT-VALUE})") int tileSize;
    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC resolution in bits (default: ${DEFAULT-VALUE})")
    int adcBits;
    @Option(names = "--dac-bits", defaultValue = "8", description = "DAC resolution in bits; inputs wider than the "
            + "DAC are streamed in ceil(input-bits / dac-bits) passes (default: ${DEFAULT-VALUE})") int dacBits;
    @Option(names = "--input-bits", defaultValue = "8", description = "activation resolution in bits "
            + "(default: ${DEFAULT-VALUE})") int inputBits;
    @Option(names = "--weight-bits", defaultValue = "8", description = "weight resolution in bits "
            + "(default: ${DEFAULT-VALUE})") int weightBits;
    @Option(names = "--cell-bits", description = "bits per cell; a weight takes ceil(weight-bits / cell-bits) "
            + "slices (default: weight-bits, one analog cell per weight)") Integer cellBits;
    @Option(names = "--mapping", defaultValue = "differential", description = "differential, unipolar, "
            + "unipolar-offset or multi (2 pairs) (default: ${DEFAULT-VALUE})") String mapping;
    @Option(names = "--cols-per-adc", defaultValue = "1", description = "columns sharing one ADC "
            + "(default: ${DEFAULT-VALUE})") int colsPerAdc;
    @Option(names = "--adc-scaling", defaultValue = "walden", description = "ADC energy and area versus resolution: "
            + "walden (2^b) or thermal (4^b) (default: ${DEFAULT-VALUE})") String adcScaling;
    @Option(names = "--keep-digital", split = ",", description = "layers kept digital (not costed): first, last or "
            + "dotted paths") List<String> keepDigital;
    @Option(names = "--tile-signs", paramLabel = "PATH=SIGNS", description = "per-tile signs of a layer on the "
            + "--tile-size tiles, repeatable: + or - (one device per weight, no subtractor) or 0 (bipolar pair) per "
            + "column-tile, row-tiles separated by '/', e.g. --tile-signs fc1=+/+; costed tile by tile. Default: the "
            + "signs a uniform-scaling checkpoint records (on its 512 x 512 tiles)")
    Map<String, String> tileSigns;
    @Option(names = "--pair-readout", defaultValue = "analog", description = "where a differential pair is "
            + "subtracted: analog (before one ADC per column) or digital (both devices converted, subtracted after "
            + "the ADCs: MNSIM's Sub_Position 1) (default: ${DEFAULT-VALUE})") String pairReadout;
    @Option(names = "--ratio-ref-cells", defaultValue = "0", description = "reference cells per tile of the "
            + "conductance-ratio readout (compensation ratio: 8), counted as cells read with every multiply; 0 for "
            + "none (default: ${DEFAULT-VALUE})") int ratioRefCells;
    @Option(names = "--layer", description = "per-layer settings, repeatable: PATH:KEY=VALUE,... with keys adc-bits, "
            + "dac-bits, cell-bits, mapping, cols-per-adc, e.g. --layer features.0:adc-bits=6,mapping=unipolar")
    List<String> layerOptions;

    @Override
    public Integer call() throws Exception {
        if ((checkpoint == null) == (model == null)) {
            throw new ConfigException("give exactly one of --checkpoint DIR and --model NAME");
        }
        if (json != null) {
            OutputPaths.file("--json", json);
        }
        Check.range("--tile-size", tileSize, 1, 1 << 16);
        AdcScaling scaling = AdcScaling.parse("--adc-scaling", adcScaling);
        TileConfig tile;
        try {
            tile = TileConfig.builder().tileSize(tileSize, tileSize).build();
        } catch (ConfigException e) {
            throw new ConfigException("--" + e.getMessage());
        }
        LayerDesign base = new LayerDesign(check("--adc-bits", adcBits, 16), check("--dac-bits", dacBits, 16),
                check("--input-bits", inputBits, 32), check("--weight-bits", weightBits, 32),
                check("--cell-bits", cellBits == null ? weightBits : cellBits, 32), TileConfig.Mapping.DIFFERENTIAL,
                1, check("--cols-per-adc", colsPerAdc, 1 << 20));
        base = withMapping("--mapping", base, mapping);
        CostComponents comps = components == null ? CostComponentsFile.isaac() : CostComponentsFile.load(components);
        PairReadout readout = PairReadout.parse("--pair-readout", pairReadout);
        CheckpointMeta meta = checkpoint == null ? null : Checkpoint.readMeta(checkpoint);
        String arch = model != null ? model : meta.architecture;
        List<LayerShape> shapes;
        long t0 = System.nanoTime();
        shapes = analog(DesignCost.layerShapes(arch, meta == null ? null : meta.graph));
        long t1 = System.nanoTime();
        Map<String, LayerDesign> designs = perLayer(shapes, base);
        Map<String, int[][]> signs = signs(shapes, meta);
        signs.keySet().forEach(p -> designs.put(p, designs.get(p).withMapping(TileConfig.Mapping.PER_TILE_SIGN, 1)));
        Check.range("--ratio-ref-cells", ratioRefCells, 0, 1 << 16);
        NetworkCost cost = new CostModel(tile, comps, scaling, readout).withRatioReferenceCells(ratioRefCells)
                .cost(shapes, s -> designs.get(s.name()), s -> signs.get(s.name()));
        long t2 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s%s, %d analog layers; %d-bit inputs and weights, %s%n", arch,
                checkpoint == null ? " (untrained; shapes only)" : " from " + checkpoint, shapes.size(), inputBits,
                base.mapping().name().toLowerCase(Locale.ROOT));
        out.print(cost.table());
        out.printf(Locale.ROOT, "total: %.4g nJ per inference, %.4g nJ in ADCs, %.4g mm2, %.4g us per inference%n",
                cost.energyPj() / 1e3, cost.adcEnergyPj() / 1e3, cost.areaUm2() / 1e6, cost.latencyNs() / 1e3);
        out.printf(Locale.ROOT, "computed in %.1f ms (layer shapes from one forward pass of a zero example: %.1f ms)%n",
                (t2 - t1) / 1e6, (t1 - t0) / 1e6);
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("network", arch);
            doc.put("checkpoint", checkpoint == null ? null : checkpoint.toAbsolutePath().toString());
            doc.put("components", comps);
            doc.put("adcScaling", scaling.name().toLowerCase(Locale.ROOT));
            doc.put("tileRows", tileSize);
            doc.put("tileCols", tileSize);
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("tiles", cost.tiles());
            totals.put("occupancy", cost.occupancy());
            totals.put("cells", cost.cells());
            totals.put("dacConversions", cost.dacConversions());
            totals.put("adcConversions", cost.adcConversions());
            totals.put("adcEnergyPj", cost.adcEnergyPj());
            totals.put("energyPj", cost.energyPj());
            totals.put("arrayAreaUm2", cost.arrayAreaUm2());
            totals.put("areaUm2", cost.areaUm2());
            totals.put("latencyNs", cost.latencyNs());
            doc.put("totals", totals);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LayerCost l : cost.layers()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("layer", l);
                r.put("tiles", l.tiles());
                r.put("energyPj", l.energyPj());
                r.put("areaUm2", l.areaUm2());
                rows.add(r);
            }
            doc.put("layers", rows);
            doc.put("provenance", dev.aimc.util.Provenance.collect());
            Json.write(json, doc);
            out.println("json: " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    private static int check(String option, int v, int hi) {
        return Check.range(option, v, 1, hi);
    }

    /** The shapes of the layers that are converted (not kept digital). */
    private List<LayerShape> analog(List<LayerShape> all) {
        List<String> names = all.stream().map(LayerShape::name).toList();
        List<String> keep = new ArrayList<>();
        for (String p : keepDigital == null ? List.<String>of() : keepDigital) {
            String q = p.strip();
            if (q.isEmpty()) {
                continue;
            }
            if (q.equals(AnalogConverter.FIRST)) {
                keep.add(names.get(0));
            } else if (q.equals(AnalogConverter.LAST)) {
                keep.add(names.get(names.size() - 1));
            } else if (names.contains(q)) {
                keep.add(q);
            } else {
                throw new ConfigException("--keep-digital must name first, last or a Linear/Conv2d path " + names
                        + ", got " + q);
            }
        }
        List<LayerShape> out = all.stream().filter(s -> !keep.contains(s.name())).toList();
        if (out.isEmpty()) {
            throw new ConfigException("--keep-digital keeps every layer digital; nothing to cost");
        }
        return out;
    }

    /**
     * The per-tile signs of the layers that have them: --tile-signs on the --tile-size tiles, or else the signs a
     * uniform-scaling checkpoint records (on its 512 x 512 tiles, which --tile-size must then be).
     */
    private Map<String, int[][]> signs(List<LayerShape> shapes, CheckpointMeta meta) {
        Map<String, int[][]> out = new LinkedHashMap<>();
        String option = "--tile-signs";
        if (tileSigns != null) {
            tileSigns.keySet().forEach(k -> analogLayer(shapes, option, k));
            tileSigns.forEach((k, v) -> out.put(k, TileSigns.parse(option + " " + k, tileSize, tileSize, v).signs()));
        } else if (meta != null) {
            Map<String, int[][]> rec = DesignCost.recordedTileSigns(String.valueOf(checkpoint), meta.uniformScaling);
            TileConfig d = TileConfig.defaults();
            if (!rec.isEmpty() && (tileSize != d.maxRows() || d.maxRows() != d.maxCols())) {
                throw new ConfigException("--tile-size " + tileSize + ": the checkpoint records tile signs on "
                        + d.maxRows() + " x " + d.maxCols() + " tiles; give --tile-size " + d.maxRows()
                        + " or the signs on " + tileSize + "-tiles with --tile-signs");
            }
            out.putAll(rec);
            out.keySet().forEach(k -> analogLayer(shapes, checkpoint + ": uniformScaling.tileSigns", k));
        }
        return out;
    }

    /** Refuses a layer path that names none of the costed layers. */
    private static void analogLayer(List<LayerShape> shapes, String source, String path) {
        List<String> names = shapes.stream().map(LayerShape::name).toList();
        if (!names.contains(path)) {
            throw new ConfigException(source + " must name an analog layer " + names + ", got " + path);
        }
    }

    /** The design of every layer: the base design with its --layer overrides. */
    private Map<String, LayerDesign> perLayer(List<LayerShape> shapes, LayerDesign base) {
        Map<String, LayerDesign> out = new LinkedHashMap<>();
        shapes.forEach(s -> out.put(s.name(), base));
        for (String opt : layerOptions == null ? List.<String>of() : layerOptions) {
            int colon = opt.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException("--layer must be PATH:KEY=VALUE,..., got " + opt);
            }
            String path = opt.substring(0, colon).strip();
            if (!out.containsKey(path)) {
                throw new ConfigException("--layer must name an analog layer " + out.keySet() + ", got " + path);
            }
            LayerDesign d = out.get(path);
            for (String kv : opt.substring(colon + 1).split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2) {
                    throw new ConfigException("--layer " + path + ": expected KEY=VALUE, got " + kv);
                }
                String key = p[0].strip();
                String value = p[1].strip();
                String name = "--layer " + path + ":" + key;
                d = switch (key) {
                    case "adc-bits" -> d.withAdcBits(check(name, integer(name, value), 16));
                    case "dac-bits" -> d.withDacBits(check(name, integer(name, value), 16));
                    case "cell-bits" -> d.withCellBits(check(name, integer(name, value), 32));
                    case "cols-per-adc" -> d.withColsPerAdc(check(name, integer(name, value), 1 << 20));
                    case "mapping" -> withMapping(name, d, value);
                    default -> throw new ConfigException("--layer " + path + ": unknown key " + key
                            + " (allowed: adc-bits, dac-bits, cell-bits, mapping, cols-per-adc)");
                };
            }
            out.put(path, d);
        }
        return out;
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(option + " must be a whole number, got " + v);
        }
    }

    private static LayerDesign withMapping(String option, LayerDesign d, String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "differential" -> d.withMapping(TileConfig.Mapping.DIFFERENTIAL, 1);
            case "unipolar" -> d.withMapping(TileConfig.Mapping.UNIPOLAR, 1);
            case "unipolar-offset" -> d.withMapping(TileConfig.Mapping.UNIPOLAR_OFFSET, 1);
            case "multi" -> d.withMapping(TileConfig.Mapping.MULTI, 2);
            default -> throw new ConfigException(option + " must be differential, unipolar, unipolar-offset or "
                    + "multi, got " + v);
        };
    }
}
