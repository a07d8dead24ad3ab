package dev.aimc.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.nn.BatchNorm;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsTest {

    private static final Map<String, Long> COUNTS = Map.ofEntries(
            Map.entry("mlp-mnist", 235_146L), Map.entry("mlp-har", 80_582L), Map.entry("mlp-har265", 42_694L),
            Map.entry("lenet5", 62_006L), Map.entry("lenet5-mnist", 61_706L), Map.entry("resnet20", 269_722L),
            Map.entry("resnet32", 464_154L), Map.entry("resnet32-joshi", 363_922L), Map.entry("resnet9-s", 412_954L),
            Map.entry("vgg16-s", 923_130L), Map.entry("cnn1d-har", 24_518L));

    @Test
    void parameterCountsAndOutputShapes() {
        for (String name : Models.NAMES) {
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = Models.create(name, m, 1);
                assertEquals(COUNTS.get(name), net.parameterCount(), name);
                try (NDManager b = m.newSubManager()) {
                    Shape in = new Shape(2).addAll(Models.inputShape(name));
                    NDArray y = net.forward(b.randomNormal(in), false);
                    assertEquals(new Shape(2, Models.classes(name)), y.getShape(), name);
                    assertEquals(b, y.getManager(), name);
                    y = net.forward(b.randomNormal(in), true);
                    assertEquals(new Shape(2, Models.classes(name)), y.getShape(), name);
                }
            }
        }
    }

    @Test
    void lenet5HasExactly62006Parameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(62_006L, Models.create("lenet5", m, 0).parameterCount());
        }
    }

    @Test
    void resnetLayersAddressableByPath() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("resnet20", m, 0);
            assertInstanceOf(Conv2d.class, net.module("layer2.0.conv1"));
            assertInstanceOf(BatchNorm.class, net.module("layer3.2.bn2"));
            assertInstanceOf(Linear.class, net.module("fc"));
            assertTrue(net.namedBuffers().containsKey("layer1.0.bn1.runningMean"));
            long convs = net.namedModules().values().stream().filter(x -> x instanceof Conv2d).count();
            assertEquals(19, convs);
        }
    }

    /**
     * Joshi et al. 2020 program "each of the 361,722 synaptic weights" of their ResNet-32 on two PCM devices. Counted
     * as every Conv2d and Linear weight plus the Linear layer's bias (no batch-norm parameter), resnet32-joshi has
     * exactly that many: 3·16·9 + 10·16·16·9 + (16·28·9 + 9·28·28·9 + 16·28) + (28·56·9 + 9·56·56·9 + 28·56)
     * + 56·10 + 10 = 432 + 23,040 + 67,984 + 269,696 + 570.
     */
    @Test
    void joshiResNet32HasThePapers361722Weights() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("resnet32-joshi", m, 0);
            long weights = 0;
            int convs = 0;
            int oneByOne = 0;
            for (Map.Entry<String, Module> e : net.namedModules().entrySet()) {
                Module mod = e.getValue();
                if (mod instanceof Conv2d c) {
                    weights += c.weight().size();
                    assertEquals(null, c.bias(), e.getKey());
                    convs++;
                    oneByOne += c.kernel() == 1 ? 1 : 0;
                } else if (mod instanceof Linear l) {
                    weights += l.weight().size() + l.bias().size();
                }
            }
            assertEquals(361_722L, weights);
            assertEquals(33, convs); // 31 convolutions 3×3 and the two 1×1 projections
            assertEquals(2, oneByOne);
            assertInstanceOf(Conv2d.class, net.module("layer2.0.shortcut"));
            assertInstanceOf(BatchNorm.class, net.module("layer3.0.shortcutBn"));
            assertEquals(new Shape(28, 16, 1, 1), net.module("layer2.0.shortcut").parameter("weight").getShape());
            assertEquals(new Shape(10, 56), net.module("fc").parameter("weight").getShape());
            // the common 16/32/64 ResNet-32 (option A) by the same count: 461,882, not the paper's
            Module common = Models.create("resnet32", m, 0);
            assertEquals(461_882L, programmedWeights(common));
        }
    }

    /** Every Conv2d weight and every Linear weight and bias: what the papers program on devices. */
    private static long programmedWeights(Module net) {
        return net.namedModules().values().stream().mapToLong(x -> x instanceof Conv2d c ? c.weight().size()
                : x instanceof Linear l ? l.weight().size() + l.bias().size() : 0).sum();
    }

    /**
     * resnet9-s: 8 convolutions 3×3 without bias and one fc, 3·16·9 + 16·32·9 + 2·32·32·9 + 32·64·9 + 64·128·9
     * + 2·128·128·9 + 128·10 + 10 = 411,834 weights and bias; the residual branches are added to their input: with
     * their batch norms' γ and β at zero a branch outputs ReLU(0) = 0, and its convolution weights no longer matter.
     */
    @Test
    void resnet9Layout() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("resnet9-s", m, 0);
            assertEquals(411_834L, programmedWeights(net));
            assertEquals(8, net.namedModules().values().stream().filter(x -> x instanceof Conv2d).count());
            assertEquals(new Shape(128, 128, 3, 3), net.module("res3.1.conv").parameter("weight").getShape());
            try (NDManager b = m.newSubManager()) {
                NDArray x = b.randomNormal(new Shape(3, 3, 32, 32));
                for (String r : new String[] {"res1.0.bn", "res1.1.bn", "res3.0.bn", "res3.1.bn"}) {
                    for (NDArray p : net.module(r).ownParameters().values()) {
                        dev.aimc.util.InPlace.assign(p, b.zeros(p.getShape()));
                    }
                }
                float[] y0 = net.forward(x, false).toFloatArray();
                NDArray w = net.module("res3.0.conv").parameter("weight");
                dev.aimc.util.InPlace.assign(w, b.randomNormal(w.getShape()));
                assertArrayEquals(y0, net.forward(x, false).toFloatArray(), 0f);
                NDArray g = net.module("res3.1.bn").parameter("gamma");
                dev.aimc.util.InPlace.assign(g, b.ones(g.getShape()));
                NDArray beta = net.module("res3.1.bn").parameter("beta");
                dev.aimc.util.InPlace.assign(beta, b.ones(beta.getShape()));
                float[] y1 = net.forward(x, false).toFloatArray();
                assertTrue(!java.util.Arrays.equals(y0, y1), "a live residual branch changes the output");
            }
        }
    }

    /** vgg16-s: 13 convolutions at the documented Sequential indices, then the classifier on 128 features. */
    @Test
    void vgg16Layout() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("vgg16-s", m, 0);
            int[] convs = {0, 3, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40};
            for (int i : convs) {
                assertInstanceOf(Conv2d.class, net.module(Integer.toString(i)), "layer " + i);
                assertInstanceOf(BatchNorm.class, net.module(Integer.toString(i + 1)), "layer " + (i + 1));
            }
            assertEquals(13, net.namedModules().values().stream().filter(x -> x instanceof Conv2d).count());
            assertEquals(new Shape(10, 128), net.module("45").parameter("weight").getShape());
        }
    }

    @Test
    void sameSeedSameWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module a = Models.create("lenet5", m, 42);
            Module b = Models.create("lenet5", m, 42);
            Module c = Models.create("lenet5", m, 43);
            float[] wa = a.namedParameters().get("0.weight").toFloatArray();
            assertArrayEquals(wa, b.namedParameters().get("0.weight").toFloatArray());
            assertTrue(wa[0] != c.namedParameters().get("0.weight").toFloatArray()[0]);
        }
    }

    @Test
    void unknownModelIsConfigError() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConfigException e = assertThrows(ConfigException.class, () -> Models.create("vgg", m, 0));
            assertTrue(e.getMessage().contains("vgg"));
        }
    }
}
