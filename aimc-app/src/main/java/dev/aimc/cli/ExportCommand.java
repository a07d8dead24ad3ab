package dev.aimc.cli;

import dev.aimc.onnx.ImportedNetwork;
import dev.aimc.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aimc export --onnx FILE --checkpoint DIR}: a checkpoint as an ONNX model, e.g. back to PyTorch. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a checkpoint's network as an ONNX model (opset " + OnnxExporter.OPSET + ", weights in"
                + " raw_data, batch norms kept, a symbolic batch axis N): aimc's reference networks (all but"
                + " cnn1d-har) and imported graphs, for example after hardware-aware fine-tuning with train --init"
                + " --hwa. aimc import reads the file back to the same outputs. The preprocessing the network"
                + " expects is recorded in the model's metadata (aimc.preprocessing)."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint directory") Path checkpoint;
    @Option(names = "--onnx", required = true, description = "ONNX file to write") Path onnx;
    @Option(names = "--overwrite", description = "replace an existing --onnx file (default: refuse)")
    boolean overwrite;

    @Override
    public Integer call() {
        ImportedNetwork net = OnnxExporter.export(checkpoint, onnx, overwrite);
        long analog = net.spec().nodes().stream().filter(n -> n.op().equals("conv") || n.op().equals("linear"))
                .count();
        System.out.printf("%s -> %s: opset %d, IR version %d, %d nodes (%d conv/linear), input %s, %d classes%n",
                checkpoint, onnx, net.opset(), net.irVersion(), net.spec().nodes().size(), analog,
                java.util.Arrays.toString(net.spec().inputShape()), net.spec().classes());
        return 0;
    }
}
