package dev.aimc.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Version;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A whole training run as the CLI does it: load data, build or resume the model, train epoch by epoch,
 * evaluate, and write a checkpoint to {@code out} after every epoch.
 */
public final class TrainRun {
    private TrainRun() {}

    /** Outcome of a run. */
    public record Result(Path checkpoint, double testAccuracy, int epochs, CheckpointMeta meta) {}

    /** Sets the engine's intra-op thread count (and one inter-op thread). */
    public static void setThreads(int n) {
        Engine.getInstance();
        JniUtils.setNumThreads(n);
    }

    /** Loads the train or test split of {@code cfg.dataset} ({@code dataDir} may be null for mnist-subset). */
    public static Dataset loadData(TrainConfig cfg, Path dataDir, Split split) {
        if (dataDir == null && !"mnist-subset".equals(cfg.dataset)) {
            throw new ConfigException("--data-dir (or AIMC_DATA) is required for data set " + cfg.dataset);
        }
        Dataset d = DataSets.load(dataDir, cfg.dataset, split);
        long want = Models.inputShape(cfg.model).size();
        if (d.sampleSize() != want || d.numClasses() != Models.classes(cfg.model)) {
            throw new ConfigException("--model " + cfg.model + " expects inputs of " + Models.inputShape(cfg.model)
                    + " and " + Models.classes(cfg.model) + " classes, --dataset " + cfg.dataset + " has "
                    + Arrays.toString(d.shape()) + " and " + d.numClasses());
        }
        if (split == Split.TRAIN && cfg.trainLimit > 0 && cfg.trainLimit < d.size()) {
            int[] idx = new int[cfg.trainLimit];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            d = d.subset(d.name(), idx);
        }
        return d;
    }

    /**
     * Trains per {@code cfg}, writing checkpoints to {@code out}. With {@code resume} and a checkpoint in
     * {@code out}, continues from it (its configuration wins, except {@code epochs}).
     */
    public static Result run(TrainConfig cfg, Path out, boolean resume, Path dataDir, PrintStream log) {
        cfg.validate();
        CheckpointMeta prior = null;
        if (resume && Files.exists(out.resolve(Checkpoint.META))) {
            prior = Checkpoint.readMeta(out);
            TrainConfig saved = prior.training;
            saved.epochs = cfg.epochs;
            saved.progress = cfg.progress;
            saved.threads = cfg.threads;
            saved.stopAfter = cfg.stopAfter;
            cfg = saved.validate();
        }
        setThreads(cfg.threadCount());
        Dataset train = loadData(cfg, dataDir, Split.TRAIN);
        Dataset test = loadData(cfg, dataDir, Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            Module model;
            CheckpointMeta meta;
            Optimizer opt = cfg.newOptimizer(m);
            if (prior != null) {
                Checkpoint c = Checkpoint.load(out, m);
                model = c.model();
                meta = c.meta();
                Checkpoint.loadOptimizer(out, meta, opt);
                log.printf("resuming %s from epoch %d (test accuracy %.2f%%)%n", out, meta.epoch,
                        100 * meta.testAccuracy);
            } else {
                model = Models.create(cfg.model, m, cfg.seed);
                meta = new CheckpointMeta();
                meta.architecture = cfg.model;
                meta.dataset = cfg.dataset;
                meta.normalization = new CheckpointMeta.Norm();
                meta.normalization.scale = train.normalization().scale();
                meta.normalization.mean = train.normalization().mean();
                meta.normalization.std = train.normalization().std();
            }
            meta.training = cfg;
            meta.aimcVersion = Version.get();
            Trainer trainer = new Trainer(model, m, opt, cfg);
            log.printf("training %s (%,d parameters) on %s: %,d train / %,d test, %d epochs, batch %d, %s lr %.4g %s,"
                    + " %d threads%n", cfg.model, model.parameterCount(), cfg.dataset, train.size(), test.size(),
                    cfg.epochs, cfg.batch, cfg.optimizer, cfg.learningRate(), cfg.schedule, cfg.threadCount());
            int last = cfg.stopAfter > 0 ? Math.min(cfg.epochs, cfg.stopAfter) : cfg.epochs;
            for (int e = meta.epoch; e < last; e++) {
                Trainer.EpochStats st = trainer.trainEpoch(train, e, cfg.epochs);
                double acc = Trainer.evaluate(model, m, test, cfg.evalBatch);
                CheckpointMeta.EpochRecord r = new CheckpointMeta.EpochRecord();
                r.epoch = e + 1;
                r.trainLoss = st.loss();
                r.trainAccuracy = st.accuracy();
                r.testAccuracy = acc;
                r.seconds = st.seconds();
                r.imagesPerSecond = st.imagesPerSecond();
                r.lr = st.lastLr();
                meta.history.add(r);
                meta.epoch = e + 1;
                meta.testAccuracy = acc;
                Checkpoint.save(out, model, opt, meta);
                log.printf("epoch %d/%d: train loss %.4f acc %.2f%%, test acc %.2f%%, %.1f s (%.0f img/s)%n", e + 1,
                        cfg.epochs, st.loss(), 100 * st.accuracy(), 100 * acc, st.seconds(), st.imagesPerSecond());
            }
            return new Result(out, meta.testAccuracy, meta.epoch, meta);
        }
    }
}
