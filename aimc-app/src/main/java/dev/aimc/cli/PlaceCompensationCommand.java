package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.cost.LayerShape;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.report.RobustnessReport;
import dev.aimc.robust.ChipMonteCarlo;
import dev.aimc.robust.CompensationPlacement;
import dev.aimc.robust.CompensationTrainer;
import dev.aimc.robust.RramVariation;
import dev.aimc.runner.CheckpointFiles;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;
import dev.aimc.search.GreedyPlacement;
import dev.aimc.search.PlacementResult;
import dev.aimc.search.ReinforcePlacement;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aimc place-compensation}: where to place learned error compensation (CorrectNet+), chosen by a
 * policy-gradient agent ({@link ReinforcePlacement}) and compared with no compensation, compensation after every
 * candidate layer and greedy placement by per-layer sensitivity ({@link GreedyPlacement}), all on one
 * {@link CompensationPlacement} (reward: Monte-Carlo accuracy on held-out training images minus a weighted MAC
 * overhead; placements trained once and shared).
 */
@Command(name = "place-compensation", mixinStandardHelpOptions = true,
        description = {"Place learned error compensation (CorrectNet+) by reinforcement learning (REINFORCE over one "
                + "Bernoulli decision per layer); reward = Monte-Carlo accuracy under RRAM variation on the last "
                + "--val-limit training images minus --overhead-weight × (compensation MACs / backbone MACs). "
                + "Compared with none, everywhere and greedy by per-layer sensitivity."})
public final class PlaceCompensationCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint directory") Path checkpoint;
    @Option(names = "--sigma", defaultValue = "0.6", description = "σ of ln(g'/g) of training and evaluation "
            + "(default: ${DEFAULT-VALUE})") double sigma;
    @Option(names = "--layers", split = ",", description = "candidate layers, dotted paths (default: every analog "
            + "layer)") List<String> layers;
    @Option(names = "--overhead-weight", defaultValue = "0.1", description = "reward weight of the MAC fraction "
            + "(default: ${DEFAULT-VALUE}: 10 %% more MACs cost one accuracy point)") double overheadWeight;
    @Option(names = "--episodes", defaultValue = "40", description = "RL episodes (sampled placements) (default: "
            + "${DEFAULT-VALUE})") int episodes;
    @Option(names = "--rl-lr", defaultValue = "0.5", description = "RL learning rate on the logits (default: "
            + "${DEFAULT-VALUE})") double rlLr;
    @Option(names = "--rl-batch", defaultValue = "1", description = "RL episodes sampled from one policy before it "
            + "is updated (the mean of their steps); their placements are trained and evaluated side by side with "
            + "--spark (default: ${DEFAULT-VALUE}: an update after every episode)") int rlBatch;
    @Option(names = "--chips", defaultValue = "10", description = "evaluation chips per placement (default: "
            + "${DEFAULT-VALUE})") int chips;
    @Option(names = "--seed", defaultValue = "0", description = "seed of chips, compensation and agent (default: "
            + "${DEFAULT-VALUE})") long seed;
    @Option(names = "--val-limit", defaultValue = "1000", description = "validation images, the last N of the "
            + "training split; the compensation trains on the images before them (default: ${DEFAULT-VALUE})")
    int valLimit;
    @Option(names = "--test-limit", defaultValue = "-1", description = "after the search, train and evaluate the "
            + "placement of every method again on the first N test images, same chips (default: ${DEFAULT-VALUE} = "
            + "all; 0 = skip)") int testLimit;
    @Option(names = "--cell-bits", defaultValue = "2", description = "bits per cell, 1..4 (default: "
            + "${DEFAULT-VALUE})") int cellBits;
    @Option(names = "--weight-bits", defaultValue = "9", description = "bits per weight with sign (default: "
            + "${DEFAULT-VALUE})") int weightBits;
    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC bits (default: ${DEFAULT-VALUE})")
    int adcBits;
    @Option(names = "--adc-noise", defaultValue = "0", description = "std of the ADC input noise in normalized one-"
            + "pair output units (default: ${DEFAULT-VALUE})") double adcNoise;
    @picocli.CommandLine.Mixin CompensationOptions comp = new CompensationOptions();
    @Option(names = "--comp-train-limit", defaultValue = "2000", description = "train each compensation on the "
            + "first N training images (default: ${DEFAULT-VALUE}; 0 = all before the validation images)")
    int compTrainLimit;
    @picocli.CommandLine.Mixin RobustReportOptions output = new RobustReportOptions();
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: ${DEFAULT-VALUE} = all "
            + "cores)") int threads;
    @Option(names = "--spark", paramLabel = "MASTER", description = RunCommand.SPARK_SEARCH_HELP) String spark;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        output.refuseExisting();
        RramVariation hw = new RramVariation(sigma, new RramVariation.LayerBits(cellBits, weightBits, adcBits), 12,
                adcNoise, Map.of());
        ReinforcePlacement agent = new ReinforcePlacement(episodes, rlLr, 0.8, 0.5, seed, rlBatch);
        CompensationTrainer.Settings cs = comp.settings(seed, compTrainLimit);
        Check.range("--comp-rank", comp.rank, 1, 1 << 16);
        Check.range("--test-limit", testLimit, -1, Integer.MAX_VALUE);
        TrainConfig tc = new TrainConfig();
        tc.threads = spark != null && threads == 0 ? 1 : threads; // on a cluster: one thread per task unless told
        TrainRun.setThreads(tc.threadCount());
        try (NDManager m = NDManager.newBaseManager();
                TaskExecutor ex = TaskExecutor.open("--spark", spark, tc.threadCount())) {
            Checkpoint c = Checkpoint.load(checkpoint, m);
            String arch = c.meta().architecture;
            ai.djl.ndarray.types.Shape in = Checkpoint.inputShape(c.meta());
            List<String> sites = layers != null ? layers
                    : LayerShape.of(c.model(), in).stream().map(LayerShape::name).toList();
            TrainConfig ec = TrainRun.evaluationConfig(c.meta());
            Dataset all = TrainRun.loadData(ec, DataSets.resolve(dataDir), Split.TRAIN).withAugmentation(null);
            Dataset val = ValidationSplit.of(all, valLimit);
            Dataset train = ValidationSplit.rest(all, valLimit);
            CompensationPlacement env = new CompensationPlacement(c.model(), hw, sites, train, cs, comp.rank, val,
                    chips, seed, overheadWeight, in, m, line -> out.println("  " + line));
            int compImages = cs.limit() > 0 ? Math.min(cs.limit(), train.size()) : train.size();
            PlacementJob job = new PlacementJob(new CheckpointFiles(checkpoint), hw, sites, new DatasetArrays(train,
                    compImages), cs, comp.rank, new DatasetArrays(val), chips, seed, overheadWeight);
            env.evaluateWith(ps -> ex.map(job, ps, "placement"));
            out.printf(Locale.ROOT, "%s: candidate layers %s; %s; %d chips, %,d validation images; overhead weight "
                    + "%s%n", arch, sites, hw.describe(), chips, valLimit, overheadWeight);
            int k = sites.size();
            boolean[] all1 = new boolean[k];
            java.util.Arrays.fill(all1, true);
            Map<String, Object> methods = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            record Row(String name, boolean[] placement, int evaluations, double seconds) {}
            List<Row> rows = new ArrayList<>();
            env.outcomesOf(List.of(new boolean[k], all1)); // one batch
            rows.add(new Row("none", new boolean[k], 1, 0));
            rows.add(new Row("everywhere", all1, 1, 0));
            long tg = System.nanoTime();
            int before = env.outcomes().size();
            PlacementResult greedy = GreedyPlacement.search(env);
            rows.add(new Row("greedy", greedy.best(), greedy.evaluated().size(), (System.nanoTime() - tg) / 1e9));
            out.println("  greedy: " + greedy);
            long tr = System.nanoTime();
            PlacementResult rl = agent.search(env);
            rows.add(new Row("rl", rl.best(), rl.evaluated().size(), (System.nanoTime() - tr) / 1e9));
            out.println("  rl: " + rl);
            double total = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%-11s %-18s %16s %10s %9s %s%n", "method", "placement", "accuracy", "MACs",
                    "reward", "placements evaluated");
            for (Row row : rows) {
                CompensationPlacement.Outcome o = env.outcome(row.placement());
                out.printf(Locale.ROOT, "%-11s %-18s %7.2f ± %5.2f %% %+9.2f %% %9.4f %d%n", row.name(),
                        o.paths(), 100 * o.accuracy().mean(), 100 * o.accuracy().std(),
                        100 * o.overhead().macFraction(), o.reward(), row.evaluations());
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("placement", o.paths());
                mm.put("accuracy", o.accuracy().mean());
                mm.put("std", o.accuracy().std());
                mm.put("macFraction", o.overhead().macFraction());
                mm.put("parameterFraction", o.overhead().parameterFraction());
                mm.put("reward", o.reward());
                mm.put("placementsEvaluated", row.evaluations());
                mm.put("seconds", row.seconds());
                methods.put(row.name(), mm);
            }
            out.printf(Locale.ROOT, "%d distinct placements trained and evaluated in %.1f s (%d before greedy)%n",
                    env.outcomes().size(), total, before);
            Map<String, Object> test = new LinkedHashMap<>();
            if (testLimit != 0) { // the chosen placements on unseen images: the validation images chose them
                Dataset ts = TrainRun.loadData(ec, DataSets.resolve(dataDir), Split.TEST);
                int n = testLimit < 0 ? ts.size() : Math.min(testLimit, ts.size());
                List<CompensationPlacement.Outcome> onTest = ex.map(job.withEvaluationImages(new DatasetArrays(ts,
                        n)), rows.stream().map(Row::placement).toList(), "test evaluation");
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "test split (%,d images, same "
                        + "chips, each placement's compensation trained again with its seed):", n));
                test.put("images", n);
                for (int i = 0; i < rows.size(); i++) {
                    ChipMonteCarlo.Result a = onTest.get(i).accuracy();
                    line.append(String.format(Locale.ROOT, " %s %.2f ± %.2f %%", rows.get(i).name(),
                            100 * a.mean(), 100 * a.std()));
                    test.put(rows.get(i).name(), Map.of("placement", onTest.get(i).paths(), "accuracy", a.mean(),
                            "std", a.std(), "perChip", a.accuracies()));
                }
                out.println(line);
            }
            if (output.wanted()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("checkpoint", checkpoint.toString());
                doc.put("architecture", arch);
                doc.put("hardware", hw.describe());
                doc.put("sites", sites);
                doc.put("overheadWeight", overheadWeight);
                doc.put("episodes", episodes);
                doc.put("rlBatch", rlBatch);
                doc.put("chips", chips);
                doc.put("seed", seed);
                doc.put("validationImages", valLimit);
                doc.put("methods", methods);
                Map<String, Object> ev = new LinkedHashMap<>();
                env.outcomes().forEach((key, o) -> ev.put(key, Map.of("placement", o.paths(), "accuracy",
                        o.accuracy().mean(), "std", o.accuracy().std(), "macFraction", o.overhead().macFraction(),
                        "reward", o.reward(), "seconds", o.seconds())));
                doc.put("placements", ev);
                if (!test.isEmpty()) {
                    doc.put("test", test);
                }
                doc.put("seconds", total);
                doc.put("provenance", dev.aimc.util.Provenance.collect());
                List<RobustnessReport.Point> trained = env.outcomes().values().stream().map(o -> new RobustnessReport
                        .Point(o.paths().toString(), 100 * o.overhead().macFraction(), o.accuracy().mean(),
                        o.accuracy().std())).toList();
                List<RobustnessReport.Point> chosen = new ArrayList<>();
                for (Row row : rows) {
                    CompensationPlacement.Outcome o = env.outcome(row.placement());
                    chosen.add(new RobustnessReport.Point(row.name() + ": " + o.paths(), 100 * o.overhead()
                            .macFraction(), o.accuracy().mean(), o.accuracy().std()));
                }
                String note = String.format(Locale.ROOT, "%s, %s: %s; %d chips, %,d validation images; reward = "
                        + "accuracy − %s × MAC fraction; %d placements trained and evaluated in %.0f s.", checkpoint,
                        arch, hw.describe(), chips, valLimit, overheadWeight, env.outcomes().size(), total);
                output.write(out, doc, RobustnessReport.placementHtml(arch + ": placement of error "
                        + "compensation", note, trained, chosen));
            }
        }
        out.flush();
        return 0;
    }
}
