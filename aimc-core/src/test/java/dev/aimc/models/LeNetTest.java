package dev.aimc.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LeNet}: the zoo's lenet5 and the graph of the same widths are one network. */
class LeNetTest {
    @Test
    void zooLenet5AndItsGraphHaveTheSameParametersAndOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module zoo = Models.create("lenet5", m, 7);
            Module graph = Rng.seeded(7, () -> new GraphNetwork(LeNet.graph(3, 32, 0, new int[] {6, 16, 120, 84},
                    10), m));
            Map<String, NDArray> a = zoo.namedParameters();
            Map<String, NDArray> b = graph.namedParameters();
            assertEquals(a.keySet(), b.keySet());
            assertEquals(java.util.List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias",
                    "9.weight", "9.bias", "11.weight", "11.bias"), java.util.List.copyOf(a.keySet()));
            a.forEach((k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
            assertArrayEquals(zoo.forward(x, false).toFloatArray(), graph.forward(x, false).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void sizesFollowTheConvolutionsAndPools() {
        assertArrayEquals(new int[] {28, 10, 5}, LeNet.sizes(32, 0));
        assertArrayEquals(new int[] {28, 10, 5}, LeNet.sizes(28, 2));
        assertArrayEquals(new int[] {12, 2, 1}, LeNet.sizes(16, 0));
        assertThrows(ConfigException.class, () -> LeNet.sizes(14, 0));
    }
}
