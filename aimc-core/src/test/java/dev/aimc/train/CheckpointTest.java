package dev.aimc.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    private static CheckpointMeta meta(String arch) {
        CheckpointMeta m = new CheckpointMeta();
        m.architecture = arch;
        m.dataset = "cifar10";
        m.training = new TrainConfig();
        m.training.model = arch;
        m.epoch = 3;
        m.testAccuracy = 0.5;
        return m;
    }

    @Test
    void roundTripKeepsParametersBuffersAndOutputs(@TempDir Path tmp) {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("resnet20", m, 3);
            try (NDManager b = m.newSubManager()) { // move the BN running statistics off their initial values
                net.forward(b.randomNormal(new Shape(4, 3, 32, 32)), true);
            }
            Checkpoint.save(tmp, net, null, meta("resnet20"));
            Checkpoint c = Checkpoint.load(tmp, m);
            assertEquals("resnet20", c.meta().architecture);
            assertEquals(3, c.meta().epoch);
            assertEquals(269_722L, c.meta().parameterCount);
            net.namedBuffers().forEach((k, a) ->
                    assertArrayEquals(a.toFloatArray(), c.model().namedBuffers().get(k).toFloatArray(), k));
            try (NDManager b = m.newSubManager()) {
                NDArray x = b.randomNormal(new Shape(2, 3, 32, 32));
                assertArrayEquals(net.forward(x, false).toFloatArray(), c.model().forward(x, false).toFloatArray());
            }
        }
    }

    private static void assertOneLine(RuntimeException e, String mustContain) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
    }

    @Test
    void brokenCheckpointsGiveOneLineErrors(@TempDir Path tmp) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            assertOneLine(assertThrows(ConfigException.class, () -> Checkpoint.load(tmp.resolve("nope"), m)),
                    "nope");
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(tmp, m)), "model.json");

            Path dir = tmp.resolve("ck");
            Checkpoint.save(dir, Models.create("lenet5", m, 0), null, meta("lenet5"));
            Path json = dir.resolve(Checkpoint.META);
            String good = Files.readString(json);

            Files.writeString(json, good.replace("\"lenet5\"", "\"alexnet\""));
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(dir, m)), "alexnet");

            String other = good.replaceFirst("\"architecture\"\\s*:\\s*\"lenet5\"", "\"architecture\": \"lenet5-mnist\"");
            assertNotEquals(good, other);
            Files.writeString(json, other);
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(dir, m)), "model.params");

            Files.writeString(json, "{ not json");
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(dir, m)), "model.json");

            Files.writeString(json, good);
            Path params = dir.resolve(Checkpoint.PARAMS);
            byte[] p = Files.readAllBytes(params);
            Files.write(params, java.util.Arrays.copyOf(p, p.length / 2));
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(dir, m)), "model.params");

            Files.delete(params);
            assertOneLine(assertThrows(DataFormatException.class, () -> Checkpoint.load(dir, m)), "missing");
        }
    }

    @Test
    void truncatedParamFileIsDetected() {
        byte[] b = ParamFile.encode(java.util.Map.of("w", new ParamFile.Entry(new long[] {2, 2}, new float[4])));
        assertEquals(4, ParamFile.decode(b, "x").get("w").values().length);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ParamFile.decode(java.util.Arrays.copyOf(b, b.length - 3), "f.params"));
        assertOneLine(e, "f.params");
    }
}
