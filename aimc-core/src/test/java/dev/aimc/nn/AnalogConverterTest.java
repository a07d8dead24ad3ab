package dev.aimc.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalogConverterTest {

    private static TileConfig exact(int rows, int cols) {
        return TileConfig.builder().tileSize(rows, cols).inputBits(24).outputBits(24).outputRange(64).build();
    }

    private static Module mlp(NDManager m) {
        return new Sequential().add(new Linear(m, 20, 30, true)).add(Layers.relu())
                .add(new Linear(m, 30, 12, true)).add(Layers.relu()).add(new Linear(m, 12, 10, true));
    }

    private static Module cnn(NDManager m) {
        return new Sequential()
                .add(new Conv2d(m, 3, 5, 3, 1, 1, true)).add(new BatchNorm(m, 5)).add(Layers.relu())
                .add(Layers.maxPool2d(2, 2))
                .add(new Conv2d(m, 5, 7, 3, 2, 1, false)).add(Layers.relu())
                .add(Layers.flatten()).add(new Linear(m, 7 * 2 * 2, 10, true));
    }

    private static double relError(NDArray expected, NDArray actual) {
        assertEquals(expected.getShape(), actual.getShape());
        return expected.sub(actual).abs().max().getFloat() / expected.abs().max().getFloat();
    }

    private static void assertMatchesDigital(Module net, NDArray x, TileConfig cfg, DeviceModel dev, int layers) {
        NDArray digital = net.forward(x, false);
        try (AnalogNetwork a = AnalogConverter.convert(net, Set.of(), cfg, dev)) {
            assertEquals(layers, a.analogLayers().size());
            a.program(1);
            a.driftTo(3600);
            NDArray y = a.forward(x);
            double err = relError(digital, y);
            assertTrue(err < 1e-4, "relative error " + err);
            assertFalse(JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) y));
        }
        assertInstanceOf(Linear.class, net.module(net.namedModules().keySet().stream()
                .filter(p -> net.module(p) instanceof Linear).findFirst().orElseThrow()));
    }

    @Test
    void noiselessHighResolutionAnalogEqualsDigital() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(11);
            DeviceModel ideal = DeviceModels.parse("ideal");
            DeviceModel quietPcm = DeviceModels.parse("pcm", new DeviceModels.Options(Double.NaN, 0, 0, 0));
            NDArray xm = m.randomUniform(-1f, 1f, new Shape(16, 20));
            NDArray xc = m.randomUniform(0f, 1f, new Shape(8, 3, 8, 8));
            for (DeviceModel d : new DeviceModel[] {ideal, quietPcm}) {
                // MLP on 8×8 tiles: 3, 4·2 and 2·2 tiles
                assertMatchesDigital(mlp(m), xm, exact(8, 8), d, 3);
                // CNN: 18-row tiles hold 2 channels of a 3×3 kernel → 2 and 3 row-tiles; 4-column tiles
                Module net = cnn(m);
                try (AnalogNetwork a = AnalogConverter.convert(net, Set.of(), exact(18, 4), d)) {
                    AnalogConv2d c0 = (AnalogConv2d) net.module("0");
                    assertEquals(2, c0.matrix().rowTiles());
                    assertEquals(2, c0.matrix().colTiles());
                    assertEquals(3, ((AnalogConv2d) net.module("4")).matrix().rowTiles());
                }
                assertMatchesDigital(net, xc, exact(18, 4), d, 3);
                // NONE input scaling is exact for convolutions too
                assertMatchesDigital(net, xc, exact(18, 4).toBuilder().inputScaling(TileConfig.InputScaling.NONE)
                        .inputRange(8).build(), d, 3);
            }
        }
    }

    @Test
    void keepDigitalFirstAndLastAndRestore() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = cnn(m);
            Module first = net.module("0");
            try (AnalogNetwork a = AnalogConverter.convert(net, Set.of("first", "last"), TileConfig.defaults(),
                    DeviceModels.parse("ideal"))) {
                assertEquals(Set.of("4"), a.analogLayers().keySet());
                assertSame(first, net.module("0"));
                assertInstanceOf(AnalogConv2d.class, net.module("4"));
                a.restoreDigital();
                assertInstanceOf(Conv2d.class, net.module("4"));
                a.restoreAnalog();
                assertInstanceOf(AnalogConv2d.class, net.module("4"));
            }
            assertInstanceOf(Conv2d.class, net.module("4"));
            ConfigException e = assertThrows(ConfigException.class, () -> AnalogConverter.convert(net,
                    Set.of("2"), TileConfig.defaults(), DeviceModels.parse("ideal")));
            assertTrue(e.getMessage().startsWith("--keep-digital"));
        }
    }

    @Test
    void programIsReproducibleAndInferenceRecordsNoGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(12);
            Module net = cnn(m);
            NDArray x = m.randomUniform(0f, 1f, new Shape(4, 3, 8, 8));
            assertFalse(JniUtils.isGradMode(), "DJL PyTorch grad mode must be off outside a GradientCollector");
            try (AnalogNetwork a = AnalogConverter.convert(net, Set.of(), TileConfig.defaults(),
                    DeviceModels.parse("pcm"))) {
                a.program(42);
                a.driftTo(86400);
                float[] y1 = a.forward(x).toFloatArray();
                a.program(42);
                a.driftTo(86400);
                NDArray y2 = a.forward(x);
                assertArrayEquals(y1, y2.toFloatArray());
                assertFalse(JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) y2));
                a.program(43);
                a.driftTo(86400);
                assertFalse(java.util.Arrays.equals(y1, a.forward(x).toFloatArray()));
            }
        }
    }
}
