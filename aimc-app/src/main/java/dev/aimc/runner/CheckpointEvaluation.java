package dev.aimc.runner;

import dev.aimc.experiment.InferenceExperiment;
import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.report.DesignCost;
import dev.aimc.report.ReportWriter;
import dev.aimc.results.EvaluationResult;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.ProgressMeter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a checkpoint and its test set, runs an {@link InferenceExperiment}, writes the report and prints the
 * table: the body of {@code aimc evaluate} and of the demo's analog stage.
 */
public final class CheckpointEvaluation {
    private CheckpointEvaluation() {}

    /**
     * @param dataDir data folder (null: only the embedded MNIST subset is available)
     * @param out report folder
     * @param progress show a progress bar on stderr
     * @param checkpoint the checkpoint directory (model.params and model.json)
     * @param cfg what to evaluate: device, tiles, programming, times, repeats and variants
     * @param log receives the printed table
     * @return the result, also written to {@code out} as results.json/csv, plots and report.html
     */
    public static EvaluationResult run(Path checkpoint, Path dataDir, InferenceExperiment.Config cfg,
            Path out, boolean progress, PrintStream log) {
        return run(checkpoint, dataDir, cfg, out, progress, log, null);
    }

    /**
     * As {@link #run(Path, Path, InferenceExperiment.Config, Path, boolean, PrintStream)}, adding the hardware cost
     * of the evaluated design to the result and report when {@code cost} is not null.
     *
     * @param checkpoint the checkpoint directory (model.params and model.json)
     * @param dataDir data folder (null: only the embedded MNIST subset is available)
     * @param cfg what to evaluate: device, tiles, programming, times, repeats and variants
     * @param out report folder
     * @param progress show a progress bar on stderr
     * @param log receives the printed table
     * @param cost the component table and ADC scaling to cost the design with, or null for no cost
     * @return the result, also written to {@code out} as results.json/csv, plots and report.html
     */
    public static EvaluationResult run(Path checkpoint, Path dataDir, InferenceExperiment.Config cfg,
            Path out, boolean progress, PrintStream log, DesignCost cost) {
        return run(checkpoint, dataDir, cfg, out, progress, log, cost, null, null, 0);
    }

    /**
     * As {@link #run(Path, Path, InferenceExperiment.Config, Path, boolean, PrintStream, DesignCost)}, with the chips
     * run by {@code executor} (e.g. as the tasks of a Spark job), or here when it is null. The data folder is read
     * here only; the report is written once every chip is back.
     *
     * @param checkpoint the checkpoint directory (model.params and model.json)
     * @param dataDir data folder (null: only the embedded MNIST subset is available)
     * @param cfg what to evaluate: device, tiles, programming, times, repeats and variants
     * @param out report folder
     * @param progress show a progress bar on stderr
     * @param log receives the printed table
     * @param cost the component table and ADC scaling to cost the design with, or null for no cost
     * @param executor runs the chips, or null to run them here
     * @param recipe rebuilds {@code cfg} where the chips run (with {@code executor})
     * @param threads PyTorch threads of each chip (with {@code executor}; ≥ 1)
     * @return the result, also written to {@code out} as results.json/csv, plots and report.html
     */
    public static EvaluationResult run(Path checkpoint, Path dataDir, InferenceExperiment.Config cfg,
            Path out, boolean progress, PrintStream log, DesignCost cost, ChipExecutor executor,
            ChipJob.Recipe recipe, int threads) {
        dev.aimc.util.OutputPaths.folder("--out", out);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(checkpoint, m);
            TrainConfig tc = TrainRun.evaluationConfig(ck.meta()); // AdaBS: through the training augmentation
            if (cost != null) {
                DesignCost.layerShapes(tc.model, ck.meta().graph); // the network can be costed: checked before the work
            }
            Dataset test = TrainRun.loadData(tc, dataDir, Split.TEST);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("checkpoint", checkpoint.toAbsolutePath().toString());
            extra.put("model", tc.model);
            extra.put("dataset", tc.dataset);
            extra.put("checkpointEpoch", ck.meta().epoch);
            extra.put("checkpointTestAccuracy", ck.meta().testAccuracy);
            if (ck.meta().uniformScaling != null) {
                // trained with --uniform-scaling: the crossbars hold the weights on their cells' values, on the
                // tiles of the recorded design; any other tiles would be a different design, so they are refused
                if (cfg.layerTiles().isEmpty() && cfg.keepDigital().isEmpty()) {
                    throw new dev.aimc.util.ConfigException("--checkpoint " + checkpoint + " was trained with"
                            + " --uniform-scaling: evaluate it on its recorded design's tiles (aimc evaluate does)");
                }
                dev.aimc.nn.uniform.UniformTraining.deploy(ck.model(), ck.meta().uniformScaling);
                extra.put("uniformScaling", ck.meta().uniformScaling.get("design"));
            }
            String title = tc.model + " on " + tc.dataset + ", " + cfg.device().name() + " crossbars"
                    + (cfg.programming() == null ? "" : ", " + cfg.programming().name() + " programming");
            EvaluationResult r;
            ProgressMeter pb = progress ? ProgressMeter.start("evaluate", 0, "evaluations", true) : null;
            try {
                InferenceExperiment.Progress p = pb == null ? InferenceExperiment.Progress.NONE
                        : new InferenceExperiment.Progress() {
                            @Override
                            public void start(long total) {
                                pb.total(total);
                            }

                            @Override
                            public void step(String message) {
                                pb.step(message);
                            }
                        };
                Dataset calibration = null;
                if (dev.aimc.compensation.Schemes.needsCalibration(cfg.compensationNames())) {
                    calibration = TrainRun.loadData(tc, dataDir, Split.TRAIN); // AdaBS: training images only
                    extra.put("adabsSamples", Math.min(dev.aimc.compensation.Schemes.adabsSamples(),
                            calibration.size()));
                    extra.put("adabsAugmented", calibration.augmentation() != null);
                }
                InferenceExperiment.Chips chips = executor == null ? InferenceExperiment.Chips.IN_PROCESS
                        : executor.chips(new ChipJob(checkpoint, test, calibration, cfg, recipe, threads, true));
                r = InferenceExperiment.run(title, ck.model(), test, calibration, cfg, extra, p, m, chips);
            } finally {
                if (pb != null) {
                    pb.close();
                }
            }
            if (cost != null) {
                Map<String, Object> c = cost.attach(r, tc.model, ck.meta().graph, cfg.tile(), cfg.layerTiles(),
                        DesignCost.recordedTileSigns(checkpoint.toString(), ck.meta().uniformScaling));
                log.printf(java.util.Locale.ROOT, "hardware cost (%s): %d tiles, %.4g nJ per inference (ADC %.4g nJ),"
                        + " %.4g mm2, %.4g us%n", c.get("components"), c.get("tiles"),
                        ((Number) c.get("energyPj")).doubleValue() / 1e3,
                        ((Number) c.get("adcEnergyPj")).doubleValue() / 1e3,
                        ((Number) c.get("areaUm2")).doubleValue() / 1e6, ((Number) c.get("latencyNs")).doubleValue() / 1e3);
            }
            ReportWriter.write(out, r);
            log.print(ReportWriter.table(r));
            return r;
        }
    }

    /**
     * Resolves the data folder flag (or AIMC_DATA); null when neither is set.
     *
     * @param flag the --data-dir value, or null
     * @return the data folder: the flag if given, else AIMC_DATA, else null
     */
    public static Path dataDir(String flag) {
        return DataSets.resolve(flag);
    }
}
