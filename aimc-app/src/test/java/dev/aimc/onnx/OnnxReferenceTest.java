package dev.aimc.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.train.Accuracy;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three shared ONNX models, imported through a checkpoint and run on the real test sets (AIMC_DATA): the logits
 * of the first 8 test images match {@code reference_outputs.json} to 1e-4 relative, and the test accuracies equal the
 * README's, measured there with an independent interpreter, to the image.
 */
class OnnxReferenceTest {
    @TempDir
    Path tmp;

    private static final float[] ONE = {1f};
    private static final float[] ZERO = {0f};

    private Path importModel(String rel, String dataset, float[] mean, float[] std) {
        Path ck = tmp.resolve(rel.replace('/', '_'));
        OnnxCheckpoint.write(SharedModels.model(rel), ck, dataset, 255, mean, std, OnnxImporter.Options.DEFAULTS);
        return ck;
    }

    private static Path dataDir(String set) {
        Path d = DataSets.resolve(null);
        assumeTrue(d != null, "AIMC_DATA not set: full data sets not available");
        assumeTrue(Files.isDirectory(DataSets.folder(d, set)), set + " not in " + d);
        return d;
    }

    /** Logits of the first 8 test images vs reference_outputs.json, then the accuracy on the whole test set. */
    private void check(String rel, String key, String dataset, float[] mean, float[] std, int correct)
            throws Exception {
        Path data = dataDir(dataset);
        JsonNode ref = new ObjectMapper().readTree(SharedModels.dir().resolve("reference_outputs.json").toFile())
                .get(key);
        Path ck = importModel(rel, dataset, mean, std);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = Checkpoint.load(ck, m);
            TrainConfig tc = TrainRun.evaluationConfig(c.meta());
            Dataset test = TrainRun.loadData(tc, data, Split.TEST);
            int[] first = {0, 1, 2, 3, 4, 5, 6, 7};
            int[] labels = new int[8];
            for (int i = 0; i < 8; i++) {
                labels[i] = ref.get("labels").get(i).asInt();
            }
            assertArrayEquals(labels, java.util.Arrays.stream(first).map(test::label).toArray(), "test-set order");
            try (NDManager b = m.newSubManager()) {
                NDArray[] xy = test.batch(b, first);
                float[] y = c.model().forward(xy[0], false).toFloatArray();
                for (int i = 0; i < 8; i++) {
                    float[] want = new float[10];
                    for (int j = 0; j < 10; j++) {
                        want[j] = (float) ref.get("logits").get(i).get(j).asDouble();
                    }
                    OnnxImportTest.assertClose(want, java.util.Arrays.copyOfRange(y, 10 * i, 10 * i + 10), 1e-4,
                            key + " image " + i);
                }
            }
            double acc = Accuracy.top1(c.model(), test, 500, m);
            assertEquals(correct, Math.round(acc * test.size()), key + ": correct test images");
        }
    }

    @Test
    void mnist8() throws Exception {
        check(SharedModels.MNIST8, "mnist-8/mnist-8.onnx, input x/255", "mnist", ZERO, ONE, 9_890);
    }

    @Test
    void resnet20() throws Exception {
        check(SharedModels.RESNET20, "cifar10-resnet20/cifar10-resnet20.onnx", "cifar10", SharedModels.CIFAR_MEAN,
                SharedModels.RESNET20_STD, 9_165);
    }

    @Test
    void resnet2b() throws Exception {
        check(SharedModels.RESNET2B, "cifar10-resnet2b/resnet_2b.onnx", "cifar10", SharedModels.CIFAR_MEAN,
                SharedModels.RESNET2B_STD, 6_925);
    }
}
