package dev.aimc.cli;

import dev.aimc.data.DataSets;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import ai.djl.ndarray.NDManager;
import dev.aimc.models.Models;
import dev.aimc.nn.hwa.HardwareAware;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.util.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aimc train}: trains a reference network, checkpoint after every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a reference network; writes a checkpoint directory after every epoch.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true,
            description = "mlp-mnist, mlp-har, mlp-har265, lenet5, lenet5-mnist, resnet20, resnet32, resnet32-joshi, cnn1d-har, or graph"
                    + " (a network written by aimc import, with --init)")
    String model;
    @Option(names = "--dataset", defaultValue = "mnist-subset",
            description = "mnist-subset (embedded), mnist, fashion-mnist, cifar10, har, har-signals, har265 (UCI HAR, first 265 of 561 features) (default: ${DEFAULT-VALUE})")
    String dataset;
    @Option(names = "--epochs", defaultValue = "30", description = "training epochs (default: ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--out", required = true, description = "checkpoint directory") Path out;
    @Option(names = "--batch", defaultValue = "128", description = "images per training step (default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--lr", description = "learning rate (default: sgd 0.05, adam 0.001)") Double lr;
    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adam (default: ${DEFAULT-VALUE})") String optimizer;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum;
    @Option(names = "--nesterov", description = "Nesterov momentum for SGD (default: off)") boolean nesterov;
    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay per step, times the learning rate (default: ${DEFAULT-VALUE})") double weightDecay;
    @Option(names = "--schedule", defaultValue = "cosine", description = "learning-rate schedule: cosine, step, onecycle (lr/25 rising to --lr over 30 %% of the steps, then cosine to ~0) or none (default: ${DEFAULT-VALUE})")
    String schedule;
    @Option(names = "--seed", defaultValue = "0", description = "seed of initialisation, shuffling and augmentation (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--resume", description = "continue the checkpoint in --out with its recorded settings (only "
            + "--epochs, --threads and --no-progress may change; other options must match or be left out); with no "
            + "checkpoint there yet, start at epoch 1")
    boolean resume;
    @Option(names = "--overwrite", description = "replace a checkpoint already in --out (default: refuse)")
    boolean overwrite;
    @Spec CommandSpec spec;
    @Option(names = "--train-limit", defaultValue = "0", description = "use the first N training samples (default: ${DEFAULT-VALUE} = all)") int trainLimit;
    @Option(names = "--threads", defaultValue = "0", description = "intra-op threads (default: all cores)") int threads;
    @Option(names = "--label-smoothing", defaultValue = "0", description = "label smoothing of the cross-entropy loss, 0..1 (default: ${DEFAULT-VALUE})") double labelSmoothing;
    @Option(names = "--augment", negatable = true, description = "crop+flip augmentation (default: on for cifar10)")
    Boolean augment;
    @Option(names = "--no-progress", description = "no progress bar") boolean noProgress;
    @Option(names = "--init", paramLabel = "CHECKPOINT",
            description = "start from this checkpoint's weights (same --model), e.g. HWA fine-tuning of a digital net;"
                    + " --model graph with a checkpoint written by aimc import")
    Path init;
    @Option(names = "--lipschitz-beta", defaultValue = "0", paramLabel = "B", description = "Lipschitz"
            + " regularization: add B·Σ_l ‖G_l − λI‖²_F to the loss, G_l the smaller Gram matrix of layer l's weight"
            + " [out, in·k·k] (CorrectNet; 5e-4 in a reimplementation); 0 = off (default: ${DEFAULT-VALUE})")
    double lipschitzBeta;
    @Option(names = "--lipschitz-lambda", defaultValue = "1", paramLabel = "L",
            description = "λ of the Lipschitz regularizer, the target squared singular value (default: ${DEFAULT-VALUE})")
    double lipschitzLambda;
    @picocli.CommandLine.Mixin HwaOptions hwa = new HwaOptions();
    @picocli.CommandLine.Mixin UniformScalingOptions uniform = new UniformScalingOptions();

    @Override
    public Integer call() {
        if (resume && overwrite) {
            throw new ConfigException("--resume continues the checkpoint in --out, --overwrite replaces it; give one");
        }
        TrainConfig c = new TrainConfig();
        c.model = model;
        c.dataset = dataset;
        c.epochs = epochs;
        c.batch = batch;
        c.lr = lr;
        c.optimizer = optimizer;
        c.momentum = momentum;
        c.nesterov = nesterov;
        c.weightDecay = weightDecay;
        c.schedule = schedule;
        c.seed = seed;
        c.trainLimit = trainLimit;
        c.threads = threads;
        c.labelSmoothing = labelSmoothing;
        c.augment = augment;
        c.progress = !noProgress;
        if (dev.aimc.nn.GraphSpec.ARCHITECTURE.equals(model)) { // an imported network: its graph is in a checkpoint
            Path from = init != null ? init : resume ? out : null;
            if (from == null || !Files.exists(from.resolve(Checkpoint.META))) {
                throw new ConfigException("--model " + model + " (an imported network) needs --init CHECKPOINT, or"
                        + " --resume of a checkpoint that holds one");
            }
            c.imported = TrainRun.imported(Checkpoint.readMeta(from));
            if (c.imported == null) {
                throw new ConfigException("--init " + from + " holds no imported network (no graph in "
                        + Checkpoint.META + ")");
            }
        }
        c.lipschitzBeta = lipschitzBeta;
        c.lipschitzLambda = lipschitzLambda;
        TrainRun.Extras extras = TrainRun.Extras.NONE;
        if (hwa.enabled() || init != null || uniform.enabled()) {
            HwaConfig hc = hwa.enabled() ? hwa.toConfig() : null;
            Set<String> keep = Set.of();
            if (hc != null && hwa.keepFirstLastDigital()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    keep = new LinkedHashSet<>(HardwareAware.firstAndLast(c.validate().imported != null
                            ? new dev.aimc.nn.GraphNetwork(c.imported.graph(), m) : Models.create(c.model, m, 0)));
                }
            }
            extras = new TrainRun.Extras(hc, keep, init, uniform.enabled() ? uniform.toOptions() : null);
        }
        if (resume) {
            checkResume(c);
        }
        TrainRun.IfExists mode = resume ? TrainRun.IfExists.RESUME
                : overwrite ? TrainRun.IfExists.OVERWRITE : TrainRun.IfExists.REFUSE;
        TrainRun.Result r = TrainRun.run(c, out, mode, DataSets.resolve(dataDir), System.out, extras);
        System.out.printf("final test accuracy %.2f%% after %d epochs; checkpoint %s%n", 100 * r.testAccuracy(),
                r.epochs(), r.checkpoint());
        return 0;
    }

    /**
     * {@code --resume}: a resumed run keeps the settings recorded in its checkpoint. An option given explicitly with
     * a different value is an error (it would be ignored); settings that differ only from this command's defaults
     * are taken from the checkpoint, and a note on stderr lists them. With no checkpoint yet a note says the run
     * starts at epoch 1.
     */
    private void checkResume(TrainConfig c) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(out.resolve(Checkpoint.META))) {
            err.println("aimc: note: --resume: " + out + " holds no checkpoint yet; training starts at epoch 1");
            err.flush();
            return;
        }
        CheckpointMeta prior = Checkpoint.readMeta(out);
        if (prior.training == null) {
            return;
        }
        c.validate();
        List<String> conflicts = new ArrayList<>();
        List<String> taken = new ArrayList<>();
        for (TrainConfig.Difference d : c.differencesFrom(prior.training)) {
            String o = d.option();
            if (o.equals("--model") || matched(o) || (o.equals("--augment") && matched("--no-augment"))) {
                conflicts.add(d.toString());
            } else {
                taken.add(o + " " + d.recorded() + " (default here: " + d.value() + ")");
            }
        }
        if (hwa.enabled()) {
            java.util.Map<String, Object> want = hwa.toConfig().toMap();
            java.util.Map<String, Object> had = prior.hwa == null ? null
                    : HwaConfig.fromMap(prior.hwa).toMap();
            if (!want.equals(had)) {
                conflicts.add("--hwa " + want + " (recorded: " + (had == null ? "no hardware-aware training" : had)
                        + ")");
            }
        }
        if (uniform.enabled()) {
            String u = uniformConflict(uniform.toOptions(), prior.uniformScaling);
            if (u != null) {
                conflicts.add(u);
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ConfigException("--resume continues " + out + " with its recorded settings, but "
                    + String.join("; ", conflicts) + "; leave these options out or give the recorded values");
        }
        if (!taken.isEmpty()) {
            err.println("aimc: note: --resume takes from the checkpoint: " + String.join("; ", taken));
            err.flush();
        }
    }

    /** Why --uniform-scaling options differ from the checkpoint's recorded designs, or null when they agree. */
    static String uniformConflict(dev.aimc.nn.uniform.UniformTraining.Options o, java.util.Map<String, Object> had) {
        if (had == null) {
            return "--uniform-scaling (recorded: no uniform scaling)";
        }
        java.util.Map<String, Object> want = new java.util.LinkedHashMap<>();
        want.put("design", o.design().label());
        want.put("cellBits", o.cellBits());
        want.put("polarity", o.polarity().label());
        want.put("dacBits", o.dacBits());
        want.put("adcBits", o.adcBits());
        java.util.Map<String, Object> rec = new java.util.LinkedHashMap<>();
        rec.put("design", had.get("design"));
        Object layers = had.get("layers");
        if (layers instanceof java.util.Map<?, ?> l && !l.isEmpty()
                && l.values().iterator().next() instanceof java.util.Map<?, ?> first) {
            for (String k : java.util.List.of("cellBits", "polarity", "dacBits", "adcBits")) {
                Object v = first.get(k);
                rec.put(k, v instanceof Number n ? (Object) n.intValue() : v);
            }
        }
        Object signs = had.get("tileSigns");
        if (!o.tileSigns().isEmpty() || signs instanceof java.util.Map<?, ?> sm && !sm.isEmpty()) {
            want.put("tileSigns", o.tileSigns());
            rec.put("tileSigns", signs == null ? java.util.Map.of() : signs);
        }
        return want.equals(rec) ? null : "--uniform-scaling " + want + " (recorded: " + rec + ")";
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
