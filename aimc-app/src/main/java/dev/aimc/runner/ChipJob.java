package dev.aimc.runner;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.Schemes;
import dev.aimc.data.Dataset;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.nn.Module;
import dev.aimc.results.Measurement;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.train.TrainRun;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one evaluation's chips need, as bytes that travel with a cluster job (a Spark broadcast), so workers
 * need no shared file system and never read the data directory: the checkpoint's files, the test images (and the
 * calibration images of AdaBS) as the arrays the driver loaded, and a recipe that rebuilds the
 * {@link InferenceExperiment.Config} from the options the user gave. Where a chip runs, {@link #chip(int)} writes
 * the checkpoint to a temporary folder once per JVM, loads it with the same loader as the command line
 * ({@link Checkpoint#load}) into the task's own {@link NDManager}, and runs {@link InferenceExperiment#chip}: the
 * same code on the same inputs as the in-process run, so the same thread count gives bit-identical measurements.
 */
public final class ChipJob implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Rebuilds the configuration where the chip runs; serializable (it holds the user's options, not objects). */
    public interface Recipe extends Serializable {
        /**
         * The configuration, as the driver built it.
         *
         * @param checkpoint the checkpoint folder where the chip runs (its recorded design may set the tiles)
         * @return the validated configuration
         */
        InferenceExperiment.Config config(Path checkpoint);
    }

    /** Names the job, so that a JVM opens it once. */
    private final String id = UUID.randomUUID().toString();
    /** The checkpoint's files, without the optimizer state. */
    private final CheckpointFiles checkpoint;
    /** The test images as the driver loaded them. */
    private final DatasetArrays test;
    /** The calibration images (AdaBS), or null. */
    private final DatasetArrays calibration;
    /** Rebuilds the configuration where the chips run. */
    private final Recipe recipe;
    /** PyTorch intra-op threads of each chip. */
    private final int threads;
    /** Training images AdaBS recalibrates on, as set on the driver. */
    private final int adabsSamples;
    /** Whether a chip deploys the checkpoint's uniform-scaling design after loading it. */
    private final boolean deployUniformScaling;
    /** The variant names, in the order of each chip's measurements. */
    private final String[] variants;
    /** The inference times in seconds, in the order of each chip's measurements. */
    private final double[] times;

    /**
     * Reads the checkpoint's files (all but the optimizer state) and copies the data sets' arrays.
     *
     * @param checkpoint the checkpoint folder
     * @param test the test set the driver loaded
     * @param calibration the calibration set (AdaBS), or null
     * @param cfg the configuration the driver built (checked against the recipe's where the chips run)
     * @param recipe rebuilds {@code cfg} from the user's options
     * @param threads PyTorch threads of each chip (≥ 1)
     * @param deployUniformScaling deploy the checkpoint's uniform-scaling design after loading (as aimc evaluate)
     */
    public ChipJob(Path checkpoint, Dataset test, Dataset calibration, InferenceExperiment.Config cfg, Recipe recipe,
            int threads, boolean deployUniformScaling) {
        this.checkpoint = new CheckpointFiles(checkpoint);
        this.test = new DatasetArrays(test);
        this.calibration = calibration == null ? null : new DatasetArrays(calibration);
        this.recipe = recipe;
        this.threads = threads;
        this.adabsSamples = Schemes.adabsSamples();
        this.deployUniformScaling = deployUniformScaling;
        this.variants = cfg.compensationNames().toArray(new String[0]);
        this.times = cfg.times().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Bytes the job carries: checkpoint files and images.
     *
     * @return the size of the checkpoint's files plus the test and calibration arrays, in bytes
     */
    public long bytes() {
        long b = checkpoint.bytes() + test.bytes();
        return calibration == null ? b : b + calibration.bytes();
    }

    /**
     * Runs chip {@code rep} here: the unit of work of a cluster task.
     *
     * @param rep the repeat index
     * @return its measurements, in a serializable form
     */
    public ChipResult chip(int rep) {
        Context c = context();
        TrainRun.prepareThread(threads); // threads and gradient recording are per-thread engine settings
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint ck = Checkpoint.load(c.dir, m);
            Module net = ck.model();
            if (deployUniformScaling && ck.meta().uniformScaling != null) {
                dev.aimc.nn.uniform.UniformTraining.deploy(net, ck.meta().uniformScaling);
            }
            return ChipResult.of(InferenceExperiment.chip(net, c.test, c.calibration, c.cfg, rep, m));
        }
    }

    /**
     * Back from the serializable form.
     *
     * @param r a chip's result from {@link #chip(int)}
     * @return the chip, its measurements named by this job's variants and times
     */
    public InferenceExperiment.Chip toChip(ChipResult r) {
        List<Measurement> ms = new ArrayList<>();
        int k = 0;
        for (double t : times) {
            for (String v : variants) {
                ms.add(new Measurement(v, r.repeat(), r.seed(), t, r.accuracies()[k++]));
            }
        }
        return new InferenceExperiment.Chip(r.repeat(), r.seed(), ms, r.analogSeconds(), r.passes());
    }

    /**
     * Number of (time, variant) evaluations of one chip.
     *
     * @return times × variants
     */
    public int evaluationsPerChip() {
        return times.length * variants.length;
    }

    /**
     * One chip's measurements, serializable.
     *
     * @param repeat the repeat index r
     * @param seed its programming seed
     * @param accuracies top-1 accuracy in [0, 1] per (time, variant), times outer
     * @param analogSeconds wall time of its analog test passes, in seconds
     * @param passes number of analog test passes
     * @serial exclude
     */
    public record ChipResult(int repeat, long seed, double[] accuracies, double analogSeconds, int passes)
            implements Serializable {
        static ChipResult of(InferenceExperiment.Chip c) {
            return new ChipResult(c.repeat(), c.seed(),
                    c.measurements().stream().mapToDouble(Measurement::accuracy).toArray(), c.analogSeconds(),
                    c.passes());
        }
    }

    private static final Map<String, Context> CONTEXTS = new ConcurrentHashMap<>();

    /** The job opened in this JVM: checkpoint on local disk, data sets, configuration; once per JVM and job. */
    private Context context() {
        return CONTEXTS.computeIfAbsent(id, k -> {
            CONTEXTS.keySet().removeIf(other -> !other.equals(id)); // one job at a time per JVM
            return open();
        });
    }

    private record Context(Path dir, Dataset test, Dataset calibration, InferenceExperiment.Config cfg) {}

    private Context open() {
        Path dir = checkpoint.dir();
        Schemes.setAdabsSamples(adabsSamples);
        CheckpointMeta meta = Checkpoint.readMeta(dir);
        Dataset calib = calibration == null ? null
                : TrainRun.withTrainingAugmentation(calibration.newDataset(), TrainRun.evaluationConfig(meta));
        InferenceExperiment.Config cfg = recipe.config(dir);
        if (!cfg.compensationNames().equals(List.of(variants))
                || !cfg.times().equals(java.util.Arrays.stream(times).boxed().toList())) {
            throw new IllegalStateException("the recipe rebuilt another configuration: " + cfg.toMap());
        }
        return new Context(dir, test.newDataset(), calib, cfg);
    }
}
