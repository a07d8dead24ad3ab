package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.nn.Conv1d;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.hwa.HwaLayer;
import dev.aimc.nn.hwa.WeightClipper;
import dev.aimc.tile.Converters;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.InPlace;
import dev.aimc.util.Nd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Prepares a network of fully connected layers and 2-D convolutions for quantization-aware training on a fixed
 * analog design: measures each layer's ranges on a calibration batch ({@link #calibrate}), chooses one design for all
 * layers or one per layer ({@link #plan}) and swaps every {@link Linear} for its {@link UniformLinear} twin and every
 * {@link Conv2d} for its {@link UniformConv2d} twin ({@link #convert}). A convolution is its unrolled crossbar matrix
 * [out, inChannels·k²]; 1-D convolutions are refused.
 *
 * <p>Ranges not given are calibrated on the network as it is before training (e.g. a floating-point network given
 * with {@code --init}): per layer l, W_l = max|w| of its weights, A_l = max|x| of its inputs and P_l = max|x·wᵀ| of
 * its products (for a convolution: of every output of the convolution without bias) over the calibration batch. {@link ConverterDesign#UNIFORM}: W = max_l W_l, A = max_l A_l and
 * R = max_l P_l / W for every layer; {@link ConverterDesign#PER_LAYER}: W_l, A_l and R_l = P_l / W_l for layer l.
 * Resolutions (cell bits, DAC and ADC bits) are the same for both designs. (The paper trains to fixed common ranges;
 * how it picks their values was not available here: choosing them from the most demanding layer is ours.)
 */
public final class UniformTraining {
    private UniformTraining() {}

    /**
     * What to build: the design, resolutions, and the ranges of the uniform design if given (null: calibrated).
     *
     * @param design one design for all layers, or one per layer
     * @param cellBits bits per cell (1 … 8)
     * @param polarity which signs the weights may take
     * @param dacBits DAC resolution, 0 (off) or 2 … 24
     * @param adcBits ADC resolution, 0 (off) or 2 … 24
     * @param weightRange W (weight units), &gt; 0, or null to calibrate; uniform design only
     * @param inputRange A (input units), &gt; 0, or null to calibrate; uniform design only
     * @param outputRange R (input units), &gt; 0, or null to calibrate; uniform design only
     * @param outputNoise std of the ADC's input noise in its units, ≥ 0
     */
    public record Options(ConverterDesign design, int cellBits, CellLevels.Polarity polarity, int dacBits,
            int adcBits, Double weightRange, Double inputRange, Double outputRange, double outputNoise,
            Map<String, String> tileSigns) {

        /**
         * Without tile signs.
         *
         * @param design not null
         * @param cellBits 1 … 8
         * @param polarity not null
         * @param dacBits 0 or 2 … 24
         * @param adcBits 0 or 2 … 24
         * @param weightRange null or &gt; 0
         * @param inputRange null or &gt; 0
         * @param outputRange null or &gt; 0
         * @param outputNoise ≥ 0
         */
        public Options(ConverterDesign design, int cellBits, CellLevels.Polarity polarity, int dacBits, int adcBits,
                Double weightRange, Double inputRange, Double outputRange, double outputNoise) {
            this(design, cellBits, polarity, dacBits, adcBits, weightRange, inputRange, outputRange, outputNoise,
                    Map.of());
        }

        /**
         * Validates, naming the command-line options.
         *
         * @param design not null
         * @param cellBits 1 … 8
         * @param polarity not null
         * @param dacBits 0 or 2 … 24
         * @param adcBits 0 or 2 … 24
         * @param weightRange null or &gt; 0
         * @param inputRange null or &gt; 0
         * @param outputRange null or &gt; 0
         * @param outputNoise ≥ 0
         * @param tileSigns the sign of every tile of named layers, by dotted path ({@link TileSigns#parse} form on
         *     the design's tiles, e.g. "+-/0+"); null or empty: none; needs the bipolar polarity
         */
        public Options {
            tileSigns = tileSigns == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tileSigns));
            if (!tileSigns.isEmpty() && polarity != CellLevels.Polarity.BIPOLAR) {
                throw new ConfigException("--tile-signs needs --weight-polarity bipolar (the tiles choose the sign),"
                        + " got " + polarity.label());
            }
            if (design == null || polarity == null) {
                throw new ConfigException("uniform scaling needs a design and a weight polarity, got null");
            }
            Check.range("--cell-bits", cellBits, 1, CellLevels.MAX_CELL_BITS);
            Converters.checkBits("--uniform-dac-bits", dacBits);
            Converters.checkBits("--uniform-adc-bits", adcBits);
            String[] names = {"--uniform-weight-range", "--uniform-input-range", "--uniform-adc-range"};
            Double[] given = {weightRange, inputRange, outputRange};
            for (int i = 0; i < 3; i++) {
                if (given[i] != null) {
                    Check.positive(names[i], given[i]);
                    Check.that(design == ConverterDesign.UNIFORM, names[i], "applies to the uniform design only"
                            + " (per-layer ranges are calibrated)", given[i]);
                }
            }
            Check.nonNegative("--uniform-out-noise", outputNoise);
        }
    }

    /**
     * The ranges measured on one layer.
     *
     * @param weightMax max|w|, weight units
     * @param inputMax max|x| over the calibration batch, input units
     * @param productMax max|x·wᵀ| (no bias) over the calibration batch, input × weight units
     */
    public record LayerRanges(double weightMax, double inputMax, double productMax) {}

    /**
     * A converted network: the network, the design, each layer's analog design and the hook that clips each layer's
     * latent weights to ±its W after every optimizer step.
     *
     * @param net the network, its Linear layers now {@link UniformLinear}, its Conv2d layers {@link UniformConv2d}
     * @param design uniform or per-layer
     * @param layers each converted layer's design, by dotted path, in registration order
     * @param clipHook the after-step weight clipping
     */
    public record Conversion(Module net, ConverterDesign design, Map<String, UniformScaling> layers,
            Consumer<Module> clipHook, Map<String, TileSigns> tileSigns) {
        /**
         * Checkpoint form: {"design": "uniform", "layers": {path: {@link UniformScaling#toMap()}}, and where tiles
         * are signed "tileSigns": {path: "+-/0+"}}.
         *
         * @return an insertion-ordered map
         */
        public Map<String, Object> toMap() {
            Map<String, Object> l = new LinkedHashMap<>();
            layers.forEach((p, s) -> l.put(p, s.toMap()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("design", design.label());
            m.put("layers", l);
            if (!tileSigns.isEmpty()) {
                Map<String, Object> t = new LinkedHashMap<>();
                tileSigns.forEach((p, s) -> t.put(p, s.label()));
                m.put("tileSigns", t);
            }
            return m;
        }
    }

    /**
     * Measures every Linear and Conv2d layer's ranges on {@code x} (inference forward, the network unchanged
     * afterwards).
     *
     * @param net the network
     * @param x a calibration batch of inputs
     * @return ranges by dotted path, in registration order
     */
    public static Map<String, LayerRanges> calibrate(Module net, NDArray x) {
        List<String> paths = analogPaths(net);
        Map<String, Recorder> rec = new LinkedHashMap<>();
        for (String p : paths) {
            Recorder r = new Recorder(net.module(p));
            rec.put(p, r);
            net.replace(p, r);
        }
        try (NDManager tmp = x.getManager().newSubManager()) {
            tmp.tempAttachAll(x);
            net.forward(x, false);
        } finally {
            rec.forEach((p, r) -> net.replace(p, r.src));
        }
        Map<String, LayerRanges> out = new LinkedHashMap<>();
        rec.forEach((p, r) -> out.put(p, new LayerRanges(r.weightMax, r.inputMax, r.productMax)));
        return out;
    }

    /**
     * Each layer's design from its calibrated ranges and the options (see the class comment).
     *
     * @param ranges the calibrated ranges by path
     * @param o the options
     * @return the design of every layer, by path
     */
    public static Map<String, UniformScaling> plan(Map<String, LayerRanges> ranges, Options o) {
        Map<String, UniformScaling> out = new LinkedHashMap<>();
        if (o.design() == ConverterDesign.UNIFORM) {
            double w = o.weightRange() != null ? o.weightRange() : positive(ranges.values().stream()
                    .mapToDouble(LayerRanges::weightMax).max().orElse(1));
            double a = o.inputRange() != null ? o.inputRange() : positive(ranges.values().stream()
                    .mapToDouble(LayerRanges::inputMax).max().orElse(1));
            double r = o.outputRange() != null ? o.outputRange() : positive(ranges.values().stream()
                    .mapToDouble(LayerRanges::productMax).max().orElse(1) / w);
            UniformScaling one = UniformScaling.of(o.cellBits(), o.polarity(), w, o.dacBits(), a, o.adcBits(), r,
                    o.outputNoise());
            ranges.keySet().forEach(p -> out.put(p, one));
        } else {
            ranges.forEach((p, l) -> {
                double w = positive(l.weightMax());
                out.put(p, UniformScaling.of(o.cellBits(), o.polarity(), w, o.dacBits(), positive(l.inputMax()),
                        o.adcBits(), positive(l.productMax() / w), o.outputNoise()));
            });
        }
        return out;
    }

    /**
     * Replaces every Linear layer at a path of {@code layers} by its {@link UniformLinear} twin and every Conv2d
     * layer by its {@link UniformConv2d} twin (sharing their arrays).
     *
     * @param net the network, changed in place
     * @param design the design the plan follows (recorded)
     * @param layers the design of every Linear and Conv2d layer of the network, by path
     * @return the conversion
     * @throws ConfigException when the network has 1-D convolutions, or a Linear or Conv2d layer without a design
     */
    public static Conversion convert(Module net, ConverterDesign design, Map<String, UniformScaling> layers) {
        return convert(net, design, layers, Map.of());
    }

    /**
     * As {@link #convert(Module, ConverterDesign, Map)}, the layers named in {@code tileSigns} with the sign of each
     * tile constrained ({@link UniformLinear#UniformLinear(Linear, UniformScaling, TileSigns)},
     * {@link UniformConv2d#UniformConv2d(Conv2d, UniformScaling, TileSigns)}).
     *
     * @param net the network, changed in place
     * @param design the design the plan follows (recorded)
     * @param layers the design of every Linear and Conv2d layer of the network, by path
     * @param tileSigns the signs of the tiles of some layers, by path (empty: none), rows per tile as
     *     {@link TileSigns#rowsPerTile} gives them for the layer
     * @return the conversion
     * @throws ConfigException when the network has 1-D convolutions, a layer has no design, or a signed path is not
     *     one of them
     */
    public static Conversion convert(Module net, ConverterDesign design, Map<String, UniformScaling> layers,
            Map<String, TileSigns> tileSigns) {
        List<String> paths = analogPaths(net);
        if (!new LinkedHashSet<>(paths).equals(layers.keySet())) {
            throw new ConfigException("uniform scaling: the designs name layers " + layers.keySet()
                    + " but the network's fully connected and convolution layers are " + paths);
        }
        for (String p : tileSigns.keySet()) {
            Check.that(layers.containsKey(p), "--tile-signs", "must name a fully connected or convolution layer "
                    + paths, p);
        }
        List<Consumer<Module>> clips = new ArrayList<>();
        for (String p : paths) {
            UniformScaling s = layers.get(p);
            Module src = net.module(p);
            UniformLayer u = src instanceof Conv2d c ? new UniformConv2d(c, s, tileSigns.get(p))
                    : new UniformLinear((Linear) src, s, tileSigns.get(p));
            net.replace(p, (Module) u);
            clips.add(WeightClipper.fixed(s.weights().weightRange()).restrictedTo(p::equals));
            if (tileSigns.containsKey(p)) {
                try (NDManager tmp = NDManager.newBaseManager()) {
                    u.quantizedWeight(tmp); // the signs fit its tiles, or a one-line error now
                }
            }
        }
        Consumer<Module> hook = n -> clips.forEach(c -> c.accept(n));
        return new Conversion(net, design, Collections.unmodifiableMap(new LinkedHashMap<>(layers)), hook,
                Collections.unmodifiableMap(new LinkedHashMap<>(tileSigns)));
    }

    /**
     * Calibrates on {@code x}, plans and converts (a new run), or converts to the designs recorded in a checkpoint
     * (a resumed run: nothing is recalibrated).
     *
     * @param net the network, changed in place
     * @param o the options (ignored when {@code recorded} is given)
     * @param recorded a checkpoint's {@link Conversion#toMap()}, or null
     * @param x the calibration batch (used only without {@code recorded})
     * @return the conversion
     */
    public static Conversion prepare(Module net, Options o, Map<String, ?> recorded, NDArray x) {
        if (recorded != null) {
            Recorded r = parse(recorded, net);
            return convert(net, r.design(), r.layers(), r.tileSigns());
        }
        return convert(net, o.design(), plan(calibrate(net, x), o), signs(o.tileSigns(), net));
    }

    /**
     * Puts the weights of a plain network (e.g. a checkpoint loaded with {@code Checkpoint.load}) onto the values of
     * their cells, in place, as the recorded designs quantize them: the weights the crossbars would hold. The
     * converters are not applied (they act on the signals, not the weights).
     *
     * @param net the plain network whose Linear and Conv2d layers the record names
     * @param recorded a checkpoint's {@link Conversion#toMap()}
     * @return the design of every layer, by path
     * @throws ConfigException when the record is malformed or names layers the network does not have
     */
    public static Map<String, UniformScaling> deploy(Module net, Map<String, ?> recorded) {
        List<String> paths = analogPaths(net);
        Recorded rec = parse(recorded, net);
        Map<String, UniformScaling> layers = rec.layers();
        if (!new LinkedHashSet<>(paths).equals(layers.keySet())) {
            throw new ConfigException("uniform scaling: the record names layers " + layers.keySet()
                    + " but the network's fully connected and convolution layers are " + paths);
        }
        layers.forEach((p, s) -> {
            NDArray w = net.module(p).parameter("weight");
            try (NDManager tmp = w.getManager().newSubManager()) {
                NDArray c = Nd.constant(w, tmp);
                TileSigns ts = rec.tileSigns().get(p);
                if (ts != null) {
                    c = ts.project(c);
                }
                InPlace.assign(w, s.weights().quantize(c, false));
            }
        });
        return layers;
    }

    /**
     * The crossbar tiles of every layer of a checkpoint's record ({@link UniformScaling#tileConfig()}), by path.
     *
     * @param recorded a checkpoint's {@link Conversion#toMap()}
     * @return each layer's tile configuration, in the record's order
     * @throws ConfigException when the record is malformed or a layer's design cannot be put on tiles
     */
    public static Map<String, TileConfig> tileConfigs(Map<String, ?> recorded) {
        Map<String, TileConfig> out = new LinkedHashMap<>();
        Recorded r = parse(recorded, null);
        r.layers().forEach((p, s) -> out.put(p, r.tileSigns().containsKey(p)
                ? s.tileConfig().toBuilder().mapping(TileConfig.Mapping.PER_TILE_SIGN).build() : s.tileConfig()));
        return out;
    }

    /** The design and per-layer designs of a checkpoint record. */
    private record Recorded(ConverterDesign design, Map<String, UniformScaling> layers,
            Map<String, TileSigns> tileSigns) {}

    /**
     * Tile signs by path from their text form, on the design's tiles ({@link TileConfig#defaults()}): a convolution's
     * row-tiles hold whole input channels ({@link TileSigns#rowsPerTile}); without a network (null) every layer is
     * read as a matrix.
     */
    private static Map<String, TileSigns> signs(Map<String, ?> text, Module net) {
        Map<String, TileSigns> out = new LinkedHashMap<>();
        TileConfig d = TileConfig.defaults();
        if (text != null) {
            text.forEach((p, v) -> {
                Module l = net == null ? null : net.namedModules().get(p);
                int rows = TileSigns.rowsPerTile(d.maxRows(), l instanceof Conv2d c ? c.kernel() : 1);
                out.put(p, TileSigns.parse("--tile-signs " + p, rows, d.maxCols(), String.valueOf(v)));
            });
        }
        return out;
    }

    private static Recorded parse(Map<String, ?> recorded, Module net) {
        Object d = recorded == null ? null : recorded.get("design");
        Object l = recorded == null ? null : recorded.get("layers");
        Check.that(d instanceof String && l instanceof Map, "uniformScaling", "must hold a design and layers",
                recorded);
        Map<String, UniformScaling> layers = new LinkedHashMap<>();
        ((Map<?, ?>) l).forEach((k, v) -> {
            Check.that(v instanceof Map, "uniformScaling.layers." + k, "must be a record", v);
            @SuppressWarnings("unchecked")
            Map<String, ?> mv = (Map<String, ?>) v;
            layers.put(String.valueOf(k), UniformScaling.fromMap(mv));
        });
        Object ts = recorded.get("tileSigns");
        Check.that(ts == null || ts instanceof Map, "uniformScaling.tileSigns", "must map layers to signs", ts);
        @SuppressWarnings("unchecked")
        Map<String, ?> tsm = (Map<String, ?>) ts;
        return new Recorded(ConverterDesign.parse("uniformScaling.design", (String) d), layers, signs(tsm, net));
    }

    /**
     * The analog design of every {@link UniformLayer} of a network, by path.
     *
     * @param net the network
     * @return the designs, in registration order (empty when none)
     */
    public static Map<String, UniformScaling> designs(Module net) {
        Map<String, UniformScaling> out = new LinkedHashMap<>();
        net.namedModules().forEach((p, m) -> {
            if (m instanceof UniformLayer u) {
                out.put(p, u.scaling());
            }
        });
        return out;
    }

    /**
     * Whether every analog layer of a network has the same design (one converter configuration and one weight
     * quantizer for all layers).
     *
     * @param net the network
     * @return true when it has at least one {@link UniformLayer} and all have equal designs
     */
    public static boolean isUniform(Module net) {
        Set<UniformScaling> distinct = new LinkedHashSet<>(designs(net).values());
        return distinct.size() == 1;
    }

    /** The paths of the Linear and Conv2d layers, in registration order. */
    private static List<String> analogPaths(Module net) {
        List<String> paths = new ArrayList<>();
        net.namedModules().forEach((p, m) -> {
            if (m instanceof Conv1d) {
                throw new ConfigException("uniform scaling supports fully connected layers and 2-D convolutions,"
                        + " got a 1-D convolution at " + p);
            }
            if (m instanceof HwaLayer) {
                throw new ConfigException("uniform scaling: layer " + p + " is already hardware-aware; give"
                        + " --uniform-scaling without --hwa");
            }
            if (m instanceof Linear || m instanceof Conv2d) {
                if (p.isEmpty()) {
                    throw new ConfigException("uniform scaling needs a network that contains its layers, got a"
                            + " single " + m.getClass().getSimpleName() + " layer");
                }
                paths.add(p);
            }
        });
        if (paths.isEmpty()) {
            throw new ConfigException("uniform scaling: the network has no fully connected or convolution layer");
        }
        return paths;
    }

    private static double positive(double v) {
        return v > 0 && Double.isFinite(v) ? v : 1.0;
    }

    /**
     * Wraps a Linear or Conv2d layer and records max|w|, max|x| and max|x·wᵀ| (for a convolution: max over its
     * outputs without bias) of its inputs; forwards through the layer unchanged.
     */
    private static final class Recorder extends Module {
        final Module src;
        double weightMax;
        double inputMax;
        double productMax;

        Recorder(Module src) {
            this.src = src;
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            try (NDManager tmp = x.getManager().newSubManager()) {
                NDArray xs = Nd.constant(x, tmp);
                NDArray w = Nd.constant(src.parameter("weight"), tmp);
                weightMax = Math.max(weightMax, w.abs().max().getFloat());
                inputMax = Math.max(inputMax, xs.abs().max().getFloat());
                NDArray p = src instanceof Conv2d c ? c.convolve(xs, w)
                        : ai.djl.nn.core.Linear.linear(xs, w).singletonOrThrow();
                productMax = Math.max(productMax, p.abs().max().getFloat());
            }
            return src.forward(x, training);
        }
    }
}
