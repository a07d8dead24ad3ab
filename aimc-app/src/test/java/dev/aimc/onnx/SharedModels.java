package dev.aimc.onnx;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public ONNX models of {@code ../shared/models} (README.md there: provenance, preprocessing, accuracies), found
 * from the system property {@code aimc.models}, the environment variable {@code AIMC_MODELS}, or the folder
 * {@code ../shared/models} next to the project; tests that need them skip, saying why, when they are absent.
 */
final class SharedModels {
    private SharedModels() {}

    static final String MNIST8 = "mnist-8/mnist-8.onnx";
    static final String RESNET20 = "cifar10-resnet20/cifar10-resnet20.onnx";
    static final String RESNET2B = "cifar10-resnet2b/resnet_2b.onnx";

    /** CIFAR-10 preprocessing of the ResNet-20 (README: from the tutorial's process_image). */
    static final float[] CIFAR_MEAN = {0.4914f, 0.4822f, 0.4465f};
    static final float[] RESNET20_STD = {0.2023f, 0.1994f, 0.2010f};
    static final float[] RESNET2B_STD = {0.2471f, 0.2435f, 0.2616f};

    static Path dir() {
        String p = System.getProperty("aimc.models");
        if (p == null) {
            p = System.getenv("AIMC_MODELS");
        }
        Path d = p != null ? Path.of(p) : Path.of("..", "..", "shared", "models"); // beside the project; tests run in aimc-app/
        assumeTrue(Files.isRegularFile(d.resolve("reference_outputs.json")),
                "shared ONNX models not found in " + d.toAbsolutePath() + " (set -Daimc.models or AIMC_MODELS)");
        return d;
    }

    static Path model(String rel) {
        Path f = dir().resolve(rel);
        assumeTrue(Files.isRegularFile(f), f + " not present");
        return f;
    }
}
