package dev.aimc.runner;

import dev.aimc.experiment.InferenceExperiment;
import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.Schemes;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.device.DeviceModels;
import dev.aimc.models.Models;
import dev.aimc.nn.hwa.HardwareAware;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.report.ReportWriter;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.GainRow;
import dev.aimc.results.Measurement;
import dev.aimc.results.Summary;
import dev.aimc.results.Timing;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.CheckpointMeta;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.AtomicFiles;
import dev.aimc.util.ConfigException;
import dev.aimc.report.Json;
import dev.aimc.util.OutputPaths;
import dev.aimc.util.ProgressMeter;
import dev.aimc.util.Times;
import dev.aimc.util.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs an {@link ExperimentFile}: trains (or reuses) every network, evaluates the ones marked for evaluation on
 * analog hardware over time with every compensation variant ({@link InferenceExperiment}), and writes
 * <ul>
 *   <li>{@code <out>/<network>/}: each network's report (results.json/csv, PNG, HTML);</li>
 *   <li>{@code <out>/}: one combined report comparing them (variants named {@code network/compensation});</li>
 *   <li>{@code <out>/summary.json} and {@code summary.md}: checkpoints, digital accuracies, the accuracy table and
 *       the gains table (candidate minus baseline, without and with compensation);</li>
 *   <li>{@code <out>/gains.csv} when the file has a {@code gains} section.</li>
 * </ul>
 */
public final class ExperimentRunner {
    private ExperimentRunner() {}

    /** The outcome: per network its checkpoint and (if evaluated) its result; the combined result; gains. */
    public record Outcome(Map<String, Path> checkpoints, Map<String, EvaluationResult> results,
            EvaluationResult combined, List<GainRow> gains) {}

    /**
     * Runs the experiment.
     *
     * @param quick shrink epochs, data and repeats ({@link ExperimentFile#quick()})
     * @param out output folder
     * @param dataDir data folder (null: only mnist-subset)
     * @param f the validated experiment file
     * @param threads PyTorch intra-op threads (≤ 0: all available processors); results depend on it
     * @param log receives the progress lines and the final tables
     * @return the checkpoints written, each evaluated network's result, the combined result and the device-aware gains
     */
    public static Outcome run(ExperimentFile f, boolean quick, Path out, Path dataDir, int threads, PrintStream log) {
        return run(f, quick, out, dataDir, threads, log, false);
    }

    /**
     * As {@link #run(ExperimentFile, boolean, Path, Path, int, PrintStream)}; {@code progress} shows training and
     * evaluation progress on stderr ({@link ProgressMeter}: a bar on a terminal, about ten lines per loop in a log).
     *
     * @param f the validated experiment file
     * @param quick shrink epochs, data and repeats ({@link ExperimentFile#quick()})
     * @param out output folder (validated before any work)
     * @param dataDir data folder (null: only mnist-subset)
     * @param threads PyTorch intra-op threads (≤ 0: all available processors); results depend on it
     * @param log receives the progress lines and the final tables
     * @param progress whether to show progress on stderr
     * @return the checkpoints written, each evaluated network's result, the combined result and the device-aware gains
     */
    public static Outcome run(ExperimentFile f, boolean quick, Path out, Path dataDir, int threads, PrintStream log,
            boolean progress) {
        return run(f, quick, out, dataDir, threads, log, progress, null);
    }

    /**
     * As {@link #run(ExperimentFile, boolean, Path, Path, int, PrintStream, boolean)}, with the chips of every
     * evaluation run by {@code executor} (e.g. as the tasks of a Spark job), or here when it is null. Training runs
     * here either way; nothing is written before every chip of an evaluation is back.
     *
     * @param f the validated experiment file
     * @param quick shrink epochs, data and repeats ({@link ExperimentFile#quick()})
     * @param out output folder (validated before any work)
     * @param dataDir data folder (null: only mnist-subset); read here only
     * @param threads PyTorch intra-op threads here and in every chip (≤ 0: all available processors)
     * @param log receives the progress lines and the final tables
     * @param progress whether to show progress on stderr
     * @param executor runs the chips, or null to run them here
     * @return the checkpoints written, each evaluated network's result, the combined result and the device-aware gains
     */
    public static Outcome run(ExperimentFile f, boolean quick, Path out, Path dataDir, int threads, PrintStream log,
            boolean progress, ChipExecutor executor) {
        OutputPaths.folder("--out", out);
        TrainRun.setThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        ExperimentFile.Evaluation ev = f.evaluation();
        int adabs = quick ? Math.min(ev.adabsSamples(), f.quick().adabsSamples()) : ev.adabsSamples();
        Schemes.setAdabsSamples(adabs);
        TileConfig tile = ev.tile();
        InferenceExperiment.Config cfg = config(f, quick);
        int repeats = cfg.repeats();
        List<Double> times = cfg.times();
        ChipJob.Recipe recipe = executor == null ? null : new FileRecipe(f, quick);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
        }
        log.printf("experiment %s%s: %d network(s), device %s, times %s, %d repeat(s), compensations %s%n",
                f.name(), quick ? " (quick)" : "", f.networks().size(), ev.device(), labels(times), repeats,
                ev.compensations());

        // 1. train, resume or reuse
        Map<String, Path> checkpoints = new LinkedHashMap<>();
        Map<String, Boolean> reused = new LinkedHashMap<>();
        for (ExperimentFile.Network n : f.networks()) {
            Path given = n.checkpoint() == null ? null : f.resolve(n.checkpoint());
            Path ck = !quick && given != null ? given : out.resolve("checkpoints").resolve(n.name());
            String where = f.source() + ": networks." + n.name() + (ck == given ? ".checkpoint " : " checkpoint ") + ck;
            boolean exists = Files.exists(ck.resolve(Checkpoint.META));
            if (n.train() == null) {
                if (!exists && quick && given != null && Files.exists(given.resolve(Checkpoint.META))) {
                    ck = given;
                    where = f.source() + ": networks." + n.name() + ".checkpoint " + ck;
                } else if (!exists) {
                    throw new ConfigException(where + " does not exist and the network has no train section");
                }
                CheckpointMeta meta = Checkpoint.readMeta(ck);
                if (!meta.architecture.equals(n.model())) {
                    throw new ConfigException(where + " holds " + meta.architecture + ", model is " + n.model());
                }
                log.printf("network %s: reusing checkpoint %s (epoch %d, test accuracy %s)%n", n.name(), ck,
                        meta.epoch, meta.testAccuracyMeasured() ? String.format(Locale.ROOT, "%.2f%%",
                                100 * meta.testAccuracy) : "not measured");
                reused.put(n.name(), true);
                checkpoints.put(n.name(), ck);
                continue;
            }
            TrainConfig tc = trainConfig(f, n, quick);
            tc.threads = threads; // run's --threads, for training too (0: all cores)
            tc.progress = progress;
            Set<String> keep = Set.of();
            if (n.hwa() != null && n.hwa().digitalFirstLast()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    keep = new LinkedHashSet<>(HardwareAware.firstAndLast(Models.create(n.model(), m, 0)));
                }
            }
            TrainRun.IfExists mode = TrainRun.IfExists.REFUSE;
            if (exists) {
                CheckpointMeta meta = Checkpoint.readMeta(ck);
                String why = mismatch(meta, tc, n, keep);
                if (why != null) {
                    throw new ConfigException(where + " was not trained with this file's settings (" + why
                            + "); delete it or give the network another checkpoint path");
                }
                if (meta.epoch == tc.epochs) {
                    log.printf("network %s: reusing checkpoint %s (%d of %d epochs, same settings, test accuracy"
                            + " %.2f%%)%n", n.name(), ck, meta.epoch, tc.epochs, 100 * meta.testAccuracy);
                    reused.put(n.name(), true);
                    checkpoints.put(n.name(), ck);
                    continue;
                }
                log.printf("network %s: resuming unfinished checkpoint %s (%d of %d epochs)%n", n.name(), ck,
                        meta.epoch, tc.epochs);
                mode = TrainRun.IfExists.RESUME;
            } else {
                String option = f.source() + ": networks." + n.name() + (ck == given ? ".checkpoint" : " checkpoint");
                OutputPaths.folder(option, ck);
            }
            Path init = null;
            if (n.init() != null && mode != TrainRun.IfExists.RESUME) { // a resumed run has its weights already
                init = checkpoints.containsKey(n.init()) ? checkpoints.get(n.init()) : f.resolve(n.init());
            }
            if (mode != TrainRun.IfExists.RESUME) {
                log.printf("network %s: training %s%s into %s%n", n.name(), n.model(),
                        n.hwa() != null ? " (hardware-aware " + n.hwa().config().toMap() + ")" : "", ck);
            }
            TrainRun.run(tc, ck, mode, dataDir, log,
                    new TrainRun.Extras(n.hwa() == null ? null : n.hwa().config(), keep, init));
            reused.put(n.name(), false);
            checkpoints.put(n.name(), ck);
        }

        // 2. evaluate
        Map<String, EvaluationResult> results = new LinkedHashMap<>();
        Map<String, Object> digital = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Dataset test = null;
            Dataset calib = null;
            for (ExperimentFile.Network n : f.networks()) {
                Checkpoint ck = Checkpoint.load(checkpoints.get(n.name()), m);
                digital.put(n.name(), ck.meta().testAccuracy);
                if (!n.evaluate()) {
                    continue;
                }
                TrainConfig tc = TrainRun.evaluationConfig(ck.meta());
                if (test == null) {
                    test = TrainRun.loadData(tc, dataDir, Split.TEST);
                    if (Schemes.needsCalibration(ev.compensations())) {
                        calib = TrainRun.loadData(tc, dataDir, Split.TRAIN);
                    }
                }
                if (calib != null) { // AdaBS calibrates through the augmentation this network trained with
                    calib = TrainRun.withTrainingAugmentation(calib, tc);
                }
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("experiment", f.name());
                extra.put("network", n.name());
                extra.put("checkpoint", checkpoints.get(n.name()).toString());
                extra.put("model", n.model());
                extra.put("dataset", f.dataset());
                extra.put("checkpointEpoch", ck.meta().epoch);
                extra.put("checkpointTestAccuracy", ck.meta().testAccuracy);
                extra.put("hwa", ck.meta().hwa);
                extra.put("quick", quick);
                if (calib != null) {
                    extra.put("adabsSamples", Math.min(adabs, calib.size()));
                    extra.put("adabsAugmented", calib.augmentation() != null); // through the training augmentation
                }
                log.printf("network %s: evaluating on %s (%d repeat(s) x %d time(s) x %d variant(s))%n", n.name(),
                        ev.device(), repeats, times.size(), ev.compensations().size());
                EvaluationResult r;
                try (ProgressMeter pm = ProgressMeter.start("network " + n.name(), 0, "evaluations", progress)) {
                    InferenceExperiment.Progress p = new InferenceExperiment.Progress() {
                        @Override
                        public void start(long total) {
                            pm.total(total);
                        }

                        @Override
                        public void step(String message) {
                            pm.step(message);
                        }
                    };
                    InferenceExperiment.Chips chips = executor == null ? InferenceExperiment.Chips.IN_PROCESS
                            : executor.chips(new ChipJob(checkpoints.get(n.name()), test, calib, cfg, recipe,
                                    threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), false));
                    r = InferenceExperiment.run(f.title() + ": " + n.name(), ck.model(), test, calib, cfg, extra, p,
                            m, chips);
                }
                if (ev.cost() != null) {
                    ev.cost().attach(r, n.model(), ck.meta().graph, tile); // a graph network is costed from its graph
                }
                results.put(n.name(), r);
                ReportWriter.write(out.resolve(n.name()), r);
            }
        }
        EvaluationResult combined = results.isEmpty() ? null : combine(f, results, quick);
        List<GainRow> gains = f.gains() == null ? List.of() : gains(f.gains(), results, times);
        if (combined != null) {
            ReportWriter.write(out, combined, gains, f.gains() == null ? null
                    : f.gains().candidate() + " minus " + f.gains().baseline());
            log.print(ReportWriter.table(combined));
        }
        writeSummary(f, quick, out, checkpoints, reused, digital, results, gains, log);
        return new Outcome(checkpoints, results, combined, gains);
    }

    /**
     * The evaluation's configuration: the file's evaluation section, shrunk by its quick section when {@code quick}.
     *
     * @param f the validated experiment file
     * @param quick shrink times, repeats and test images
     * @return the validated configuration
     */
    static InferenceExperiment.Config config(ExperimentFile f, boolean quick) {
        ExperimentFile.Evaluation ev = f.evaluation();
        int repeats = quick ? Math.min(ev.repeats(), f.quick().repeats()) : ev.repeats();
        List<Double> times = quick ? f.quick().times() : ev.times();
        int testLimit = quick ? limit(ev.testLimit(), f.quick().testLimit()) : ev.testLimit();
        return InferenceExperiment.Config.builder()
                .device(dev.aimc.device.DeviceModels.parse(ev.device(), ev.deviceOptions())).times(times)
                .repeats(repeats).seed(ev.seed()).batchSize(ev.batch())
                .keepDigital(new LinkedHashSet<>(ev.keepDigital()))
                .tile(ev.tile()).testLimit(testLimit).compensations(Schemes.parse(ev.compensations())).build();
    }

    /**
     * Rebuilds {@link #config} where a chip runs, from the file's parsed YAML document (without its cost table,
     * which only the driver applies): no file is read there.
     */
    private static final class FileRecipe implements ChipJob.Recipe {
        private static final long serialVersionUID = 1L;
        private final String source;
        private final Object document;
        private final boolean quick;

        FileRecipe(ExperimentFile f, boolean quick) {
            this.source = String.valueOf(f.source());
            Object doc = ExperimentFile.document(f.source());
            if (doc instanceof Map<?, ?> root && root.get("evaluation") instanceof Map<?, ?> e) {
                Map<Object, Object> ev = new LinkedHashMap<>(e);
                ev.remove("cost");
                Map<Object, Object> r = new LinkedHashMap<>(root);
                r.put("evaluation", ev);
                doc = r;
            }
            this.document = doc;
            this.quick = quick;
        }

        @Override
        public InferenceExperiment.Config config(Path checkpoint) {
            return ExperimentRunner.config(ExperimentFile.parse(Path.of(source), document), quick);
        }
    }

    /**
     * Why checkpoint {@code meta} is not the network the file describes ({@code tc}, {@code n}, layers kept
     * digital {@code keep}), or null when it is (possibly unfinished: fewer epochs than {@code tc.epochs}).
     */
    static String mismatch(CheckpointMeta meta, TrainConfig tc, ExperimentFile.Network n, Set<String> keep) {
        if (!meta.architecture.equals(n.model())) {
            return "it holds " + meta.architecture + ", model is " + n.model();
        }
        if (meta.training == null) {
            return "it records no training settings";
        }
        List<String> why = new ArrayList<>();
        for (TrainConfig.Difference d : tc.differencesFrom(meta.training)) {
            why.add(yamlKey(d.option()) + " " + d.value() + ", the checkpoint has " + d.recorded());
        }
        if (meta.epoch > tc.epochs) {
            why.add("train.epochs " + tc.epochs + ", the checkpoint has " + meta.epoch);
        }
        Map<String, Object> hwa = n.hwa() == null ? null : n.hwa().config().toMap();
        Map<String, Object> had = meta.hwa == null ? null : HwaConfig.fromMap(meta.hwa).toMap();
        if (!java.util.Objects.equals(hwa, had)) {
            why.add("hwa " + (hwa == null ? "none" : hwa) + ", the checkpoint has " + (had == null ? "none" : had));
        } else if (hwa != null && !keep.equals(meta.hwaDigitalLayers == null ? Set.of()
                : new LinkedHashSet<>(meta.hwaDigitalLayers))) {
            why.add("hwa.digitalFirstLast keeps " + keep + " digital, the checkpoint kept " + meta.hwaDigitalLayers);
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }

    /** "--weight-decay" as the file spells it: "train.weightDecay" ("model" and "dataset" stay). */
    private static String yamlKey(String option) {
        String k = option.substring(2);
        if (k.equals("model") || k.equals("dataset")) {
            return k;
        }
        StringBuilder sb = new StringBuilder("train.");
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == '-' && i + 1 < k.length()) {
                sb.append(Character.toUpperCase(k.charAt(++i)));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int limit(int a, int b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }

    static TrainConfig trainConfig(ExperimentFile f, ExperimentFile.Network n, boolean quick) {
        ExperimentFile.Train t = n.train();
        TrainConfig c = new TrainConfig();
        c.model = n.model();
        c.dataset = f.dataset();
        if (t.epochs() != null) {
            c.epochs = t.epochs();
        }
        if (t.batch() != null) {
            c.batch = t.batch();
        }
        c.lr = t.lr();
        if (t.optimizer() != null) {
            c.optimizer = t.optimizer();
        }
        if (t.momentum() != null) {
            c.momentum = t.momentum();
        }
        if (t.weightDecay() != null) {
            c.weightDecay = t.weightDecay();
        }
        if (t.schedule() != null) {
            c.schedule = t.schedule();
        }
        if (t.seed() != null) {
            c.seed = t.seed();
        }
        if (t.trainLimit() != null) {
            c.trainLimit = t.trainLimit();
        }
        c.augment = t.augment();
        c.progress = false;
        if (quick) {
            c.epochs = Math.min(c.epochs, f.quick().epochs());
            c.trainLimit = limit(c.trainLimit, f.quick().trainLimit());
        }
        try {
            return c.validate();
        } catch (ConfigException e) {
            throw new ConfigException(f.source() + ": networks." + n.name() + ".train: " + e.getMessage());
        }
    }

    /** One result whose variants are "network/compensation", for the combined report. */
    static EvaluationResult combine(ExperimentFile f, Map<String, EvaluationResult> results, boolean quick) {
        List<Measurement> ms = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        EvaluationResult first = results.values().iterator().next();
        double analogSec = 0;
        int passes = 0;
        double digitalSec = 0;
        List<String> layers = new ArrayList<>();
        // each network's digital accuracy on the evaluated test images (the report says "on N test samples"; the
        // checkpoint's own figure, on the whole test split, is summary.md's)
        Map<String, Object> digitalEvaluated = new LinkedHashMap<>();
        for (Map.Entry<String, EvaluationResult> e : results.entrySet()) {
            EvaluationResult r = e.getValue();
            digitalEvaluated.put(e.getKey(), r.digitalAccuracy());
            for (String v : r.variants()) {
                variants.add(e.getKey() + "/" + v);
            }
            for (Measurement mm : r.measurements()) {
                ms.add(new Measurement(e.getKey() + "/" + mm.variant(), mm.repeat(), mm.seed(),
                        mm.timeSeconds(), mm.accuracy()));
            }
            analogSec += r.timing().analogPassSeconds() * r.timing().analogPasses();
            passes += r.timing().analogPasses();
            digitalSec += r.timing().digitalPassSeconds();
            layers.add(e.getKey() + ": " + r.analogLayers());
        }
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("experiment", f.name());
        conf.put("file", f.source().toString());
        conf.put("quick", quick);
        conf.put("note", f.note());
        conf.put("digitalAccuracyPerNetwork", digitalEvaluated);
        Map<String, Object> per = new LinkedHashMap<>();
        results.forEach((k, r) -> per.put(k, r.configuration()));
        conf.put("networks", per);
        String title = f.title() + (quick ? " (quick)" : "");
        return new EvaluationResult(title, conf, first.seed(), Version.get(), first.deviceName(), layers,
                first.testSamples(), first.digitalAccuracy(), first.times(), variants, ms,
                InferenceExperiment.summarize(ms, variants, first.times()),
                new Timing(digitalSec, passes == 0 ? 0 : analogSec / passes, passes));
    }

    static List<GainRow> gains(ExperimentFile.Gains g, Map<String, EvaluationResult> results,
            List<Double> times) {
        EvaluationResult b = results.get(g.baseline());
        EvaluationResult c = results.get(g.candidate());
        if (b == null || c == null) {
            throw new ConfigException("gains: baseline and candidate must both be evaluated (evaluate: true)");
        }
        List<String> variants = new ArrayList<>();
        variants.add(g.without());
        variants.addAll(g.with());
        List<GainRow> out = new ArrayList<>();
        for (String v : variants) {
            for (double t : times) {
                Summary sb = b.summary(v, t);
                Summary sc = c.summary(v, t);
                out.add(new GainRow(v, t, sb.mean(), sb.std(), sc.mean(), sc.std(), sc.mean() - sb.mean(),
                        Math.sqrt(sb.std() * sb.std() + sc.std() * sc.std())));
            }
        }
        return out;
    }

    private static String labels(List<Double> times) {
        return times.stream().map(Times::label).toList().toString();
    }

    private static void writeSummary(ExperimentFile f, boolean quick, Path out, Map<String, Path> checkpoints,
            Map<String, Boolean> reused, Map<String, Object> digital, Map<String, EvaluationResult> results,
            List<GainRow> gains, PrintStream log) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(f.title()).append(quick ? " (quick)" : "").append("\n\n");
        if (!f.note().isBlank()) {
            md.append(f.note().strip()).append("\n\n");
        }
        md.append("| network | checkpoint | digital test accuracy |\n|---|---|---|\n");
        checkpoints.forEach((n, p) -> md.append(String.format(Locale.ROOT, "| %s | %s%s | %.2f %% |%n", n, p,
                reused.getOrDefault(n, false) ? " (reused)" : "", 100 * ((Number) digital.get(n)).doubleValue())));
        md.append("\nAnalog test accuracy (mean ± std over programming repeats, %):\n\n");
        for (Map.Entry<String, EvaluationResult> e : results.entrySet()) {
            EvaluationResult r = e.getValue();
            md.append("**").append(e.getKey()).append("** (").append(r.testSamples()).append(" test images)\n\n");
            md.append("| variant |");
            r.times().forEach(t -> md.append(' ').append(Times.label(t)).append(" |"));
            md.append("\n|---|");
            r.times().forEach(t -> md.append("---|"));
            md.append('\n');
            for (String v : r.variants()) {
                md.append("| ").append(v).append(" |");
                for (double t : r.times()) {
                    Summary s = r.summary(v, t);
                    md.append(String.format(Locale.ROOT, " %.2f ± %.2f |", 100 * s.mean(), 100 * s.std()));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        StringBuilder csv = new StringBuilder("variant,time_s,time_label,baseline_mean,baseline_std,candidate_mean,"
                + "candidate_std,gain,spread\n");
        if (!gains.isEmpty()) {
            md.append("Gains: ").append(f.gains().candidate()).append(" minus ").append(f.gains().baseline())
                    .append(" (accuracy points; spread = sqrt(std_b² + std_c²))")
                    .append(quick ? "; quick run, smoke output, not a measurement" : "").append(":\n\n");
            md.append("| variant | time | baseline | candidate | gain | spread |\n|---|---|---|---|---|---|\n");
            for (GainRow g : gains) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %+.2f | %.2f |%n", g.variant(),
                        Times.label(g.timeSeconds()), 100 * g.baseline(), 100 * g.candidate(), 100 * g.gain(),
                        100 * g.spread()));
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", g.variant(),
                        g.timeSeconds(), Times.label(g.timeSeconds()), g.baseline(), g.baselineStd(), g.candidate(),
                        g.candidateStd(), g.gain(), g.spread()));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", f.name());
        json.put("title", f.title());
        json.put("quick", quick);
        json.put("aimcVersion", Version.get());
        Map<String, Object> cks = new LinkedHashMap<>();
        checkpoints.forEach((k, v) -> cks.put(k, v.toString()));
        json.put("checkpoints", cks);
        json.put("digitalAccuracy", digital);
        Map<String, Object> summ = new LinkedHashMap<>();
        results.forEach((k, r) -> summ.put(k, r.summaries()));
        json.put("summary", summ);
        json.put("gains", gains);
        try {
            Json.write(out.resolve("summary.json"), json);
            AtomicFiles.writeString(out.resolve("summary.md"), md.toString());
            if (!gains.isEmpty()) {
                AtomicFiles.writeString(out.resolve("gains.csv"), csv.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!gains.isEmpty()) {
            log.print(md.substring(md.indexOf("Gains: ")));
        }
        log.println("report: " + out.resolve(ReportWriter.HTML).toAbsolutePath());
    }
}
