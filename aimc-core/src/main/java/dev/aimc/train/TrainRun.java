package dev.aimc.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.util.ConfigException;
import dev.aimc.util.InPlace;
import dev.aimc.util.OutputPaths;
import dev.aimc.util.Rng;
import dev.aimc.util.Version;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole training run as the CLI does it: load data, build or resume the model, train epoch by epoch,
 * evaluate, and write a checkpoint to {@code out} after every epoch.
 */
public final class TrainRun {
    private TrainRun() {}

    /** Training samples (evenly spaced) on which uniform scaling calibrates its ranges. */
    static final int CALIBRATION_SAMPLES = 1024;

    /** Outcome of a run. */
    public record Result(Path checkpoint, double testAccuracy, int epochs, CheckpointMeta meta) {}

    /**
     * Sets the engine's intra-op thread count (and one inter-op thread).
     *
     * @param n intra-op threads (≥ 1); results depend on it, so it is recorded in checkpoints
     */
    public static void setThreads(int n) {
        Engine.getInstance();
        JniUtils.setNumThreads(n);
    }

    /**
     * Readies a thread other than the one that started the engine (e.g. a cluster task's) for evaluation: the engine's
     * intra-op thread count and its gradient recording are settings of each thread, so the thread gets {@code n}
     * threads and recording off, as the engine's first thread has them after start-up (loading a checkpoint writes
     * parameters in place, which PyTorch refuses while it records gradients).
     *
     * @param n intra-op threads (≥ 1)
     */
    public static void prepareThread(int n) {
        setThreads(n);
        JniUtils.setGradMode(false);
    }

    /** "lenet5 on cifar10, 3 of 30 epochs, test accuracy 54.10%" for the checkpoint in {@code dir}. */
    static String describe(Path dir) {
        try {
            CheckpointMeta m = Checkpoint.readMeta(dir);
            return String.format(java.util.Locale.ROOT, "%s on %s, %d of %s epochs, test accuracy %.2f%%",
                    m.architecture, m.dataset, m.epoch, m.training == null ? "?" : m.training.epochs,
                    100 * m.testAccuracy);
        } catch (RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /**
     * Loads the train or test split of {@code cfg.dataset} ({@code dataDir} may be null for mnist-subset).
     *
     * @param cfg names the data set and the training-sample limit
     * @param dataDir the data directory (null: only mnist-subset)
     * @param split train or test
     * @return the split, the training split cut to {@code cfg.trainLimit} samples when set
     */
    public static Dataset loadData(TrainConfig cfg, Path dataDir, Split split) {
        if (dataDir == null && !"mnist-subset".equals(cfg.dataset)) {
            throw new ConfigException("--data-dir (or AIMC_DATA) is required for data set " + cfg.dataset);
        }
        Dataset d = DataSets.load(dataDir, cfg.dataset, split);
        ai.djl.ndarray.types.Shape inputShape = Models.inputShape(cfg.model,
                cfg.imported != null ? cfg.imported.graph() : null);
        int classes = cfg.imported != null ? cfg.imported.graph().classes() : Models.classes(cfg.model);
        if (cfg.imported != null) {
            d = d.withNormalization(cfg.imported.input()); // the imported network's own preprocessing
        }
        if (d.sampleSize() != inputShape.size() || d.numClasses() != classes) {
            throw new ConfigException("--model " + cfg.model + " expects inputs of " + inputShape
                    + " and " + classes + " classes, --dataset " + cfg.dataset + " has "
                    + Arrays.toString(d.shape()) + " and " + d.numClasses());
        }
        if (split == Split.TRAIN && cfg.trainLimit > 0 && cfg.trainLimit < d.size()) {
            int[] idx = new int[cfg.trainLimit];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            d = d.subset(d.name(), idx);
        }
        return split == Split.TRAIN ? withTrainingAugmentation(d, cfg) : d;
    }

    /**
     * {@code train} tagged with the augmentation {@code cfg} trains with ({@link Dataset#withAugmentation}), seeded
     * from {@code cfg.seed} apart from every epoch's stream; untagged when {@code cfg} does not augment.
     *
     * @param train the training split
     * @param cfg the configuration (augmentation on or off, seed)
     * @return {@code train} tagged with the augmentation, or unchanged when augmentation is off
     */
    public static Dataset withTrainingAugmentation(Dataset train, TrainConfig cfg) {
        if (!cfg.augmentation()) {
            return train.withAugmentation(null);
        }
        long seed = Rng.derive(cfg.seed, 3_000_000L);
        return train.withAugmentation(() -> cfg.augmenter(seed));
    }

    /**
     * The configuration a checkpoint's data is loaded with for evaluation: its model, data set and augmentation.
     *
     * @param meta the checkpoint's metadata
     * @return a configuration with the checkpoint's model, data set and augmentation setting
     */
    public static TrainConfig evaluationConfig(CheckpointMeta meta) {
        TrainConfig tc = new TrainConfig();
        tc.model = meta.architecture;
        tc.dataset = meta.dataset;
        tc.imported = imported(meta);
        if (meta.training != null) {
            tc.augment = meta.training.augment;
            tc.seed = meta.training.seed;
        }
        return tc;
    }

    /**
     * The graph and input normalisation of a checkpoint of a graph network (e.g. imported from ONNX).
     *
     * @param meta the checkpoint's metadata
     * @return its graph and normalisation, or null for a reference network
     */
    public static TrainConfig.Imported imported(CheckpointMeta meta) {
        if (meta.graph == null) {
            return null;
        }
        CheckpointMeta.Norm n = meta.normalization;
        dev.aimc.data.Normalization norm = n == null
                ? new dev.aimc.data.Normalization(1f, new float[] {0f}, new float[] {1f})
                : new dev.aimc.data.Normalization(n.scale, n.mean, n.std);
        return new TrainConfig.Imported(meta.graph, norm);
    }

    /** What a run does when {@code out} already holds a checkpoint. */
    public enum IfExists {
        /** Stop with a {@link ConfigException} naming the checkpoint: never replace a user's network unasked. */
        REFUSE,
        /**
         * Continue it: the recorded settings are used (the model must match), {@code epochs} may extend the run;
         * with no checkpoint yet the run starts at epoch 1.
         */
        RESUME,
        /** Replace it; the old files stay until the first epoch of the new run is saved over them. */
        OVERWRITE
    }

    /**
     * Trains per {@code cfg}, writing checkpoints to {@code out}; {@code resume} true is {@link IfExists#RESUME},
     * false {@link IfExists#REFUSE}.
     *
     * @param cfg what to train
     * @param out checkpoint directory
     * @param resume continue from the checkpoint in {@code out}, else refuse an existing one
     * @param dataDir the data directory (null: only mnist-subset)
     * @param log receives one line per epoch
     * @return the checkpoint path and final test accuracy
     */
    public static Result run(TrainConfig cfg, Path out, boolean resume, Path dataDir, PrintStream log) {
        return run(cfg, out, resume ? IfExists.RESUME : IfExists.REFUSE, dataDir, log, Extras.NONE);
    }

    /**
     * Options beyond {@link TrainConfig}: hardware-aware training and fine-tuning from a checkpoint.
     *
     * @param hwa hardware-aware settings ({@code HwaConfig}; null: conventional training)
     * @param keepDigital layer paths left without noise injection (only with {@code hwa})
     * @param init checkpoint whose parameters and buffers initialise the network (same architecture), or null
     * @param uniform uniform-scaling (or per-layer tuned) quantization-aware training, or null; not with {@code hwa}
     */
    public record Extras(dev.aimc.nn.hwa.HwaConfig hwa, java.util.Set<String> keepDigital, Path init,
            dev.aimc.nn.uniform.UniformTraining.Options uniform) {
        /** Conventional training from random initialisation. */
        public static final Extras NONE = new Extras(null, java.util.Set.of(), null);

        /**
         * Without uniform scaling.
         *
         * @param hwa hardware-aware settings, or null for conventional training
         * @param keepDigital layer paths left without noise injection, or null
         * @param init checkpoint initialising the network, or null
         */
        public Extras(dev.aimc.nn.hwa.HwaConfig hwa, java.util.Set<String> keepDigital, Path init) {
            this(hwa, keepDigital, init, null);
        }

        /**
         * Copies {@code keepDigital} (null: none).
         *
         * @param hwa hardware-aware settings, or null for conventional training
         * @param keepDigital layer paths left without noise injection, or null
         * @param init checkpoint initialising the network, or null
         * @param uniform uniform-scaling options, or null
         */
        public Extras {
            keepDigital = keepDigital == null ? java.util.Set.of() : java.util.Set.copyOf(keepDigital);
            if (hwa != null && uniform != null) {
                throw new ConfigException("--uniform-scaling trains on its own converters; give it without --hwa");
            }
        }
    }

    /**
     * As {@link #run(TrainConfig, Path, IfExists, Path, PrintStream, Extras)}, {@code resume} as there.
     *
     * @param cfg what to train
     * @param out checkpoint directory
     * @param resume continue from the checkpoint in {@code out}, else refuse an existing one
     * @param dataDir the data directory (null: only mnist-subset)
     * @param log receives one line per epoch
     * @param extras hardware-aware settings and initial checkpoint; {@link Extras#NONE} for plain training
     * @return the checkpoint path and final test accuracy
     */
    public static Result run(TrainConfig cfg, Path out, boolean resume, Path dataDir, PrintStream log,
            Extras extras) {
        return run(cfg, out, resume ? IfExists.RESUME : IfExists.REFUSE, dataDir, log, extras);
    }

    /**
     * Trains per {@code cfg} with hardware-aware training / init ({@code extras}), writing a checkpoint to
     * {@code out} after every epoch. {@code ifExists} says what to do with a checkpoint already in {@code out}.
     *
     * <p>A loss or weight that becomes NaN or infinite stops the run with a {@link ConfigException} saying so;
     * {@code out} keeps the last epoch saved before it (or its previous content).
     *
     * @param cfg what to train
     * @param out checkpoint directory, written atomically after every epoch
     * @param ifExists refuse, resume or replace a checkpoint already in {@code out}
     * @param dataDir the data directory (null: only mnist-subset)
     * @param log receives one line per epoch
     * @param extras hardware-aware settings and initial checkpoint; {@link Extras#NONE} for plain training
     * @return the checkpoint path and final test accuracy
     */
    public static Result run(TrainConfig cfg, Path out, IfExists ifExists, Path dataDir, PrintStream log,
            Extras extras) {
        cfg.validate();
        if (extras.hwa() != null && extras.hwa().learnedOutScale()) {
            throw new ConfigException("--hwa-learn-out-scale is not supported by aimc train (checkpoints must"
                    + " load as plain networks)");
        }
        OutputPaths.folder("--out", out);
        boolean exists = Files.exists(out.resolve(Checkpoint.META));
        CheckpointMeta prior = null;
        if (exists && ifExists == IfExists.REFUSE) {
            throw new ConfigException("--out " + out + " already holds a checkpoint (" + describe(out)
                    + "); --resume continues it, --overwrite replaces it, or choose another --out");
        }
        if (exists && ifExists == IfExists.OVERWRITE) {
            log.printf("replacing the checkpoint in %s (%s)%n", out, describe(out));
        }
        if (exists && ifExists == IfExists.RESUME) {
            prior = Checkpoint.readMeta(out);
            if (!prior.architecture.equals(cfg.model)) {
                throw new ConfigException("--resume: the checkpoint in " + out + " holds " + prior.architecture
                        + ", --model is " + cfg.model);
            }
            if (extras.init() != null) {
                throw new ConfigException("--init starts a new run, --resume continues the one in " + out
                        + "; give one of them");
            }
            TrainConfig saved = prior.training;
            saved.imported = imported(prior);
            saved.epochs = cfg.epochs;
            saved.progress = cfg.progress;
            saved.threads = cfg.threads;
            saved.stopAfter = cfg.stopAfter;
            cfg = saved.validate();
            if (prior.hwa != null) { // a resumed HWA run keeps its settings
                extras = new Extras(dev.aimc.nn.hwa.HwaConfig.fromMap(prior.hwa),
                        prior.hwaDigitalLayers == null ? java.util.Set.of()
                                : new java.util.LinkedHashSet<>(prior.hwaDigitalLayers), null);
            }
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
                log.printf("resuming %s after epoch %d of %d (test accuracy %.2f%%) with its recorded settings%n",
                        out, meta.epoch, cfg.epochs, 100 * meta.testAccuracy);
                if (meta.epoch >= cfg.epochs) {
                    log.printf("%s already has %d epoch(s); nothing to train (raise --epochs to extend it)%n", out,
                            meta.epoch);
                }
            } else {
                model = cfg.imported != null ? new dev.aimc.nn.GraphNetwork(cfg.imported.graph(), m)
                        : Models.create(cfg.model, m, cfg.seed);
                meta = new CheckpointMeta();
                meta.architecture = cfg.model;
                meta.graph = cfg.imported != null ? cfg.imported.graph() : null;
                meta.dataset = cfg.dataset;
                meta.normalization = new CheckpointMeta.Norm();
                meta.normalization.scale = train.normalization().scale();
                meta.normalization.mean = train.normalization().mean();
                meta.normalization.std = train.normalization().std();
                if (extras.init() != null) {
                    CheckpointMeta im = Checkpoint.readMeta(extras.init());
                    if (!im.architecture.equals(cfg.model)) {
                        throw new ConfigException("--init checkpoint " + extras.init() + " holds " + im.architecture
                                + ", --model is " + cfg.model);
                    }
                    try (NDManager tmp = NDManager.newBaseManager()) {
                        Checkpoint src = Checkpoint.load(extras.init(), tmp);
                        Map<String, NDArray> from = new LinkedHashMap<>(src.model().namedParameters());
                        from.putAll(src.model().namedBuffers());
                        Map<String, NDArray> to = new LinkedHashMap<>(model.namedParameters());
                        to.putAll(model.namedBuffers());
                        to.forEach((k, a) -> InPlace.assign(a, from.get(k).toFloatArray()));
                    }
                    meta.initCheckpoint = extras.init().toString();
                    meta.source = im.source;
                    meta.initEpochs = im.epoch;
                    meta.initTestAccuracy = im.testAccuracyMeasured() ? im.testAccuracy : null;
                    log.printf("initialised from %s (epoch %d, test accuracy %s)%n", extras.init(), im.epoch,
                            im.testAccuracyMeasured() ? String.format(java.util.Locale.ROOT, "%.2f%%",
                                    100 * im.testAccuracy) : "not measured");
                }
            }
            java.util.function.Consumer<Module> clipHook = null;
            if (extras.hwa() != null) {
                dev.aimc.nn.hwa.HardwareAware.Conversion conv =
                        dev.aimc.nn.hwa.HardwareAware.convert(model, extras.hwa(), extras.keepDigital());
                model = conv.net();
                clipHook = conv.clipHook();
                meta.hwa = extras.hwa().toMap();
                meta.hwaDigitalLayers = new java.util.ArrayList<>(extras.keepDigital());
                log.printf("hardware-aware training: %s on %d layers%n", extras.hwa().toMap(),
                        conv.convertedPaths().size());
            }
            if (extras.uniform() != null || meta.uniformScaling != null) { // a resumed run keeps its recorded designs
                dev.aimc.nn.uniform.UniformTraining.Conversion conv;
                try (NDManager cal = m.newSubManager()) {
                    int n = Math.min(CALIBRATION_SAMPLES, train.size());
                    int[] idx = java.util.stream.IntStream.range(0, n).map(i -> (int) ((long) i * train.size() / n))
                            .toArray();
                    conv = dev.aimc.nn.uniform.UniformTraining.prepare(model, extras.uniform(), meta.uniformScaling,
                            train.batch(cal, idx)[0]);
                }
                clipHook = conv.clipHook();
                meta.uniformScaling = conv.toMap();
                log.printf("uniform scaling (%s design): %s%n", conv.design().label(), conv.toMap().get("layers"));
            }
            meta.training = cfg;
            meta.aimcVersion = Version.get();
            Trainer trainer = new Trainer(model, m, opt, cfg);
            if (clipHook != null) {
                trainer.afterStepCallbacks().add(clipHook);
            }
            log.printf("training %s (%,d parameters) on %s: %,d train / %,d test, %d epochs, batch %d, %s lr %.4g %s,"
                    + " %d threads%n", cfg.model, model.parameterCount(), cfg.dataset, train.size(), test.size(),
                    cfg.epochs, cfg.batch, cfg.optimizer, cfg.learningRate(), cfg.schedule, cfg.threadCount());
            int last = cfg.stopAfter > 0 ? Math.min(cfg.epochs, cfg.stopAfter) : cfg.epochs;
            String normsBefore = cfg.lipschitzBeta > 0 ? spectralNorms(model, cfg) : null;
            if (normsBefore != null) {
                log.printf(java.util.Locale.ROOT, "Lipschitz regularization: beta %s, lambda %s; spectral norms before:"
                        + " %s%n", cfg.lipschitzBeta, cfg.lipschitzLambda, normsBefore);
            }
            for (int e = meta.epoch; e < last; e++) {
                Trainer.EpochStats st;
                try {
                    st = trainer.trainEpoch(train, e + 1, cfg.epochs);
                } catch (Trainer.Diverged d) {
                    throw new ConfigException(d.getMessage() + "; " + (meta.epoch > 0
                            ? out + " keeps epoch " + meta.epoch + String.format(java.util.Locale.ROOT,
                                    " (test accuracy %.2f%%)", 100 * meta.testAccuracy)
                            : exists ? out + " keeps its previous checkpoint" : "no checkpoint written"));
                }
                double acc = Accuracy.top1(model, test, cfg.evalBatch, m);
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
            if (normsBefore != null) {
                log.printf("spectral norms after: %s%n", spectralNorms(model, cfg));
            }
            return new Result(out, meta.testAccuracy, meta.epoch, meta);
        }
    }

    /** Per-layer spectral norms (power iteration seeded from the run's seed), formatted. */
    private static String spectralNorms(Module model, TrainConfig cfg) {
        return dev.aimc.robust.SpectralNorms.format(dev.aimc.robust.SpectralNorms.of(model,
                dev.aimc.robust.SpectralNorms.DEFAULT_ITERATIONS, Rng.derive(cfg.seed, 4_000_000L)));
    }
}
