package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Zero-initialized compensation, frozen-backbone training, overhead, seeded determinism. */
class ErrorCompensationTest {
    private static final List<String> PATHS = List.of("3", "9"); // LeNet-5 (MNIST): conv 6→16, fc 120→84

    private static Dataset test() {
        return DataSets.load(null, "mnist-subset", Split.TEST);
    }

    @Test
    void zeroInitializedCompensationLeavesOutputsUnchangedExactly() {
        Dataset d = test();
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 1);
            NDArray x = d.batch(m, new int[] {0, 1, 2, 3, 4, 5, 6, 7})[0];
            try (ErrorCompensation c = ErrorCompensation.create(net, PATHS, 4, 3, m)) {
                float[] plain = AnalogNetwork.inference(() -> net.forward(x, false)).toFloatArray();
                c.install(net);
                float[] comp = AnalogNetwork.inference(() -> net.forward(x, false)).toFloatArray();
                c.uninstall(net);
                assertArrayEquals(plain, comp, 0f, "digital network");
                try (AnalogNetwork an = RramVariation.of(0.3, 2, 9).convert(net)) {
                    an.program(5);
                    an.driftTo(0);
                    float[] analog = an.forward(x).toFloatArray();
                    c.install(net);
                    an.program(5);
                    an.driftTo(0);
                    float[] analogComp = an.forward(x).toFloatArray();
                    c.uninstall(net);
                    assertArrayEquals(analog, analogComp, 0f, "analog network, same chip");
                }
            }
        }
    }

    @Test
    void trainingChangesOnlyTheCompensationAndIsSeeded() {
        Dataset train = DataSets.load(null, "mnist-subset", Split.TRAIN);
        RramVariation hw = RramVariation.of(0.5, 2, 9);
        CompensationTrainer.Settings s = new CompensationTrainer.Settings(1, 64, 0.01, 21, 128);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 1);
            Map<String, float[]> before = snapshot(net);
            Map<String, float[]> first;
            try (ErrorCompensation c = ErrorCompensation.create(net, PATHS, 4, 3, m)) {
                Map<String, float[]> init = snapshot(c.parameters());
                CompensationTrainer.train(net, hw, c, train, s, null);
                first = snapshot(c.parameters());
                assertFalse(Arrays.equals(init.get("9/b.weight"), first.get("9/b.weight")), "fc compensation trained");
                assertFalse(Arrays.equals(init.get("3/conv.weight"), first.get("3/conv.weight")),
                        "conv compensation trained");
            }
            Map<String, float[]> after = snapshot(net);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((k, v) -> assertArrayEquals(v, after.get(k), 0f, "backbone " + k + " unchanged"));
            assertTrue(net.module("3") instanceof dev.aimc.nn.Conv2d, "wrappers removed");
            try (ErrorCompensation c = ErrorCompensation.create(net, PATHS, 4, 3, m)) {
                CompensationTrainer.train(net, hw, c, train, s, null);
                Map<String, float[]> second = snapshot(c.parameters());
                first.forEach((k, v) -> assertArrayEquals(v, second.get(k), 0f, "same seed, same " + k));
            }
            try (ErrorCompensation c = ErrorCompensation.create(net, PATHS, 4, 3, m)) {
                CompensationTrainer.train(net, hw, c, train,
                        new CompensationTrainer.Settings(1, 64, 0.01, 22, 128), null);
                assertFalse(Arrays.equals(first.get("9/b.weight"), snapshot(c.parameters()).get("9/b.weight")),
                        "another seed, other chips");
            }
        }
    }

    private static Map<String, float[]> snapshot(Module net) {
        Map<String, float[]> out = new LinkedHashMap<>();
        net.namedParameters().forEach((k, a) -> out.put(k, a.toFloatArray()));
        net.namedBuffers().forEach((k, a) -> out.put("buffer " + k, a.toFloatArray()));
        return out;
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }

    @Test
    void overheadCountsParametersAndMacs() {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 1);
            try (ErrorCompensation c = ErrorCompensation.create(net, PATHS, 4, 3, m)) {
                ErrorCompensation.Overhead o = c.overhead(net, Models.inputShape("lenet5-mnist"));
                // conv 6→16 on a 10×10 output: 16² + 16 parameters, 16²·100 MACs; fc 84 outputs, r = 4:
                // 84·4 + 4·84 + 84 parameters, 2·4·84 MACs
                assertEquals(16 * 16 + 16 + 84 * 4 + 4 * 84 + 84, o.parameters());
                assertEquals(16L * 16 * 100 + 2L * 4 * 84, o.macs());
                assertEquals(61_706, o.backboneParameters());
                // conv1 1→6 k5 on 28×28, conv2 6→16 k5 on 10×10, 400·120, 120·84, 84·10
                assertEquals(25L * 6 * 784 + 150L * 16 * 100 + 400 * 120 + 120 * 84 + 84 * 10, o.backboneMacs());
            }
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ErrorCompensation.create(net, List.of("2"), 4, 3, m));
            assertTrue(e.getMessage().startsWith("--compensate must name Linear/Conv2d layers"), e.getMessage());
            assertThrows(ConfigException.class, () -> ErrorCompensation.create(net, PATHS, 0, 3, m));
        }
    }
}
