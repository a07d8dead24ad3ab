package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aimc accuracy} (formerly {@code eval}, still an alias): digital test accuracy of a checkpoint. */
@Command(name = "accuracy", aliases = "eval", mixinStandardHelpOptions = true,
        description = {"Digital test accuracy of a trained checkpoint (no analog hardware; for accuracy on analog "
                + "crossbars over time, see aimc evaluate).",
            "'eval' is the old name of this command, kept as an alias for one release."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint directory") Path checkpoint;
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads for PyTorch (default: ${DEFAULT-VALUE} = all cores)") int threads;

    @Override
    public Integer call() {
        TrainConfig c = new TrainConfig();
        c.threads = threads;
        TrainRun.setThreads(c.threadCount());
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(checkpoint, m);
            c.model = ck.meta().architecture;
            c.dataset = ck.meta().dataset;
            c.imported = TrainRun.imported(ck.meta());
            Dataset test = TrainRun.loadData(c, DataSets.resolve(dataDir), Split.TEST);
            long t0 = System.nanoTime();
            dev.aimc.nn.Module net = ck.model();
            String design = "";
            if (ck.meta().uniformScaling != null) { // trained with --uniform-scaling: its cells and converters
                net = dev.aimc.nn.uniform.UniformTraining.prepare(net, null, ck.meta().uniformScaling, null).net();
                design = ", " + ck.meta().uniformScaling.get("design") + " design: weights on their cells, its DAC"
                        + " and ADC";
            }
            double acc = dev.aimc.train.Accuracy.top1(net, test, 500, m);
            System.out.printf("%s (%s on %s, epoch %d%s): test accuracy %.2f%% on %,d samples (%.1f s)%n", checkpoint,
                    c.model, c.dataset, ck.meta().epoch, design, 100 * acc, test.size(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
