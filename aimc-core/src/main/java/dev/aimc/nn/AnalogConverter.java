package dev.aimc.nn;

import dev.aimc.device.DeviceModel;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Replaces the {@link Linear} and {@link Conv2d} layers of a network by {@link AnalogLinear}/{@link AnalogConv2d}. */
public final class AnalogConverter {
    private AnalogConverter() {}

    /** Token in {@code keepDigitalPaths} for the first Linear/Conv2d layer (registration order). */
    public static final String FIRST = "first";
    /** Token in {@code keepDigitalPaths} for the last Linear/Conv2d layer (registration order). */
    public static final String LAST = "last";

    /**
     * Converts {@code net} in place (undo with {@link AnalogNetwork#restoreDigital()} or {@link AnalogNetwork#close()}).
     *
     * @param keepDigitalPaths dotted paths of Linear/Conv2d layers to keep digital; may contain {@link #FIRST} and
     *     {@link #LAST} (first/last such layer in registration order, which is execution order for our models)
     * @param net the digital network, converted in place
     * @param cfg the tile configuration of every analog layer
     * @param device the device model the layers are programmed on
     * @return the analog network; not yet programmed
     * @throws ConfigException for a path that is not a Linear/Conv2d layer
     */
    public static AnalogNetwork convert(Module net, Set<String> keepDigitalPaths, TileConfig cfg, DeviceModel device) {
        return convert(net, keepDigitalPaths, cfg, Map.of(), device);
    }

    /**
     * Converts {@code net} in place with a tile configuration per layer: layers named in {@code perLayer} use their
     * own configuration (e.g. another ADC resolution or cell slicing), the others {@code cfg}.
     *
     * @param net the digital network, converted in place
     * @param keepDigitalPaths as in {@link #convert(Module, Set, TileConfig, DeviceModel)}
     * @param cfg the tile configuration of every analog layer not in {@code perLayer}
     * @param perLayer tile configurations by dotted layer path (empty: none); every key must name a converted
     *     Linear/Conv2d layer
     * @param device the device model the layers are programmed on
     * @return the analog network, not yet programmed; {@link AnalogNetwork#config()} is {@code cfg}, a layer's own
     *     configuration is its {@code matrix().config()}
     * @throws ConfigException for a path that is not a Linear/Conv2d layer, or a per-layer path that is not converted
     */
    public static AnalogNetwork convert(Module net, Set<String> keepDigitalPaths, TileConfig cfg,
            Map<String, TileConfig> perLayer, DeviceModel device) {
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, Module> e : net.namedModules().entrySet()) {
            if (e.getValue() instanceof Linear || e.getValue() instanceof Conv2d) {
                candidates.add(e.getKey());
            }
        }
        if (candidates.isEmpty()) {
            throw new ConfigException("network has no Linear or Conv2d layer to convert");
        }
        Set<String> keep = new LinkedHashSet<>();
        for (String p : keepDigitalPaths == null ? Set.<String>of() : keepDigitalPaths) {
            String q = p.strip();
            if (q.isEmpty()) {
                continue;
            }
            if (q.equals(FIRST)) {
                keep.add(candidates.get(0));
            } else if (q.equals(LAST)) {
                keep.add(candidates.get(candidates.size() - 1));
            } else if (candidates.contains(q)) {
                keep.add(q);
            } else {
                throw new ConfigException("--keep-digital must name first, last or a Linear/Conv2d path "
                        + candidates + ", got " + q);
            }
        }
        for (String p : perLayer.keySet()) {
            if (!candidates.contains(p) || keep.contains(p)) {
                throw new ConfigException("--layer must name an analog Linear/Conv2d path " + candidates
                        + (keep.isEmpty() ? "" : " (not one kept digital)") + ", got " + p);
            }
        }
        Map<String, AnalogLayer> layers = new LinkedHashMap<>();
        Map<String, Module> originals = new LinkedHashMap<>();
        try {
            for (String path : candidates) {
                if (keep.contains(path)) {
                    continue;
                }
                Module m = net.module(path);
                TileConfig c = perLayer.getOrDefault(path, cfg);
                AnalogLayer a = m instanceof Linear l ? new AnalogLinear(l, c) : new AnalogConv2d((Conv2d) m, c);
                layers.put(path, a);
                originals.put(path, m);
            }
        } catch (RuntimeException e) {
            layers.values().forEach(AnalogLayer::close);
            throw e;
        }
        layers.forEach((p, a) -> net.replace(p, (Module) a));
        return new AnalogNetwork(net, layers, originals, cfg, device);
    }
}
