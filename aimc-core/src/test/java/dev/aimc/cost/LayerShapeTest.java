package dev.aimc.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer shapes read off a network: conv multiplies per inference are its output pixels. */
class LayerShapeTest {

    @Test
    void lenet5() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5", m, 0);
            List<LayerShape> s = LayerShape.of(net, Models.inputShape("lenet5"));
            // conv 3->6 k5 on 32x32: 28x28 outputs; pool to 14x14; conv 6->16 k5: 10x10; then 400-120-84-10
            assertEquals(List.of(LayerShape.conv("0", 3, 6, 5, 784), LayerShape.conv("3", 6, 16, 5, 100),
                    LayerShape.linear("7", 400, 120), LayerShape.linear("9", 120, 84),
                    LayerShape.linear("11", 84, 10)), s);
            assertEquals(dev.aimc.nn.Conv2d.class, net.module("0").getClass()); // the probes were taken out again
            assertEquals(dev.aimc.nn.Linear.class, net.module("11").getClass());
        }
    }

    @Test
    void resnet32HasThirtyOneConvolutionsAndOneClassifier() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<LayerShape> s = LayerShape.of(Models.create("resnet32", m, 0), Models.inputShape("resnet32"));
            assertEquals(32, s.size());
            assertEquals(LayerShape.conv("conv1", 3, 16, 3, 1024), s.get(0));
            assertEquals(64, s.get(s.size() - 2).mvmsPerInference()); // 8x8 in the last stage
            assertEquals(LayerShape.linear("fc", 64, 10), s.get(s.size() - 1));
        }
    }
}
