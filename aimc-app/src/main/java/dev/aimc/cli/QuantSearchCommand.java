package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.report.CostComponentsFile;
import dev.aimc.report.RobustnessReport;
import dev.aimc.robust.ChipMonteCarlo;
import dev.aimc.robust.QuantizationSearch;
import dev.aimc.robust.RramVariation;
import dev.aimc.runner.CheckpointFiles;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;
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
 * {@code aimc quant-search}: the per-layer quantization search of CorrectNet+ ({@link QuantizationSearch}) on a
 * trained checkpoint: ADC energy per inference against Monte-Carlo accuracy under RRAM variation on held-out training
 * images ({@link ValidationSplit}), with the uniform high-resolution design as the baseline and target.
 */
@Command(name = "quant-search", mixinStandardHelpOptions = true,
        description = {"Per-layer quantization search (CorrectNet+): cell/weight bits and ADC bits per analog layer, "
                + "minimizing ADC energy per inference (cost model, slices summed in analog before one ADC) subject "
                + "to Monte-Carlo accuracy under RRAM variation sigma within --margin of the uniform baseline; "
                + "prints and writes the Pareto front (ADC energy vs accuracy). Validation: the last --val-limit "
                + "images of the training split."})
public final class QuantSearchCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "checkpoint directory") Path checkpoint;
    @Option(names = "--sigma", defaultValue = "0.4", description = "σ of ln(g'/g) of the search (default: "
            + "${DEFAULT-VALUE})") double sigma;
    @Option(names = "--chips", defaultValue = "10", description = "chip instances per candidate, the same for every "
            + "candidate (default: ${DEFAULT-VALUE})") int chips;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the chips (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--val-limit", defaultValue = "1000", description = "validation images, the last N of the "
            + "training split (default: ${DEFAULT-VALUE})") int valLimit;
    @Option(names = "--cell-bits", defaultValue = "2", description = "baseline bits per cell, 1..4 (default: "
            + "${DEFAULT-VALUE})") int cellBits;
    @Option(names = "--weight-bits", defaultValue = "9", description = "baseline bits per weight with sign "
            + "(default: ${DEFAULT-VALUE})") int weightBits;
    @Option(names = "--adc-bits", defaultValue = "8", description = "baseline ADC bits of every layer, ≥ "
            + "--min-adc-bits (default: ${DEFAULT-VALUE})") int adcBits;
    @Option(names = "--min-adc-bits", defaultValue = "3", description = "lowest ADC bits tried (default: "
            + "${DEFAULT-VALUE})") int minAdcBits;
    @Option(names = "--cell-options", split = ",", defaultValue = "2:9,4:5", description = "per-layer cell choices "
            + "CELL_BITS:WEIGHT_BITS (default: ${DEFAULT-VALUE})") List<String> cellOptions;
    @Option(names = "--margin", defaultValue = "0.01", description = "accuracy margin below the baseline, fraction "
            + "(default: ${DEFAULT-VALUE} = one point)") double margin;
    @Option(names = "--max-evaluations", defaultValue = "200", description = "candidate budget (default: "
            + "${DEFAULT-VALUE})") int maxEvaluations;
    @Option(names = "--adc-range", defaultValue = "12", description = "ADC half-range in normalized one-pair output "
            + "units (default: ${DEFAULT-VALUE})") double adcRange;
    @Option(names = "--adc-noise", defaultValue = "0", description = "std of the ADC input noise in normalized one-"
            + "pair output units (default: ${DEFAULT-VALUE})") double adcNoise;
    @Option(names = "--adc-scaling", defaultValue = "walden", description = "ADC energy versus resolution: walden "
            + "(2^b) or thermal (4^b) (default: ${DEFAULT-VALUE})") String adcScaling;
    @Option(names = "--components", description = "component table, YAML or JSON (default: ISAAC, 32 nm)")
    Path components;
    @Option(names = "--test-limit", defaultValue = "-1", description = "after the search, evaluate the baseline and "
            + "the chosen design on the first N test images, same chips (default: ${DEFAULT-VALUE} = all; 0 = skip)")
    int testLimit;
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
        Check.nonNegative("--sigma", sigma);
        Check.range("--chips", chips, 1, 1_000_000);
        Check.range("--test-limit", testLimit, -1, Integer.MAX_VALUE);
        List<QuantizationSearch.CellChoice> cells = new ArrayList<>();
        for (String s : cellOptions) {
            cells.add(QuantizationSearch.CellChoice.parse(s));
        }
        RramVariation base = new RramVariation(sigma, new RramVariation.LayerBits(cellBits, weightBits, adcBits),
                adcRange, adcNoise, Map.of());
        AdcScaling scaling = AdcScaling.parse("--adc-scaling", adcScaling);
        CostComponents comps = components == null ? CostComponentsFile.isaac() : CostComponentsFile.load(components);
        TrainConfig tc = new TrainConfig();
        tc.threads = spark != null && threads == 0 ? 1 : threads; // on a cluster: one thread per task unless told
        TrainRun.setThreads(tc.threadCount());
        try (NDManager m = NDManager.newBaseManager();
                TaskExecutor ex = TaskExecutor.open("--spark", spark, tc.threadCount())) {
            Checkpoint c = Checkpoint.load(checkpoint, m);
            CheckpointFiles files = new CheckpointFiles(checkpoint);
            String arch = c.meta().architecture;
            List<LayerShape> shapes = LayerShape.of(c.model(), Checkpoint.inputShape(c.meta()));
            List<String> layers = shapes.stream().map(LayerShape::name).toList();
            QuantizationSearch.Space space = new QuantizationSearch.Space(layers, cells, minAdcBits, margin,
                    maxEvaluations);
            Check.range("--adc-bits", adcBits, minAdcBits, 24);
            TrainConfig ec = TrainRun.evaluationConfig(c.meta());
            Dataset train = TrainRun.loadData(ec, DataSets.resolve(dataDir), Split.TRAIN).withAugmentation(null);
            Dataset val = ValidationSplit.of(train, valLimit);
            boolean seen = ValidationSplit.seenInTraining(c.meta(), train.size(), valLimit);
            out.printf(Locale.ROOT, "%s: %d analog layers %s; σ=%s, %d chips, %,d validation images (last of the "
                    + "training split%s); baseline %s; margin %.2f points%n", arch, layers.size(), layers, sigma,
                    chips, valLimit, seen ? ", SEEN in training: train with --train-limit ≤ " + (train.size()
                    - valLimit) + " to hold them out" : ", unseen in training", base.bits().describe(), 100 * margin);
            long t0 = System.nanoTime();
            QuantSearchJob job = new QuantSearchJob(files, new DatasetArrays(val), chips, seed);
            QuantizationSearch.Result r = QuantizationSearch.runInBatches(base, space, hw -> {
                NetworkCost nc = hw.cost(shapes, comps, scaling);
                return new double[] {nc.adcEnergyPj(), nc.cells()};
            }, hws -> ex.map(job, hws, "candidate"), out::println);
            double total = (System.nanoTime() - t0) / 1e9;
            double perCandidate = r.evaluated().stream().mapToDouble(QuantizationSearch.Candidate::seconds)
                    .average().orElse(0);
            out.println("Pareto front (ADC energy per inference vs accuracy):");
            for (QuantizationSearch.Candidate f : r.front()) {
                out.printf(Locale.ROOT, "  %8.4g nJ  %6.2f ± %5.2f %%  %s%n", f.adcEnergyPj() / 1e3, 100 * f.mean(),
                        100 * f.accuracy().std(), QuantizationSearch.describeLayers(f.hw(), space));
            }
            double ratio = r.chosen().adcEnergyPj() / r.baseline().adcEnergyPj();
            out.printf(Locale.ROOT, "baseline: %.4g nJ, %.2f %%; chosen: %.4g nJ (%+.1f %%), %.2f %% (%s)%n",
                    r.baseline().adcEnergyPj() / 1e3, 100 * r.target(), r.chosen().adcEnergyPj() / 1e3,
                    100 * (ratio - 1), 100 * r.chosen().mean(),
                    QuantizationSearch.describeLayers(r.chosen().hw(), space));
            out.printf(Locale.ROOT, "%d candidates in %.1f s (%.2f s per candidate: %d chips × %,d images)%n",
                    r.evaluated().size(), total, perCandidate, chips, valLimit);
            Map<String, Object> test = new LinkedHashMap<>();
            if (testLimit != 0) {
                Dataset ts = TrainRun.loadData(ec, DataSets.resolve(dataDir), Split.TEST);
                int n = testLimit < 0 ? ts.size() : Math.min(testLimit, ts.size());
                List<QuantizationSearch.Measured> both = ex.map(new QuantSearchJob(files, new DatasetArrays(ts, n),
                        chips, seed), List.of(r.baseline().hw(), r.chosen().hw()), "test evaluation");
                ChipMonteCarlo.Result tb = both.get(0).accuracy();
                ChipMonteCarlo.Result tc2 = both.get(1).accuracy();
                out.printf(Locale.ROOT, "test split (%,d images, same chips): baseline %.2f ± %.2f %%, chosen %.2f ± "
                        + "%.2f %%%n", n, 100 * tb.mean(), 100 * tb.std(), 100 * tc2.mean(), 100 * tc2.std());
                test.put("images", n);
                test.put("baseline", Map.of("accuracy", tb.mean(), "std", tb.std()));
                test.put("chosen", Map.of("accuracy", tc2.mean(), "std", tc2.std()));
            }
            if (output.wanted()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("checkpoint", checkpoint.toString());
                doc.put("architecture", arch);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("sigma", sigma);
                set.put("chips", chips);
                set.put("seed", seed);
                set.put("validationImages", valLimit);
                set.put("validationSeenInTraining", seen);
                set.put("cellOptions", cells.stream().map(Object::toString).toList());
                set.put("minAdcBits", minAdcBits);
                set.put("margin", margin);
                set.put("maxEvaluations", maxEvaluations);
                set.put("adcRange", adcRange);
                set.put("adcNoise", adcNoise);
                set.put("adcScaling", scaling.name().toLowerCase(Locale.ROOT));
                set.put("components", comps.name());
                set.put("objective", "ADC energy per inference, pJ (power = energy × inference rate)");
                doc.put("settings", set);
                doc.put("baseline", map(r.baseline(), space));
                doc.put("target", r.target());
                doc.put("chosen", map(r.chosen(), space));
                doc.put("adcEnergyRatio", ratio);
                doc.put("test", test);
                doc.put("front", r.front().stream().map(f -> map(f, space)).toList());
                doc.put("evaluated", r.evaluated().stream().map(f -> map(f, space)).toList());
                doc.put("seconds", total);
                doc.put("secondsPerCandidate", perCandidate);
                doc.put("provenance", dev.aimc.util.Provenance.collect());
                String note = String.format(Locale.ROOT, "%s, %s: σ=%s, %d chips (the same for every design), %,d "
                        + "validation images%s; objective ADC energy per inference (%s, %s ADC scaling); floor = "
                        + "baseline − %.2f points; %d designs evaluated in %.0f s.", checkpoint, arch, sigma, chips,
                        valLimit, seen ? " (seen in training)" : " (unseen in training)", comps.name(),
                        scaling.name().toLowerCase(Locale.ROOT), 100 * margin, r.evaluated().size(), total);
                output.write(out, doc, RobustnessReport.quantSearchHtml(arch + ": quantization search, accuracy"
                        + " vs ADC energy", note, points(r.evaluated(), space), points(r.front(), space),
                        point(r.baseline(), space), point(r.chosen(), space), r.target() - margin));
            }
        }
        out.flush();
        return 0;
    }

    private static RobustnessReport.Point point(QuantizationSearch.Candidate c, QuantizationSearch.Space space) {
        return new RobustnessReport.Point(QuantizationSearch.describeLayers(c.hw(), space), c.adcEnergyPj() / 1e3,
                c.mean(), c.accuracy().std());
    }

    private static List<RobustnessReport.Point> points(List<QuantizationSearch.Candidate> cs,
            QuantizationSearch.Space space) {
        return cs.stream().map(c -> point(c, space)).toList();
    }

    private static Map<String, Object> map(QuantizationSearch.Candidate c, QuantizationSearch.Space space) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> layers = new LinkedHashMap<>();
        for (String l : space.layers()) {
            RramVariation.LayerBits b = c.hw().bitsOf(l);
            layers.put(l, Map.of("cellBits", b.cellBits(), "weightBits", b.storedBits(), "slices", b.slices(),
                    "adcBits", b.adcBits()));
        }
        m.put("layers", layers);
        m.put("adcEnergyPj", c.adcEnergyPj());
        m.put("cells", c.cells());
        m.put("accuracy", c.mean());
        m.put("std", c.accuracy().std());
        m.put("chips", c.accuracy().accuracies());
        m.put("seconds", c.seconds());
        return m;
    }
}
