package dev.aimc.nn.hwa;

import dev.aimc.tile.TileConfig;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import dev.aimc.util.RandomStream;

/** Converts a network for hardware-aware training. */
public final class HardwareAware {
    private HardwareAware() {}

    /**
     * The converted network, the paths turned into HWA twins and the weight-clipping after-step hook (a
     * no-op for {@code ClipMode.NONE}), which clips only the converted layers.
     */
    public record Conversion(Module net, List<String> convertedPaths, Consumer<Module> clipHook) {}

    /**
     * Replaces every {@link Linear} and {@link Conv2d} (not already HWA) whose dotted path is not in
     * {@code keepDigitalPaths} by its HWA twin sharing the same parameter arrays. The network is changed in
     * place; if the root itself is a Linear/Conv2d the twin is returned as {@link Conversion#net()}.
     *
     * @param keepDigitalPaths module paths left digital (e.g. {@link #firstAndLast(Module)}); unknown paths
     *     are an IllegalArgumentException
     * @param net the network, changed in place
     * @param cfg noise, clipping and converter settings
     * @return the network (or the root's twin) and the converted paths
     */
    public static Conversion convert(Module net, HwaConfig cfg, Set<String> keepDigitalPaths) {
        return convert(net, cfg, keepDigitalPaths, TileConfig.defaults());
    }

    /**
     * As {@link #convert(Module, HwaConfig, Set)}, laying the training forward out on {@code tiles} (the size and
     * weight scaling of the tiles the network will be evaluated on; the converters come from {@code cfg}).
     *
     * @param net the network, changed in place
     * @param cfg noise, clipping and converter settings
     * @param keepDigitalPaths module paths left digital; unknown paths are an IllegalArgumentException
     * @param tiles tile size and weight scaling of the inference tiles
     * @return the network (or the root's twin) and the converted paths
     */
    public static Conversion convert(Module net, HwaConfig cfg, Set<String> keepDigitalPaths, TileConfig tiles) {
        Map<String, Module> modules = net.namedModules();
        for (String p : keepDigitalPaths) {
            if (!modules.containsKey(p)) {
                throw new IllegalArgumentException("no module at path " + p);
            }
        }
        List<String> converted = new ArrayList<>();
        Module root = net;
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String path = e.getKey();
            Module m = e.getValue();
            if (keepDigitalPaths.contains(path) || m instanceof HwaLayer) {
                continue;
            }
            Module twin = twin(m, cfg, tiles);
            if (twin == null) {
                continue;
            }
            if (path.isEmpty()) {
                root = twin;
            } else {
                net.replace(path, twin);
            }
            converted.add(path);
        }
        Set<String> done = new LinkedHashSet<>(converted);
        Consumer<Module> hook = WeightClipper.of(cfg).restrictedTo(done::contains);
        return new Conversion(root, Collections.unmodifiableList(converted), hook);
    }

    /**
     * The HWA twin of a Linear/Conv2d on the default tiles, or null for any other module.
     *
     * @param m any module
     * @param cfg noise, clipping and converter settings
     * @return a HwaLinear or HwaConv2d sharing {@code m}'s parameters, or null
     */
    public static Module twin(Module m, HwaConfig cfg) {
        return twin(m, cfg, TileConfig.defaults());
    }

    /**
     * The HWA twin of a Linear/Conv2d laid out on {@code tiles}, or null for any other module.
     *
     * @param m any module
     * @param cfg noise, clipping and converter settings
     * @param tiles tile size and weight scaling of the inference tiles
     * @return a HwaLinear or HwaConv2d sharing {@code m}'s parameters, or null
     */
    public static Module twin(Module m, HwaConfig cfg, TileConfig tiles) {
        if (m instanceof Linear l) {
            return new HwaLinear(l, cfg, WeightNoise.of(cfg), tiles);
        }
        if (m instanceof Conv2d c) {
            return new HwaConv2d(c, cfg, WeightNoise.of(cfg), tiles);
        }
        return null;
    }

    /**
     * Paths of the first and the last Linear/Conv2d in registration order (empty if none).
     *
     * @param net the network
     * @return dotted paths, at most two (one when there is a single layer)
     */
    public static Set<String> firstAndLast(Module net) {
        List<String> paths = new ArrayList<>();
        net.namedModules().forEach((p, m) -> {
            if (m instanceof Linear || m instanceof Conv2d) {
                paths.add(p);
            }
        });
        Set<String> out = new LinkedHashSet<>();
        if (!paths.isEmpty()) {
            out.add(paths.get(0));
            out.add(paths.get(paths.size() - 1));
        }
        return out;
    }

    /**
     * Gives every {@link HwaLayer} of {@code net} a fresh training-noise stream: the i-th HWA layer in registration
     * order gets {@code rng.split(i)}. The trainer calls it at the start of each epoch with a stream derived from
     * the run's seed and the epoch, so a resumed run draws exactly what an uninterrupted one draws.
     *
     * @param net the network with HWA layers
     * @param rng the training-noise stream, split per layer
     */
    public static void setNoiseStreams(Module net, RandomStream rng) {
        int i = 0;
        for (Module m : net.namedModules().values()) {
            if (m instanceof HwaLayer h) {
                h.setNoiseStream(rng.split(i++));
            }
        }
    }

    /**
     * Folds every HWA layer's learned output scale into its weights (before analog conversion).
     *
     * @param net the network with HWA layers; their weights are multiplied per output by the scale, which is reset to 1
     */
    public static void foldOutScales(Module net) {
        net.namedModules().values().forEach(m -> {
            if (m instanceof HwaLayer) {
                ((HwaLayer) m).foldOutScale();
            }
        });
    }
}
