package dev.aimc.nn.uniform;

import dev.aimc.cost.LayerShape;
import dev.aimc.nn.GraphSpec;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One candidate of the architecture search over widths and per-layer sign modes (García-Redondo et al., arXiv
 * 1910.13850): a network of a fixed topology whose searched widths and the sign mode of each weight layer, + (all
 * weights ≥ 0, one cell per weight), − (all ≤ 0, one cell per weight, the sign applied digitally) or bipolar (a
 * differential pair), are the genes of {@link DesignSpace}. A layer's sign is the sign of every one of its tiles
 * ({@link TileSigns}); the tiles cut a layer as the simulator and the cost model do, a convolution as its unrolled
 * matrix [inChannels·k², out] with whole input channels per row-tile ({@link TileSigns#rowsPerTile}).
 * Implementations: {@link MlpDesign} (feature MLPs), {@link LeNetDesign} (LeNet-5 on images).
 */
public interface SearchDesign extends java.io.Serializable {
    /** The sign characters, as {@link TileSigns#parse} reads them: positive, negative, bipolar. */
    String SIGN_CHARS = "+-0";

    /**
     * The sign mode of every weight layer, in network order.
     *
     * @return one of '+', '-', '0' (bipolar) per layer
     */
    String signs();

    /**
     * The searched widths, in the order of the search space's width genes.
     *
     * @return a copy
     */
    int[] searchedWidths();

    /**
     * The network, its weight layers named as {@link #layerShapes()} names them, so that a checkpoint of it
     * (architecture {@value GraphSpec#ARCHITECTURE}) loads and evaluates as any imported network does.
     *
     * @return the graph
     */
    GraphSpec graph();

    /**
     * The weight layers as the cost model sees them: a convolution's unrolled matrix and its output pixels per
     * inference, a fully connected layer's matrix once per inference.
     *
     * @return one shape per layer, in network order, named by the layer's path in {@link #graph()}
     */
    List<LayerShape> layerShapes();

    /**
     * The candidate's name, unique within its space (the search's key).
     *
     * @return e.g. "265-128-64-6 +0-"
     */
    String label();

    /**
     * The number of weight layers.
     *
     * @return the length of {@link #signs()}
     */
    default int layers() {
        return signs().length();
    }

    /**
     * The sign of every tile of every layer, in {@link TileSigns#parse} form on tiles of {@code rows × cols}: the
     * layer's sign repeated over its row-tiles ({@link TileSigns#rowsPerTile} inputs each) × ⌈out / cols⌉
     * column-tiles.
     *
     * @param rows rows of a tile
     * @param cols weight columns of a tile
     * @return by layer path, e.g. {fc1: "+", fc2: "00/00"}
     */
    default Map<String, String> tileSigns(int rows, int cols) {
        Map<String, String> out = new LinkedHashMap<>();
        List<LayerShape> shapes = layerShapes();
        for (int l = 0; l < shapes.size(); l++) {
            int[][] s = tileSignArray(l, rows, cols);
            String row = String.valueOf(signs().charAt(l)).repeat(s[0].length);
            out.put(shapes.get(l).name(), String.join("/", Collections.nCopies(s.length, row)));
        }
        return out;
    }

    /**
     * The sign of every tile of layer {@code l} as numbers, on tiles of {@code rows × cols}.
     *
     * @param l the layer, from 0
     * @param rows rows of a tile
     * @param cols weight columns of a tile
     * @return [rowTiles][colTiles] of +1, −1 or 0
     */
    default int[][] tileSignArray(int l, int rows, int cols) {
        LayerShape s = layerShapes().get(l);
        int per = TileSigns.rowsPerTile(rows, s.kernel());
        int[][] out = new int[(s.inFeatures() + per - 1) / per][(s.outFeatures() + cols - 1) / cols];
        char c = signs().charAt(l);
        for (int[] row : out) {
            Arrays.fill(row, c == '+' ? 1 : c == '-' ? -1 : 0);
        }
        return out;
    }

    /**
     * Parses one sign mode as the command line gives it.
     *
     * @param option the option named in an error
     * @param mode +, -, bipolar (or 0)
     * @return '+', '-' or '0'
     * @throws ConfigException naming {@code option} for anything else
     */
    static char parseMode(String option, String mode) {
        return switch (mode == null ? "" : mode.strip()) {
            case "+" -> '+';
            case "-", "−" -> '-';
            case "bipolar", "0" -> '0';
            default -> throw new ConfigException(option + " must be +, - or bipolar, got " + mode);
        };
    }

    /**
     * Checks the sign modes of a design's layers.
     *
     * @param signs one of '+', '-', '0' per layer
     * @param layers the number of weight layers
     * @return {@code signs}
     * @throws ConfigException for a wrong count or an unknown mode
     */
    static String checkSigns(String signs, int layers) {
        if (signs == null || signs.length() != layers) {
            throw new ConfigException("sign modes must give one of +, - or 0 per layer (" + layers + "), got "
                    + signs);
        }
        for (char c : signs.toCharArray()) {
            if (SIGN_CHARS.indexOf(c) < 0) {
                throw new ConfigException("sign mode must be +, - or bipolar (0), got '" + c + "' in " + signs);
            }
        }
        return signs;
    }
}
