package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.report.RobustnessReport;
import dev.aimc.robust.ChipMonteCarlo;
import dev.aimc.robust.CompensationTrainer;
import dev.aimc.robust.ErrorAmplification;
import dev.aimc.robust.ErrorCompensation;
import dev.aimc.robust.RramVariation;
import dev.aimc.robust.SpectralNorms;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
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
 * {@code aimc variation}: accuracy of trained networks on RRAM crossbars under CorrectNet's log-normal device
 * variation, over chip instances, at several σ; optionally the per-layer spectral norms, the measured error
 * amplification, and learned error compensation after chosen layers ({@link dev.aimc.robust}).
 */
@Command(name = "variation", mixinStandardHelpOptions = true,
        description = {"Accuracy under RRAM log-normal device variation (w' = w·e^θ per device, θ ~ N(0, σ²), one "
                + "draw per chip) over chip instances, for one or more checkpoints (e.g. plain vs Lipschitz-"
                + "regularized); bit-sliced b-bit cells, per-layer ADC bits, ADC noise; optional spectral norms, "
                + "error amplification per layer and learned error compensation (CorrectNet)."})
public final class VariationCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, split = ",", description = "checkpoint directory (repeatable "
            + "or comma-separated; all of one architecture are compared on the same chips)") List<Path> checkpoints;
    @Option(names = "--sigma", split = ",", defaultValue = "0,0.2,0.4,0.6", description = "σ of ln(g'/g), comma-"
            + "separated (default: ${DEFAULT-VALUE})") List<Double> sigmas;
    @Option(names = "--chips", defaultValue = "5", description = "chip instances per σ (default: ${DEFAULT-VALUE})")
    int chips;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the chips (chip i: derive(seed, i)) and of "
            + "the compensation (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--cell-bits", defaultValue = "2", description = "bits per RRAM cell, 1..4 (default: "
            + "${DEFAULT-VALUE})") int cellBits;
    @Option(names = "--weight-bits", defaultValue = "9", description = "bits per weight with sign, bit-sliced over "
            + "ceil((bits-1)/cell-bits) cell pairs (default: ${DEFAULT-VALUE})") int weightBits;
    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC bits of every layer (default: "
            + "${DEFAULT-VALUE})") int adcBits;
    @Option(names = "--adc-range", defaultValue = "12", description = "ADC half-range in normalized one-pair output "
            + "units (default: ${DEFAULT-VALUE})") double adcRange;
    @Option(names = "--adc-noise", defaultValue = "0", description = "std of the ADC input noise in normalized one-"
            + "pair output units (default: ${DEFAULT-VALUE})") double adcNoise;
    @Option(names = "--layer-adc-bits", description = "per-layer ADC bits PATH=BITS, repeatable") Map<String, Integer>
            layerAdcBits = new LinkedHashMap<>();
    @Option(names = "--test-limit", defaultValue = "0", description = "evaluate the first N test samples (default: "
            + "${DEFAULT-VALUE} = all)") int testLimit;
    @Option(names = "--spectral", description = "print the per-layer spectral norms (power iteration)")
    boolean spectral;
    @Option(names = "--amplification", description = "print the relative feature error at each analog layer for "
            + "every σ > 0 (same chips for every checkpoint)") boolean amplification;
    @Option(names = "--amp-limit", defaultValue = "500", description = "test samples for --amplification (default: "
            + "${DEFAULT-VALUE})") int ampLimit;
    @Option(names = "--compensate", split = ",", description = "train error compensation after these layers (dotted"
            + " paths) for every checkpoint, backbone frozen, and evaluate it too") List<String> compensate;
    @picocli.CommandLine.Mixin CompensationOptions compOptions = new CompensationOptions();
    @Option(names = "--comp-sigma", description = "σ the compensation is trained at (default: the largest --sigma)")
    Double compSigma;
    @Option(names = "--comp-per-sigma", description = "train one compensation for every --sigma, at that σ, and "
            + "evaluate each at its own σ (CorrectNet compensates for the variation level at hand), instead of one "
            + "trained at --comp-sigma for all") boolean compPerSigma;
    @Option(names = "--comp-per-chip", description = "diagnostic (not CorrectNet's method): at every --sigma, train "
            + "one compensation on each evaluation chip alone and evaluate it on that chip (a per-chip calibration: "
            + "what the compensation can restore without the chip-to-chip spread), instead of one trained over fresh "
            + "chips") boolean compPerChip;
    @Option(names = "--comp-train-limit", defaultValue = "0", description = "train the compensation on the first N "
            + "training samples (default: ${DEFAULT-VALUE} = all)") int compTrainLimit;
    @picocli.CommandLine.Mixin RobustReportOptions output = new RobustReportOptions();
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: ${DEFAULT-VALUE} = all "
            + "cores)") int threads;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        output.refuseExisting();
        if (sigmas.isEmpty()) {
            throw new ConfigException("--sigma must list at least one value");
        }
        for (double s : sigmas) {
            Check.nonNegative("--sigma", s);
        }
        Check.range("--amp-limit", ampLimit, 1, Integer.MAX_VALUE);
        Check.range("--chips", chips, 1, 1_000_000);
        Check.range("--test-limit", testLimit, 0, Integer.MAX_VALUE);
        double sigmaMax = sigmas.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        RramVariation hw = new RramVariation(sigmaMax, new RramVariation.LayerBits(cellBits, weightBits, adcBits),
                adcRange, adcNoise, Map.of()).withLayerAdcBits(layerAdcBits);
        CompensationTrainer.Settings cs = compensate == null ? null
                : compOptions.settings(seed, compTrainLimit);
        if (compSigma != null) {
            Check.nonNegative("--comp-sigma", compSigma);
        }
        if (compPerSigma && (compensate == null || compSigma != null)) {
            throw new ConfigException("--comp-per-sigma trains the --compensate layers at every --sigma: it needs "
                    + "--compensate and excludes --comp-sigma");
        }
        if (compPerChip && (compensate == null || compSigma != null || compPerSigma)) {
            throw new ConfigException("--comp-per-chip trains the --compensate layers on every chip at every --sigma: "
                    + "it needs --compensate and excludes --comp-sigma and --comp-per-sigma");
        }
        TrainConfig tc = new TrainConfig();
        tc.threads = threads;
        TrainRun.setThreads(tc.threadCount());
        double shownSigma = compensate == null || compPerSigma || compPerChip ? 0
                : compSigma == null ? sigmaMax : compSigma;
        out.println("hardware: " + hw.withSigma(shownSigma).describe().replaceFirst("^σ=[^,]*, ", "") + "; " + chips
                + " chips per σ, seed " + seed);
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Map<Double, ChipMonteCarlo.Result>> table = new LinkedHashMap<>();
        String arch = null;
        int classes = 0;
        for (Path ck : checkpoints) {
            try (NDManager m = NDManager.newBaseManager()) {
                Checkpoint c = Checkpoint.load(ck, m);
                if (arch != null && !arch.equals(c.meta().architecture)) {
                    throw new ConfigException("--checkpoint " + ck + " holds " + c.meta().architecture + ", the first "
                            + "one " + arch + "; compare networks of one architecture");
                }
                arch = c.meta().architecture;
                hw.convert(c.model()).close(); // per-layer paths checked before any work
                ErrorCompensation.Overhead overhead = null;
                if (compensate != null) { // checks the paths and the rank before any work; the overhead is structural
                    try (ErrorCompensation comp = ErrorCompensation.create(c.model(), compensate, compOptions.rank,
                            seed, m)) {
                        overhead = comp.overhead(c.model(), Checkpoint.inputShape(c.meta()));
                    }
                }
                TrainConfig ec = TrainRun.evaluationConfig(c.meta());
                Path dd = DataSets.resolve(dataDir);
                Dataset test = TrainRun.loadData(ec, dd, Split.TEST);
                int n = testLimit > 0 ? Math.min(testLimit, test.size()) : test.size();
                classes = test.numClasses();
                String name = ck.getFileName() == null ? ck.toString() : ck.getFileName().toString();
                double beta = c.meta().training == null ? 0 : c.meta().training.lipschitzBeta;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("checkpoint", ck.toString());
                r.put("lipschitzBeta", beta);
                r.put("digitalAccuracy", dev.aimc.train.Accuracy.top1(c.model(), test, 500, n, m));
                out.printf(Locale.ROOT, "%s (%s, Lipschitz beta %s): digital accuracy %.2f %% on %,d test "
                        + "samples%n", name, arch, beta, 100 * (double) r.get("digitalAccuracy"), n);
                if (spectral) {
                    Map<String, Double> norms = SpectralNorms.of(c.model(), SpectralNorms.DEFAULT_ITERATIONS, seed);
                    r.put("spectralNorms", norms);
                    out.println("  spectral norms: " + SpectralNorms.format(norms));
                }
                Map<Double, ChipMonteCarlo.Result> acc = new LinkedHashMap<>();
                Map<String, Object> accJson = new LinkedHashMap<>();
                for (double s : sigmas) {
                    try (AnalogNetwork an = hw.withSigma(s).convert(c.model())) {
                        ChipMonteCarlo.Result res = ChipMonteCarlo.accuracy(an, test, n, chips, seed, 500, m);
                        acc.put(s, res);
                        accJson.put(Double.toString(s), map(res));
                    }
                    if (amplification && s > 0) {
                        ErrorAmplification.Result a = ErrorAmplification.measure(c.model(), hw.withSigma(s), test,
                                Math.min(ampLimit, n), chips, seed, 250);
                        r.computeIfAbsent("amplification", k -> new LinkedHashMap<String, Object>());
                        @SuppressWarnings("unchecked")
                        Map<String, Object> am = (Map<String, Object>) r.get("amplification");
                        am.put(Double.toString(s), Map.of("mean", a.mean(), "std", a.std()));
                        out.printf(Locale.ROOT, "  relative feature error at σ=%s: %s%n", s, a.format());
                    }
                }
                r.put("accuracy", accJson);
                table.put(name, acc);
                if (compensate != null) {
                    Dataset train = TrainRun.loadData(ec, dd, Split.TRAIN).withAugmentation(null);
                    Map<Double, ChipMonteCarlo.Result> cacc = new LinkedHashMap<>();
                    Map<String, Object> cJson = new LinkedHashMap<>();
                    Map<String, Object> cj = new LinkedHashMap<>();
                    cj.put("paths", compensate);
                    cj.put("rank", compOptions.rank);
                    cj.put("training", Map.of("epochs", cs.epochs(), "batch", cs.batch(), "lr", cs.lr(),
                            "trainLimit", cs.limit(), "valLimit", cs.valSamples(), "valChips",
                            compPerChip ? 1 : cs.valChips())); // per chip: selection on the chip itself
                    List<List<Double>> groups = new ArrayList<>(); // [train σ, the σ evaluated with it...]
                    if (compPerChip) {
                        cj.put("trainSigma", "each evaluated σ, on each evaluation chip alone");
                        for (double sg : sigmas) {
                            ChipMonteCarlo.Result res = perChip(c.model(), hw.withSigma(sg), train, test, n, cs, m);
                            out.printf(Locale.ROOT, "  compensation after %s trained on each chip at σ=%s: %.2f ± "
                                    + "%.2f %%%n", compensate, sg, 100 * res.mean(), 100 * res.std());
                            cacc.put(sg, res);
                            cJson.put(Double.toString(sg), map(res));
                        }
                    } else if (compPerSigma) {
                        sigmas.forEach(sg -> groups.add(List.of(sg, sg)));
                        cj.put("trainSigma", "each evaluated σ");
                    } else {
                        List<Double> g = new ArrayList<>();
                        g.add(compSigma == null ? sigmaMax : compSigma);
                        g.addAll(sigmas);
                        groups.add(g);
                        cj.put("trainSigma", g.get(0));
                    }
                    for (List<Double> g : groups) {
                        double trainSigma = g.get(0);
                        try (ErrorCompensation comp = ErrorCompensation.create(c.model(), compensate,
                                compOptions.rank, seed, m)) {
                            long t0 = System.nanoTime();
                            CompensationTrainer.Result tr = CompensationTrainer.train(c.model(),
                                    hw.withSigma(trainSigma), comp, train, cs, line -> out.println("  " + line));
                            if (cs.valSamples() > 0) {
                                Map<String, Object> sel = new LinkedHashMap<>();
                                sel.put("trainSigma", trainSigma);
                                sel.put("keptEpoch", tr.keptEpoch());
                                sel.put("validationAccuracy", tr.validationAccuracy());
                                @SuppressWarnings("unchecked")
                                List<Object> l = (List<Object>) cj.computeIfAbsent("selection",
                                        k -> new ArrayList<Object>());
                                l.add(sel);
                            }
                            out.printf(Locale.ROOT, "  compensation after %s trained at σ=%s in %.1f s: %s%n",
                                    compensate, trainSigma, (System.nanoTime() - t0) / 1e9, overhead.format());
                            for (double sg : g.subList(1, g.size())) {
                                try (AnalogNetwork an = hw.withSigma(sg).convert(c.model())) {
                                    ChipMonteCarlo.Result res = comp.installedDuring(c.model(),
                                            () -> ChipMonteCarlo.accuracy(an, test, n, chips, seed, 500, m));
                                    cacc.put(sg, res);
                                    cJson.put(Double.toString(sg), map(res));
                                }
                            }
                        }
                    }
                    cj.put("overhead", Map.of("parameters", overhead.parameters(), "backboneParameters",
                            overhead.backboneParameters(), "macs", overhead.macs(), "backboneMacs",
                            overhead.backboneMacs()));
                    table.put(name + (compPerChip ? " + comp on chip" : " + comp"), cacc);
                    cj.put("accuracy", cJson);
                    r.put("compensation", cj);
                }
                results.add(r);
            }
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s", "σ"));
        table.keySet().forEach(k -> head.append(String.format(Locale.ROOT, " | %24s", k)));
        out.println(head);
        for (double s : sigmas) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6s", s));
            table.values().forEach(a -> row.append(String.format(Locale.ROOT, " | %15.2f ± %5.2f %%",
                    100 * a.get(s).mean(), 100 * a.get(s).std())));
            out.println(row);
        }
        if (output.wanted()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("cellBits", hw.bits().cellBits());
            h.put("weightBits", hw.bits().storedBits());
            h.put("slices", hw.bits().slices());
            h.put("adcBits", hw.bits().adcBits());
            Map<String, Object> layers = new LinkedHashMap<>();
            hw.layers().forEach((p, b) -> layers.put(p, Map.of("cellBits", b.cellBits(), "weightBits",
                    b.storedBits(), "adcBits", b.adcBits())));
            h.put("layers", layers);
            h.put("adcRange", hw.adcRange());
            h.put("adcNoise", hw.adcNoise());
            doc.put("hardware", h);
            doc.put("sigmas", sigmas);
            doc.put("chips", chips);
            doc.put("seed", seed);
            doc.put("results", results);
            doc.put("provenance", dev.aimc.util.Provenance.collect());
            output.write(out, doc, report(arch, hw, table, classes));
        }
        out.flush();
        return 0;
    }

    /** The HTML report: accuracy versus σ per network (and compensated network), the chips' spread as error bars. */
    private String report(String arch, RramVariation hw, Map<String, Map<Double, ChipMonteCarlo.Result>> table, int classes) {
        double[] sig = sigmas.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
        List<RobustnessReport.Curve> curves = new ArrayList<>();
        table.forEach((name, acc) -> {
            double[] mean = new double[sig.length];
            double[] std = new double[sig.length];
            for (int i = 0; i < sig.length; i++) {
                mean[i] = acc.get(sig[i]).mean();
                std[i] = acc.get(sig[i]).std();
            }
            curves.add(new RobustnessReport.Curve(name, !RobustnessReport.network(name).equals(name), sig, mean, std));
        });
        String note = String.format(Locale.ROOT, "%s; RRAM log-normal variation %s; %d chips per σ (seed %d, the "
                + "same chips for every network)%s. Error bars: ± one sample std over the chips.", arch,
                hw.describe().replaceFirst("^σ=[^,]*, ", ""), chips,
                seed, compensate == null ? "" : "; + comp: error compensation after " + compensate
                        + (compPerSigma ? " trained at each σ" : " trained at σ="
                        + (compSigma == null ? sig[sig.length - 1] : compSigma)));
        return RobustnessReport.variationHtml(arch + ": accuracy under RRAM variation", note, curves,
                classes > 0 ? 1.0 / classes : Double.NaN);
    }

    /**
     * For every evaluation chip i: a compensation trained on chip i alone ({@link CompensationTrainer#trainOnChip},
     * selection over that one chip), evaluated on chip i.
     */
    private ChipMonteCarlo.Result perChip(dev.aimc.nn.Module net, RramVariation hwAtSigma, Dataset train,
            Dataset test, int n, CompensationTrainer.Settings cs, NDManager m) {
        CompensationTrainer.Settings one = new CompensationTrainer.Settings(cs.epochs(), cs.batch(), cs.lr(),
                cs.seed(), cs.limit(), cs.valSamples(), 1);
        double[] acc = new double[chips];
        for (int i = 0; i < chips; i++) {
            long chip = ChipMonteCarlo.chipSeed(seed, i);
            try (ErrorCompensation comp = ErrorCompensation.create(net, compensate, compOptions.rank, seed, m)) {
                CompensationTrainer.trainOnChip(net, hwAtSigma, comp, train, one, chip, null);
                try (AnalogNetwork an = hwAtSigma.convert(net)) {
                    acc[i] = comp.installedDuring(net, () -> ChipMonteCarlo.chipAccuracy(an, test, n, chip, 500, m));
                }
            }
        }
        return ChipMonteCarlo.Result.of(acc);
    }

    private static Map<String, Object> map(ChipMonteCarlo.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", r.mean());
        m.put("std", r.std());
        m.put("chips", r.accuracies());
        return m;
    }
}
