package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of chosen layers of a network for one input, captured by one inference forward pass: each layer is
 * wrapped for the pass in a probe that keeps a copy of what it returns, and put back afterwards (also when the pass
 * fails). Used to read feature maps (error amplification from layer to layer) and output shapes (the multiplies per
 * inference of each convolution, for the cost model).
 */
public final class LayerOutputs {
    private LayerOutputs() {}

    /**
     * Runs {@code net} on {@code x} in inference mode and returns a copy of the output of each layer in
     * {@code paths}, in the order of {@code paths}; the network is unchanged afterwards.
     *
     * @param net the network (digital or converted to analog)
     * @param paths dotted paths of the layers to capture, e.g. "0", "layer1.0.conv1"
     * @param x the input batch
     * @return path → a copy of that layer's output, attached to the output's manager (the caller closes them)
     * @throws IllegalArgumentException when a path names no layer
     */
    public static Map<String, NDArray> capture(Module net, Iterable<String> paths, NDArray x) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String p : paths) {
            probes.put(p, new Probe(net.module(p)));
        }
        try {
            probes.forEach(net::replace);
            AnalogNetwork.inference(() -> net.forward(x, false));
        } finally {
            probes.forEach((p, probe) -> net.replace(p, probe.inner));
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        probes.forEach((p, probe) -> out.put(p, probe.output));
        return out;
    }

    /** Runs a module and keeps a copy of its output (in the output's manager). */
    private static final class Probe extends Module {
        final Module inner;
        NDArray output;

        Probe(Module inner) {
            this.inner = inner;
        }

        @Override
        public NDArray forward(NDArray x, boolean training) {
            NDArray y = inner.forward(x, training);
            if (output != null) {
                output.close(); // a layer used twice in one pass: keep its last output
            }
            output = y.duplicate(); // the next layers may work in place on y or free it
            return y;
        }
    }
}
