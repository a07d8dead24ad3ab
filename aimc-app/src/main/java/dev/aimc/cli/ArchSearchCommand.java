package dev.aimc.cli;

import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.CostComponents;
import dev.aimc.cost.CostModel;
import dev.aimc.cost.LayerDesign;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.cost.PairReadout;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.uniform.CellLevels;
import dev.aimc.nn.uniform.ConverterDesign;
import dev.aimc.nn.uniform.DesignSpace;
import dev.aimc.nn.uniform.MlpDesign;
import dev.aimc.nn.uniform.LeNetDesign;
import dev.aimc.nn.uniform.ProxyTraining;
import dev.aimc.nn.uniform.SearchDesign;
import dev.aimc.nn.uniform.UniformTraining;
import dev.aimc.report.ArchSearchReport;
import dev.aimc.report.CostComponentsFile;
import dev.aimc.report.Json;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;
import dev.aimc.search.ParetoEvolution;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import dev.aimc.util.OutputPaths;
import dev.aimc.util.Provenance;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aimc arch-search}: the architecture search of García-Redondo et al. (arXiv 1910.13850) over the hidden
 * widths of a feature MLP ({@code --network mlp}, {@link MlpDesign}) or the channels and hidden widths of LeNet-5 on
 * images ({@code --network lenet5}, {@link LeNetDesign}; ours: the paper searched its MLP only) and the sign mode of
 * every layer (+, −, bipolar) ({@link DesignSpace}), on one uniform analog design of b-bit cells: two objectives,
 * the validation accuracy after a short training ({@link ProxyTraining}) and the area or energy per inference of
 * the cost model ({@link CostModel}, per-tile signs counted tile by tile), searched by {@link ParetoEvolution}. The
 * baseline (the reference widths, every layer bipolar) is evaluated first. The chosen
 * design is the one of least cost whose validation accuracy is within {@code --tolerance} points of the best
 * evaluated. With {@code --final-epochs} the chosen design and the baseline (per-layer tuned converters) are trained
 * in full and written as checkpoints for {@code aimc evaluate}; with {@code --final-one-signed} also the most accurate
 * candidate that has at least one one-signed layer (the searched unipolar design, whether or not it was chosen), so
 * that bipolar and unipolar designs can be compared after full training (the paper's comparison; which unipolar
 * design to train is our rule).
 */
@Command(name = "arch-search", mixinStandardHelpOptions = true,
        description = {"Architecture search over MLP hidden widths (--network mlp) or LeNet-5 channels and widths "
                + "(--network lenet5) and per-layer sign modes (+, -, bipolar) on one "
                + "uniform analog design of --cell-bits cells: validation accuracy after a short training against "
                + "area or energy per inference (cost model); NSGA-II-style evolution, seeded. Writes search.json, "
                + "report.html and the Pareto plots to --out; with --final-epochs also trains the chosen design and "
                + "the all-bipolar baseline (per-layer tuned) in full as checkpoints for aimc evaluate."})
public final class ArchSearchCommand implements Callable<Integer> {
    /** Results file in --out. */
    public static final String JSON = "search.json";
    /** Folder (under --out) of the most accurate candidate with a one-signed layer, trained by --final-one-signed. */
    public static final String ONE_SIGNED = "one-signed";

    /** Default width choices of a LeNet-5 convolution (--conv-widths). */
    static final List<Integer> CONV_WIDTHS = List.of(4, 6, 8, 12, 16, 24, 32);
    /** Default width choices of a LeNet-5 hidden fully connected layer (--fc-widths). */
    static final List<Integer> FC_WIDTHS = List.of(32, 48, 64, 84, 120, 160, 240);
    /** Default width choices of an MLP hidden layer (--widths). */
    static final List<Integer> MLP_WIDTHS = List.of(16, 32, 48, 64, 96, 128, 192, 256);

    @Option(names = "--network", defaultValue = "mlp", description = "the networks searched: mlp (a feature MLP) or "
            + "lenet5 (LeNet-5 on images) (default: ${DEFAULT-VALUE})") String network;
    @Option(names = "--dataset", description = "for mlp a feature data set, har265 (default) or har; for lenet5 an "
            + "image data set, cifar10 (default), mnist, fashion-mnist or mnist-subset") String dataset;
    @Option(names = "--out", required = true, description = "output folder (search.json, report.html, plots, "
            + "checkpoints)") Path out;
    @Option(names = "--overwrite", description = "replace results already in --out") boolean overwrite;
    @Option(names = "--budget", defaultValue = "60", description = "distinct candidates trained and costed, "
            + "the baseline included (default: ${DEFAULT-VALUE})") int budget;
    @Option(names = "--population", defaultValue = "12", description = "candidates kept per generation "
            + "(default: ${DEFAULT-VALUE})") int population;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the search and of every candidate's "
            + "training (default: ${DEFAULT-VALUE})") long seed;
    @Option(names = "--cell-bits", defaultValue = "2", description = "bits per cell of the uniform design, 1..8 "
            + "(default: ${DEFAULT-VALUE})") int cellBits;
    @Option(names = "--hidden-layers", description = "mlp: hidden layers (default: 2)") Integer hiddenLayers;
    @Option(names = "--widths", split = ",", description = "mlp: widths a hidden layer may take (default: "
            + "16,32,48,64,96,128,192,256)") List<Integer> widths;
    @Option(names = "--conv-widths", split = ",", description = "lenet5: channels each convolution may take "
            + "(default: 4,6,8,12,16,24,32)") List<Integer> convWidths;
    @Option(names = "--fc-widths", split = ",", description = "lenet5: widths each hidden fully connected layer may "
            + "take (default: 32,48,64,84,120,160,240)") List<Integer> fcWidths;
    @Option(names = "--sign-modes", split = ",", defaultValue = "+,-,bipolar", description = "sign modes a layer "
            + "may take: +, - and/or bipolar (default: ${DEFAULT-VALUE})") List<String> signModes;
    @Option(names = "--baseline", split = ",", description = "widths of the baseline, every layer bipolar, within "
            + "the searched widths (default: mlp 128,64 as mlp-har265; lenet5 6,16,120,84)") List<Integer> baseline;
    @Option(names = "--objective", defaultValue = "area", description = "cost searched against accuracy: area or "
            + "energy (both are reported) (default: ${DEFAULT-VALUE})") String objective;
    @Option(names = "--tolerance", defaultValue = "1.0", description = "choice rule: the least cost within this "
            + "many points of the best validation accuracy (default: ${DEFAULT-VALUE})") double tolerance;
    @Option(names = "--tile-size", defaultValue = "128", description = "crossbar rows and columns per tile of the "
            + "cost model (default: ${DEFAULT-VALUE})") int tileSize;
    @Option(names = "--components", description = "component table, YAML or JSON (default: ISAAC, 32 nm)")
    Path components;
    @Option(names = "--adc-scaling", defaultValue = "walden", description = "ADC energy and area versus resolution: "
            + "walden or thermal (default: ${DEFAULT-VALUE})") String adcScaling;
    @Option(names = "--pair-readout", defaultValue = "analog", description = "where a differential pair is "
            + "subtracted: analog (before one ADC per column) or digital (both devices converted, subtracted after "
            + "the ADCs: MNSIM's Sub_Position 1) (default: ${DEFAULT-VALUE})") String pairReadout;
    @Option(names = "--dac-bits", defaultValue = "8", description = "DAC bits of the design (default: "
            + "${DEFAULT-VALUE})") int dacBits;
    @Option(names = "--adc-bits", defaultValue = "8", description = "ADC bits of the design (default: "
            + "${DEFAULT-VALUE})") int adcBits;
    @Option(names = "--proxy-fp-epochs", defaultValue = "5", description = "floating-point epochs of the short "
            + "training (default: ${DEFAULT-VALUE})") int proxyFpEpochs;
    @Option(names = "--proxy-qat-epochs", defaultValue = "5", description = "quantization-aware epochs of the "
            + "short training (default: ${DEFAULT-VALUE})") int proxyQatEpochs;
    @Option(names = "--proxy-fp-lr", defaultValue = "0.05", description = "learning rate of the short training's "
            + "floating-point phase (default: ${DEFAULT-VALUE})")
    double proxyFpLr;
    @Option(names = "--proxy-qat-lr", defaultValue = "0.05", description = "learning rate of the short training's "
            + "quantization-aware phase (default: ${DEFAULT-VALUE})")
    double proxyQatLr;
    @Option(names = "--train-limit", defaultValue = "0", description = "short training on the first N training "
            + "images only (those before the validation images; 0 = all); the final training uses all "
            + "(default: ${DEFAULT-VALUE})") int trainLimit;
    @Option(names = "--val-limit", defaultValue = "1500", description = "validation images: the last N of the "
            + "training split, never trained on during the search (default: ${DEFAULT-VALUE})") int valLimit;
    @Option(names = "--final-epochs", defaultValue = "0", description = "after the search, train the chosen design "
            + "and the baseline on the whole training split: this many floating-point epochs (--final-fp-lr), then "
            + "as many quantization-aware epochs (--final-qat-lr), checkpoints in OUT/chosen and OUT/baseline; 0 = "
            + "skip (default: ${DEFAULT-VALUE})") int finalEpochs;
    @Option(names = "--final-one-signed", description = "with --final-epochs, also train the most accurate "
            + "candidate with at least one one-signed layer (+ or -) in full, as OUT/one-signed")
    boolean finalOneSigned;
    @Option(names = "--final-fp-lr", defaultValue = "0.05", description = "learning rate of the final "
            + "floating-point training (cosine schedule) (default: ${DEFAULT-VALUE})") double finalFpLr;
    @Option(names = "--final-qat-lr", defaultValue = "0.05", description = "learning rate of the final "
            + "quantization-aware training (cosine schedule) (default: ${DEFAULT-VALUE})") double finalQatLr;
    @Option(names = "--data-dir", description = "data directory (default: $AIMC_DATA)") String dataDir;
    @Option(names = "--threads", defaultValue = "1", description = "CPU threads (default: ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--spark", paramLabel = "MASTER", description = RunCommand.SPARK_SEARCH_HELP) String spark;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        OutputPaths.folder("--out", out);
        Path json = out.resolve(JSON);
        if (Files.exists(json) && !overwrite) {
            throw new ConfigException("--out " + out + " already holds " + JSON + "; --overwrite replaces it, or "
                    + "choose another --out");
        }
        if (finalOneSigned && finalEpochs == 0) {
            throw new ConfigException("--final-one-signed trains a design in full: it needs --final-epochs N > 0");
        }
        if (finalEpochs > 0 && !overwrite) {
            for (String n : List.of("chosen", "chosen-fp", "baseline", "baseline-fp", ONE_SIGNED,
                    ONE_SIGNED + "-fp")) {
                if (Files.exists(out.resolve(n).resolve(dev.aimc.train.Checkpoint.META))) {
                    throw new ConfigException("--out " + out + " already holds the checkpoint " + n
                            + " that --final-epochs writes; --overwrite replaces it, or choose another --out");
                }
            }
        }
        ParetoEvolution evo = new ParetoEvolution(budget, population, 0.9, seed);
        StringBuilder modes = new StringBuilder();
        for (String s : signModes) {
            modes.append(SearchDesign.parseMode("--sign-modes", s));
        }
        DesignSpace.checkModes(modes.toString());
        boolean cnn = switch (network.strip().toLowerCase(Locale.ROOT)) {
            case "mlp" -> false;
            case "lenet5" -> true;
            default -> throw new ConfigException("--network must be mlp or lenet5, got " + network);
        };
        network = cnn ? "lenet5" : "mlp";
        List<String> fits = cnn ? List.of("cifar10", "mnist", "fashion-mnist", "mnist-subset")
                : List.of("har265", "har");
        dataset = dataset == null ? fits.get(0) : dataset;
        if (!fits.contains(dataset)) {
            throw new ConfigException("--dataset " + dataset + " does not fit --network " + network + ", which takes "
                    + String.join(", ", fits));
        }
        for (Map.Entry<String, Object> o : (cnn ? options("--hidden-layers", hiddenLayers, "--widths", widths)
                : options("--conv-widths", convWidths, "--fc-widths", fcWidths)).entrySet()) {
            if (o.getValue() != null) {
                throw new ConfigException(o.getKey() + " is not an option of --network " + network);
            }
        }
        int layers = hiddenLayers == null ? 2 : Check.range("--hidden-layers", hiddenLayers, 1, 8);
        int[] choices = DesignSpace.choices("--widths", ints(widths == null ? MLP_WIDTHS : widths));
        int[] convChoices = DesignSpace.choices("--conv-widths", ints(convWidths == null ? CONV_WIDTHS : convWidths));
        int[] fcChoices = DesignSpace.choices("--fc-widths", ints(fcWidths == null ? FC_WIDTHS : fcWidths));
        int[] base = ints(baseline != null ? baseline : cnn ? LeNetDesign.LENET5 : List.of(128, 64));
        Check.range("--train-limit", trainLimit, 0, Integer.MAX_VALUE);
        Check.range("--tile-size", tileSize, 1, 1 << 16);
        Check.range("--tolerance", tolerance, 0, 100);
        String obj = objective.strip().toLowerCase(Locale.ROOT);
        if (!obj.equals("area") && !obj.equals("energy")) {
            throw new ConfigException("--objective must be area or energy, got " + objective);
        }
        Check.range("--final-epochs", finalEpochs, 0, 10_000);
        Check.positive("--final-fp-lr", finalFpLr);
        Check.positive("--final-qat-lr", finalQatLr);
        ProxyTraining proxy = new ProxyTraining(proxyFpEpochs, proxyQatEpochs, proxyFpLr, proxyQatLr, cellBits,
                dacBits, adcBits, seed);
        AdcScaling scaling = AdcScaling.parse("--adc-scaling", adcScaling);
        CostComponents comps = components == null ? CostComponentsFile.isaac() : CostComponentsFile.load(components);
        TileConfig tile;
        try {
            tile = TileConfig.builder().tileSize(tileSize, tileSize).build();
        } catch (ConfigException e) {
            throw new ConfigException("--" + e.getMessage());
        }
        PairReadout readout = PairReadout.parse("--pair-readout", pairReadout);
        CostModel model = new CostModel(tile, comps, scaling, readout);
        LayerDesign layerDesign = new LayerDesign(adcBits, dacBits, 8, cellBits, cellBits,
                TileConfig.Mapping.PER_TILE_SIGN, 1, 1);

        Path dataPath = DataSets.resolve(dataDir);
        if (dataPath == null && !dataset.equals("mnist-subset")) {
            throw new ConfigException("--data-dir (or AIMC_DATA) is required for data set " + dataset);
        }
        int t = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        TrainRun.setThreads(t);
        try (TaskExecutor ex = TaskExecutor.open("--spark", spark, t)) {
            Dataset all = DataSets.load(dataPath, dataset, Split.TRAIN);
            int[] shape = all.shape();
            if (cnn ? shape.length != 3 || shape[1] != shape[2] : shape.length != 1) {
                throw new ConfigException("--dataset " + dataset + " has samples of shape "
                        + java.util.Arrays.toString(shape) + "; --network " + network + " needs "
                        + (cnn ? "square images [C, H, H]" : "feature vectors (har265, har)"));
            }
            Dataset val = ValidationSplit.of(all, valLimit);
            Dataset train = ValidationSplit.rest(all, valLimit);
            if (trainLimit > 0 && trainLimit < train.size()) {
                train = train.subset(train.name() + "-limit", java.util.stream.IntStream.range(0, trainLimit)
                        .toArray());
            }
            String m = modes.toString();
            Settings st = new Settings(evo, m, obj, proxy, scaling, comps, readout, model, layerDesign, dataPath);
            if (cnn) { // images smaller than 32 pixels padded to 32 by the first convolution, as lenet5-mnist
                LeNetDesign like = new LeNetDesign(shape[0], shape[1], Math.max(0, (32 - shape[1]) / 2),
                        ints(LeNetDesign.LENET5), all.numClasses(), "00000");
                Map<String, Object> space = new LinkedHashMap<>();
                space.put("convWidths", convChoices);
                space.put("fcWidths", fcChoices);
                return this.<LeNetDesign>search(ex, log, json, st,
                        f -> DesignSpace.lenet(like, convChoices, fcChoices, m, f), base, space, all, val, train);
            }
            int inputs = all.sampleSize();
            int classes = all.numClasses();
            Map<String, Object> space = new LinkedHashMap<>();
            space.put("hiddenLayers", layers);
            space.put("widths", choices);
            return this.<MlpDesign>search(ex, log, json, st,
                    f -> DesignSpace.mlp(inputs, classes, layers, choices, m, f), base, space, all, val, train);
        }
    }

    /** The settings of a search that do not depend on the network searched. */
    private record Settings(ParetoEvolution evo, String modes, String obj, ProxyTraining proxy, AdcScaling scaling,
            CostComponents comps, PairReadout readout, CostModel model, LayerDesign layerDesign, Path dataPath) {}

    private static Map<String, Object> options(String a, Object va, String b, Object vb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(a, va);
        m.put(b, vb);
        return m;
    }

    private static int[] ints(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The search, on data and settings checked and loaded, its candidates trained through {@code ex}: the space
     * made by {@code spaceOf} from the objective, the all-bipolar baseline of widths {@code base} first.
     */
    private <D extends SearchDesign> Integer search(TaskExecutor ex, PrintWriter log, Path json, Settings st,
            Function<Function<D, ParetoEvolution.Score>, DesignSpace<D>> spaceOf, int[] base,
            Map<String, Object> spaceSettings, Dataset all, Dataset val, Dataset train) throws Exception {
        ParetoEvolution evo = st.evo();
        String obj = st.obj();
        ProxyTraining proxy = st.proxy();
        CostComponents comps = st.comps();
        PairReadout readout = st.readout();
        int inputs = all.sampleSize();
        int classes = all.numClasses();
        int[] shape = all.shape();
        String samples = shape.length == 1 ? shape[0] + " features" : java.util.Arrays.stream(shape)
                .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("x")) + " images";
        Map<String, NetworkCost> costs = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, String> diverged = new LinkedHashMap<>();
        ProxyJob job = new ProxyJob(proxy, new DatasetArrays(train), new DatasetArrays(val), dataset);
        Function<List<D>, List<ParetoEvolution.Score>> scores = ds -> {
            List<ProxyJob.Scored> rs = ex.map(job, new ArrayList<SearchDesign>(ds), "design");
            List<ParetoEvolution.Score> out = new ArrayList<>();
            for (int i = 0; i < ds.size(); i++) {
                D d = ds.get(i);
                NetworkCost c = cost(st.model(), st.layerDesign(), d);
                seconds.put(d.label(), rs.get(i).seconds());
                if (rs.get(i).diverged() != null) {
                    diverged.put(d.label(), rs.get(i).diverged());
                }
                costs.put(d.label(), c);
                out.add(new ParetoEvolution.Score(obj.equals("area") ? c.areaUm2() : c.energyPj(),
                        rs.get(i).accuracy()));
            }
            return out;
        };
        DesignSpace<D> space = spaceOf.apply(d -> scores.apply(List.of(d)).get(0));
        space.evaluateWith(scores); // a generation's new designs as one batch
        D baseDesign = space.baseline(base);
        StringBuilder spaceText = new StringBuilder();
        spaceSettings.forEach((k, v) -> spaceText.append(k).append(' ')
                .append(v instanceof int[] a ? java.util.Arrays.toString(a) : v).append(", "));
        log.printf(Locale.ROOT, "arch-search of %s on %s (%s, %d classes): %,d training / %,d validation images "
                + "(the last of the training split); %ssign modes %s: %.0f candidates; budget %d, population %d, "
                + "seed %d; %d-bit cells, %d-bit DAC and ADC, one uniform design; proxy %d + %d epochs; cost on "
                + "%d x %d tiles (%s, pairs subtracted %s), objective %s%n", network, dataset, samples, classes,
                train.size(), val.size(), spaceText, st.modes(), space.size(), budget, population, seed, cellBits,
                dacBits, proxyFpEpochs, proxyQatEpochs, tileSize, tileSize, comps.name(),
                readout.name().toLowerCase(Locale.ROOT), obj);
        log.flush();
        long t0 = System.nanoTime();
        ParetoEvolution.Result<D> r = evo.run(space, List.of(baseDesign), e -> {
            NetworkCost c = costs.get(e.key());
            log.printf(Locale.ROOT, "%3d gen %2d  %-26s val %6.2f %%  area %.4f mm2  energy %.3f nJ  (%.1f s)%s%n",
                    e.index(), e.generation(), e.key(), 100 * e.value(), c.areaUm2() / 1e6, c.energyPj() / 1e3,
                    seconds.get(e.key()), diverged.containsKey(e.key()) ? "  diverged, scored 0: "
                    + diverged.get(e.key()) : "");
            log.flush();
        });
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        List<ParetoEvolution.Evaluated<D>> ev = r.evaluated();
        double best = ev.stream().mapToDouble(ParetoEvolution.Evaluated::value).max().orElse(0);
        ParetoEvolution.Evaluated<D> chosen = ev.stream()
                .filter(e -> e.value() >= best - tolerance / 100 - 1e-12)
                .min(java.util.Comparator.comparingDouble(ParetoEvolution.Evaluated<D>::cost)
                        .thenComparing(e -> -e.value())).orElseThrow();
        ParetoEvolution.Evaluated<D> baseEv = ev.get(0);
        List<ParetoEvolution.Evaluated<D>> areaFront = dev.aimc.search.ParetoFront.of(ev,
                e -> costs.get(e.key()).areaUm2(), ParetoEvolution.Evaluated::value);
        List<ParetoEvolution.Evaluated<D>> energyFront = dev.aimc.search.ParetoFront.of(ev,
                e -> costs.get(e.key()).energyPj(), ParetoEvolution.Evaluated::value);
        log.printf(Locale.ROOT, "searched %d candidates in %d generations, %.0f s%n", ev.size(), r.generations(),
                searchSeconds);
        log.println("Pareto front (" + obj + " vs validation accuracy):");
        for (ParetoEvolution.Evaluated<D> e : r.front()) {
            log.println("  " + describe(e, costs));
        }
        log.printf(Locale.ROOT, "baseline: %s%nchosen (least %s within %.2f points of the best, %.2f %%): %s%n",
                describe(baseEv, costs), obj, tolerance, 100 * best, describe(chosen, costs));
        NetworkCost cb = costs.get(baseEv.key());
        NetworkCost cc = costs.get(chosen.key());
        log.printf(Locale.ROOT, "chosen vs baseline: area %+.1f %%, energy %+.1f %%, cells %+.1f %%, validation "
                + "accuracy %+.2f points%n", pct(cc.areaUm2(), cb.areaUm2()), pct(cc.energyPj(), cb.energyPj()),
                pct(cc.cells(), cb.cells()), 100 * (chosen.value() - baseEv.value()));
        log.flush();

        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("network", network);
        settings.put("dataset", dataset);
        settings.put("features", inputs);
        settings.put("sampleShape", shape);
        settings.put("classes", classes);
        settings.put("trainImages", train.size());
        settings.put("trainLimit", trainLimit);
        settings.put("validationImages", val.size());
        settings.put("budget", budget);
        settings.put("population", population);
        settings.put("seed", seed);
        settings.put("cellBits", cellBits);
        settings.put("dacBits", dacBits);
        settings.put("adcBits", adcBits);
        settings.putAll(spaceSettings);
        settings.put("signModes", st.modes());
        settings.put("objective", obj);
        settings.put("tolerancePoints", tolerance);
        settings.put("tileSize", tileSize);
        settings.put("components", comps.name());
        settings.put("adcScaling", st.scaling().name().toLowerCase(Locale.ROOT));
        settings.put("pairReadout", readout.name().toLowerCase(Locale.ROOT));
        settings.put("proxy", proxy);
        settings.put("choiceRule", "least " + obj + " among the candidates whose validation accuracy is within "
                + tolerance + " points of the best evaluated");
        doc.put("settings", settings);
        doc.put("searchSeconds", searchSeconds);
        doc.put("generations", r.generations());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ParetoEvolution.Evaluated<D> e : ev) {
            Map<String, Object> row = row(e, costs.get(e.key()), seconds.get(e.key()));
            row.put("diverged", diverged.get(e.key()));
            row.put("onFront", r.front().contains(e));
            row.put("onAreaFront", areaFront.contains(e));
            row.put("onEnergyFront", energyFront.contains(e));
            rows.add(row);
        }
        doc.put("candidates", rows);
        doc.put("baseline", baseEv.key());
        doc.put("chosen", chosen.key());
        doc.put("provenance", Provenance.collect());
        ArchSearchReport.Point bp = point(baseEv, costs);
        ArchSearchReport.Point cp = point(chosen, costs);
        List<ArchSearchReport.Point> pts = ev.stream().map(e -> point(e, costs)).toList();
        String what = network + " on " + dataset + " (" + samples + ")";
        Files.createDirectories(out);
        ArchSearchReport.write(out, what, pts, bp, cp, obj, tolerance);
        Json.write(json, doc); // the search's results kept should a final training fail; rewritten with it below
        if (finalEpochs > 0) {
            log.println("wrote " + json.toAbsolutePath() + " (the search; the final trainings follow)");
            Map<String, Object> fin = new LinkedHashMap<>();
            fin.put("chosen", train(chosen.genome(), "chosen", proxy, false, st.dataPath(), all.normalization(),
                    log));
            fin.put("baseline", train(baseEv.genome(), "baseline", proxy, true, st.dataPath(), all.normalization(),
                    log));
            if (finalOneSigned) {
                java.util.Optional<ParetoEvolution.Evaluated<D>> one = mostAccurateOneSigned(ev);
                if (one.isPresent()) {
                    fin.put(ONE_SIGNED, train(one.get().genome(), ONE_SIGNED, proxy, false, st.dataPath(),
                            all.normalization(), log));
                } else {
                    log.println("--final-one-signed: no evaluated candidate has a one-signed layer; none trained");
                }
            }
            doc.put("final", fin);
            Json.write(json, doc);
        }
        log.println("wrote " + json.toAbsolutePath() + ", " + out.resolve(ArchSearchReport.HTML).toAbsolutePath());
        log.flush();
        return 0;
    }

    /**
     * The most accurate evaluated candidate (validation accuracy; the earlier evaluated on a tie) that has at least
     * one one-signed layer.
     *
     * @param ev the evaluated candidates, in evaluation order
     * @return that candidate, or empty when every candidate is all bipolar
     */
    static <D extends SearchDesign> java.util.Optional<ParetoEvolution.Evaluated<D>> mostAccurateOneSigned(
            List<ParetoEvolution.Evaluated<D>> ev) {
        ParetoEvolution.Evaluated<D> best = null;
        for (ParetoEvolution.Evaluated<D> e : ev) {
            boolean oneSigned = e.genome().signs().chars().anyMatch(c -> c == '+' || c == '-');
            if (oneSigned && (best == null || e.value() > best.value())) {
                best = e;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /** The cost of a candidate: every layer on the design, its tiles signed as the candidate's layer. */
    static NetworkCost cost(CostModel model, LayerDesign design, SearchDesign d) {
        List<LayerShape> shapes = d.layerShapes();
        TileConfig t = model.tile();
        return model.cost(shapes, s -> design,
                s -> d.tileSignArray(shapes.indexOf(s), t.maxRows(), t.weightColsPerTile()));
    }

    private static double pct(double a, double b) {
        return 100 * (a / b - 1);
    }

    private static <D extends SearchDesign> String describe(ParetoEvolution.Evaluated<D> e,
            Map<String, NetworkCost> costs) {
        NetworkCost c = costs.get(e.key());
        return String.format(Locale.ROOT, "%-26s val %6.2f %%  area %.4f mm2  energy %.3f nJ  cells %,d", e.key(),
                100 * e.value(), c.areaUm2() / 1e6, c.energyPj() / 1e3, c.cells());
    }

    private static <D extends SearchDesign> ArchSearchReport.Point point(ParetoEvolution.Evaluated<D> e,
            Map<String, NetworkCost> costs) {
        NetworkCost c = costs.get(e.key());
        return new ArchSearchReport.Point(e.key(), c.areaUm2() / 1e6, c.energyPj() / 1e3, 100 * e.value());
    }

    private static <D extends SearchDesign> Map<String, Object> row(ParetoEvolution.Evaluated<D> e, NetworkCost c,
            Double sec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", e.index());
        m.put("generation", e.generation());
        m.put("design", e.key());
        m.put(e.genome() instanceof MlpDesign ? "hidden" : "widths", e.genome().searchedWidths());
        m.put("signs", e.genome().signs());
        m.put("validationAccuracy", e.value());
        m.put("areaUm2", c.areaUm2());
        m.put("arrayAreaUm2", c.arrayAreaUm2());
        m.put("energyPj", c.energyPj());
        m.put("cells", c.cells());
        m.put("tiles", c.tiles());
        m.put("seconds", sec);
        return m;
    }

    /**
     * Trains a design in full: floating point, then uniform (or, for the baseline, per-layer tuned) quantization-
     * aware training with its signs, as checkpoints OUT/NAME-fp and OUT/NAME.
     */
    private Map<String, Object> train(SearchDesign d, String name, ProxyTraining proxy, boolean perLayer, Path data,
            dev.aimc.data.Normalization norm, PrintWriter log) {
        GraphSpec g = d.graph();
        TrainConfig fp = finalConfig(g, norm);
        fp.lr = finalFpLr;
        PrintStream ps = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                log.write(b);
            }
        }, true);
        TrainRun.IfExists mode = overwrite ? TrainRun.IfExists.OVERWRITE : TrainRun.IfExists.REFUSE;
        log.println("final training of " + name + " " + d.label());
        log.flush();
        Path fpDir = out.resolve(name + "-fp");
        TrainRun.Result a = TrainRun.run(fp, fpDir, mode, data, ps, TrainRun.Extras.NONE);
        TrainConfig q = finalConfig(g, norm);
        q.lr = finalQatLr;
        UniformTraining.Options o = proxy.options(d, TileConfig.defaults().maxRows(), TileConfig.defaults().maxCols());
        if (perLayer) {
            o = new UniformTraining.Options(ConverterDesign.PER_LAYER, cellBits, CellLevels.Polarity.BIPOLAR, dacBits,
                    adcBits, null, null, null, 0, o.tileSigns());
        }
        TrainRun.Result b = TrainRun.run(q, out.resolve(name), mode, data, ps,
                new TrainRun.Extras(null, null, fpDir, o));
        ps.flush();
        log.flush();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("design", d.label());
        m.put("converterDesign", o.design().label());
        m.put("floatingPointCheckpoint", fpDir.toString());
        m.put("floatingPointTestAccuracy", a.testAccuracy());
        m.put("checkpoint", out.resolve(name).toString());
        m.put("testAccuracy", b.testAccuracy());
        return m;
    }

    private TrainConfig finalConfig(GraphSpec g, dev.aimc.data.Normalization norm) {
        TrainConfig c = new TrainConfig();
        c.model = GraphSpec.ARCHITECTURE;
        c.dataset = dataset;
        c.epochs = finalEpochs;
        c.seed = seed;
        c.threads = threads;
        c.progress = false;
        c.imported = new TrainConfig.Imported(g, norm);
        return c;
    }
}
