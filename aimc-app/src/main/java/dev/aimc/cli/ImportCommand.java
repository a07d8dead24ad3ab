package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.onnx.OnnxCheckpoint;
import dev.aimc.train.Accuracy;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.onnx.OnnxImporter;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aimc import MODEL.onnx --out DIR --dataset NAME}: an ONNX network as an aimc checkpoint. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Reads a trained network from an ONNX file (opsets " + OnnxImporter.MIN_OPSET + " to "
                + OnnxImporter.MAX_OPSET + ") and writes it as an aimc checkpoint: its convolutions and fully connected"
                + " layers become analog layers, the rest stays digital, and accuracy, evaluate, train --init and"
                + " program work on it. Inputs are preprocessed as x = (p / S - mean) / std, p the raw value (0..255"
                + " for images).",
            "Operators: Conv (a grouped or depthwise one as one analog layer per group), Gemm, MatMul (+ Add),"
                + " BatchNormalization, Relu, LeakyRelu, Clip, Sigmoid, Tanh, MaxPool,"
                + " AveragePool, GlobalAveragePool, Pad, Flatten, Reshape, Transpose (of a weight), Concat, Dropout,"
                + " Identity, Softmax, Constant. Anything else stops with one line naming the node; nothing is"
                + " written."})
public final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the ONNX file") Path model;
    @Option(names = "--out", required = true, description = "checkpoint directory to create (must not hold one)")
    Path out;
    @Option(names = "--dataset", required = true, description = "data set the network classifies") String dataset;
    @Option(names = "--pixel-scale", defaultValue = "255",
            description = "S in x = (p / S - mean) / std (default: ${DEFAULT-VALUE})") double pixelScale;
    @Option(names = "--mean", split = ",", description = "per-channel mean (one value or one per channel; default 0)")
    List<Float> mean;
    @Option(names = "--std", split = ",", description = "per-channel standard deviation (default 1)")
    List<Float> std;
    @Option(names = "--evaluate", description = "measure the digital test accuracy before writing and record it in"
            + " the checkpoint (default: not measured, which the checkpoint records; slow for CIFAR-10)")
    boolean evaluate;
    @Option(names = "--data-dir", description = "data directory for --evaluate (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--fold-batchnorm", description = "fold each batch norm into the convolution before it (default:"
            + " keep batch norms, which AdaBS can recalibrate)") boolean foldBatchNorm;

    @Override
    public Integer call() {
        float[] mu = values(mean, "--mean", 0f);
        float[] sigma = values(std, "--std", 1f);
        if (mu.length != sigma.length) {
            if (mu.length == 1) {
                mu = fill(mu[0], sigma.length);
            } else if (sigma.length == 1) {
                sigma = fill(sigma[0], mu.length);
            } else {
                throw new ConfigException("--mean has " + mu.length + " values, --std " + sigma.length
                        + "; give the same number (or one)");
            }
        }
        OnnxCheckpoint.Evaluator acc = !evaluate ? null : (net, m) -> {
            TrainConfig tc = TrainRun.evaluationConfig(m);
            Dataset test = TrainRun.loadData(tc, DataSets.resolve(dataDir), Split.TEST);
            try (NDManager nm = NDManager.newBaseManager()) {
                return Accuracy.top1(net, test, 500, nm);
            }
        };
        CheckpointMeta meta = OnnxCheckpoint.write(model, out, dataset, pixelScale, mu, sigma,
                new OnnxImporter.Options(foldBatchNorm), acc);
        long analog = OnnxCheckpoint.analogLayers(meta.graph).size();
        System.out.printf("%s: opset %d, %s, %d nodes (%d analog layers), %,d parameters, input %s, %d classes"
                + " -> checkpoint %s (%s; %s; test accuracy %s)%n", model, meta.source.opset,
                meta.source.producer.isEmpty() ? "no producer" : meta.source.producer, meta.graph.nodes().size(),
                analog, meta.parameterCount, java.util.Arrays.toString(meta.graph.inputShape()), meta.graph.classes(),
                out, dataset, meta.source.preprocessing, evaluate ? String.format(java.util.Locale.ROOT,
                        "%.2f%%", 100 * meta.testAccuracy) : "not measured (--evaluate measures it)");
        return 0;
    }

    private static float[] values(List<Float> v, String option, float dflt) {
        if (v == null || v.isEmpty()) {
            return new float[] {dflt};
        }
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
            if (!Float.isFinite(a[i])) {
                throw new ConfigException(option + " must be finite numbers, got " + v);
            }
        }
        return a;
    }

    private static float[] fill(float v, int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
