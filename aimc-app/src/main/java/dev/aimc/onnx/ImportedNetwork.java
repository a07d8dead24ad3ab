package dev.aimc.onnx;

import dev.aimc.nn.GraphSpec;
import java.util.Map;

/**
 * An ONNX model translated into aimc's graph form: the graph, the trained values of its parameters and buffers by
 * dotted path, and where it came from.
 *
 * @param spec the graph ({@link dev.aimc.nn.GraphNetwork} builds it)
 * @param arrays every parameter and buffer of the graph network by dotted path ({@code conv1.weight},
 *     {@code const_x}), in the shapes the network's modules have
 * @param opset the default-domain opset the model imports
 * @param irVersion the model's IR version
 * @param producer producer name and version recorded in the model (may be empty)
 * @param sha256 SHA-256 of the file's bytes, lower-case hex
 */
public record ImportedNetwork(GraphSpec spec, Map<String, Tensor> arrays, int opset, long irVersion, String producer,
        String sha256) {
    /**
     * Copies the map.
     *
     * @param spec the graph
     * @param arrays parameters and buffers by dotted path
     * @param opset the default-domain opset
     * @param irVersion the IR version
     * @param producer producer name and version
     * @param sha256 SHA-256 of the file
     */
    public ImportedNetwork {
        arrays = Map.copyOf(arrays);
    }
}
