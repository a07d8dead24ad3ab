package dev.aimc.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.Test;

class ModuleTest {

    @Test
    void pathsParametersAndReplace() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(1);
            Sequential net = new Sequential()
                    .add(new Conv2d(m, 1, 4, 3, 1, 1, true))
                    .add(new BatchNorm(m, 4))
                    .add(Layers.relu())
                    .add(Layers.flatten())
                    .add(new Linear(m, 4 * 5 * 5, 3, true));
            assertEquals(4 * 9 + 4 + 4 + 4 + 100 * 3 + 3, net.parameterCount());
            assertTrue(net.namedParameters().containsKey("0.weight"));
            assertTrue(net.namedBuffers().containsKey("1.runningMean"));
            Module lin = net.module("4");
            Linear other = new Linear(m, 100, 3, false);
            assertSame(lin, net.replace("4", other));
            assertSame(other, net.module("4"));
        }
    }

    @Test
    void linearGradientMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = new Linear(m, 2, 1, true);
            InPlace.assign(lin.weight(), new float[] {2f, -1f});
            InPlace.assign(lin.bias(), new float[] {0.5f});
            try (NDManager batch = m.newSubManager()) {
                NDArray x = batch.create(new float[] {1f, 3f, 2f, 0f}, new Shape(2, 2));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = lin.forward(x, true);
                    assertSame(batch, y.getManager());
                    gc.backward(y.sum());
                }
                // d(sum y)/dW = sum over batch of x = [3, 3]; d/db = 2
                assertEquals(3f, lin.weight().getGradient().toFloatArray()[0], 1e-6);
                assertEquals(2f, lin.bias().getGradient().getFloat(0), 1e-6);
            }
        }
    }

    @Test
    void batchNormUpdatesRunningStatisticsWithPyTorchMomentum() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm bn = new BatchNorm(m, 1);
            try (NDManager batch = m.newSubManager()) {
                NDArray x = batch.create(new float[] {1f, 3f}, new Shape(2, 1));
                bn.forward(x, true);
            }
            // mean 2 -> running 0.9*0 + 0.1*2 = 0.2; unbiased var 2 -> 0.9*1 + 0.1*2 = 1.1
            assertEquals(0.2f, bn.runningMean().getFloat(0), 1e-6);
            assertEquals(1.1f, bn.runningVar().getFloat(0), 1e-6);
        }
    }

    @Test
    void globalAveragePoolingAveragesEverySpatialPosition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 16f).reshape(1, 2, 2, 4); // channel 0: 0..7, channel 1: 8..15
            float[] y = Layers.globalAvgPool().forward(x, false).toFloatArray();
            assertEquals(3.5f, y[0], 1e-6);
            assertEquals(11.5f, y[1], 1e-6);
        }
    }
}
