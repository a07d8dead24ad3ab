package dev.aimc.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.compensation.GlobalDriftCompensation;
import dev.aimc.device.PcmModel;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.nn.hwa.HardwareAware;
import dev.aimc.nn.hwa.HwaConfig;
import dev.aimc.onnx.ImportedNetwork;
import dev.aimc.onnx.OnnxCheckpoint;
import dev.aimc.onnx.OnnxExporter;
import dev.aimc.onnx.OnnxImporter;
import dev.aimc.program.Programmers;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.Loss;
import dev.aimc.train.Optimizer;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The workloads of {@code aimc bench}; every one measures analog and digital on the same inputs in the same
 * process, interleaved (see {@link Harness}). CPU, float32, PyTorch intra-op threads as configured.
 *
 * <ul>
 *   <li>W1: LeNet-5 (CIFAR-10 shape, random weights) inference, batch 256; analog = PCM at 1 day, 8-bit
 *       DAC/ADC, output noise, GDC, 512×512 tiles, one read-noise draw per inference time (the default), and the
 *       same with fresh read noise per batch ({@link TileConfig.ReadNoise#PER_BATCH}).</li>
 *   <li>W2: a training step of the same LeNet-5, batch 128, SGD with momentum: hardware-aware (weight-noise
 *       injection, 8-bit STE DAC/ADC, output noise, weight clipping) against digital.</li>
 *   <li>W3: a 2048×2048 analog matrix (16 tiles of 512×512, per-tile ADC) on 1024 inputs against x·Wᵀ; read noise
 *       per time (default) and per batch.</li>
 *   <li>W4: ResNet-32 inference, batch 128, analog (as W1) against digital; read noise per time and per batch.</li>
 *   <li>W5: programming one 512×512 tile (one-shot; program-and-verify and GDP when they exist).</li>
 *   <li>W6: resident set size after n1 and n2 analog batches of W1.</li>
 *   <li>W7: aimc's ResNet-20 against the same architecture imported from ONNX (a PyTorch ResNet-20 for CIFAR-10,
 *       {@code ../shared/models/cifar10-resnet20}, run as a {@link dev.aimc.nn.GraphNetwork}), batch 128, digital
 *       and analog (as W4); the imported network must be within 10 % of the built-in one's time.</li>
 *   <li>W8–W10: variation robustness (CorrectNet+): one Monte-Carlo candidate evaluation against digital, a whole
 *       RL placement search, a whole quantization search ({@link RobustnessWorkloads}).</li>
 * </ul>
 */
public final class Benchmark {
    /** PyTorch eager, 2 threads: digital LeNet-5 images/s at batch 256 (the reference of the brief). */
    public static final double TORCH_LENET_IPS = 33_000;
    /** PyTorch eager, 2 threads: digital ResNet-32 images/s at batch 128. */
    public static final double TORCH_RESNET32_IPS = 1_000;
    /** The digital path must reach this fraction of PyTorch eager. */
    public static final double DIGITAL_FRACTION = 0.70;
    /** Inference time of W1/W4/W6: one day, in seconds. */
    public static final double ONE_DAY_S = 86_400;
    /** Output noise of the analog workloads relative to the ADC range. */
    public static final double OUTPUT_NOISE = 0.04;
    /** ADC range of the analog tiles, normalized output units. */
    public static final double ADC_RANGE = 12;

    private final BenchOptions opt;
    private final PrintWriter log;

    /**
     * A benchmark run with the given options.
     *
     * @param opt quick mode, threads, workloads and seed
     * @param log receives progress lines
     */
    public Benchmark(BenchOptions opt, PrintWriter log) {
        this.opt = opt;
        this.log = log;
    }

    /**
     * The analog tile configuration of W1, W3, W4, W5, W6: the default read noise (one draw per time); output noise
     * {@link #OUTPUT_NOISE}·{@link #ADC_RANGE} in normalized output units (0.48: the same noise as before the tile's
     * output noise took aihwkit's absolute unit).
     *
     * @return the tile configuration
     */
    public static TileConfig tileConfig() {
        return TileConfig.builder().tileSize(512, 512).inputBits(8).outputBits(8).outputRange(ADC_RANGE)
                .outputNoise(OUTPUT_NOISE * ADC_RANGE).build();
    }

    /**
     * {@link #tileConfig()} with fresh read noise for every batch.
     *
     * @return the tile configuration with {@code ReadNoise.PER_BATCH}
     */
    public static TileConfig perBatchTileConfig() {
        return tileConfig().toBuilder().readNoise(TileConfig.ReadNoise.PER_BATCH).build();
    }

    /**
     * The hardware-aware training configuration of W2.
     *
     * @return the HWA settings
     */
    public static HwaConfig hwaConfig() {
        return HwaConfig.defaults().withDac(8, 1.0).withAdc(8, ADC_RANGE).withOutputNoise(OUTPUT_NOISE * ADC_RANGE);
    }

    /**
     * Runs the selected workloads and returns the table rows.
     *
     * @return one row per (workload, variant)
     */
    public List<BenchRow> run() {
        List<BenchRow> rows = new ArrayList<>();
        for (String w : opt.workloads()) {
            long t0 = System.nanoTime();
            log.printf("bench: %s ...%n", w);
            log.flush();
            List<BenchRow> r = switch (w) {
                case "W1" -> w1();
                case "W2" -> w2();
                case "W3" -> w3();
                case "W4" -> w4();
                case "W5" -> w5();
                case "W6" -> w6();
                case "W7" -> w7();
                case "W8" -> RobustnessWorkloads.w8(opt);
                case "W9" -> RobustnessWorkloads.w9(opt);
                case "W10" -> RobustnessWorkloads.w10(opt);
                default -> throw new IllegalArgumentException(w);
            };
            rows.addAll(r);
            log.printf("bench: %s done in %.1f s%n", w, (System.nanoTime() - t0) / 1e9);
        }
        return rows;
    }

    private Harness.Plan plan(int quickReps, int fullReps, int fullWarmup, double fullBudgetS) {
        if (opt.quick()) {
            return new Harness.Plan(1, quickReps, quickReps, Long.MAX_VALUE);
        }
        return new Harness.Plan(fullWarmup, fullReps, Math.min(5, fullReps), (long) (fullBudgetS * 1e9));
    }

    // ------------------------------------------------------------------ W1 / W4: inference

    /** A network built twice from the same seed: digital and (converted, programmed, drifted, GDC) analog. */
    static final class InferencePair implements AutoCloseable {
        final NDManager root;
        final Module digital;
        final AnalogNetwork analog;
        final NDArray x;

        /** @param gdc "none" or "gdc" (dev.aimc.compensation GDC through the periphery, a post-ADC tile scale) */
        InferencePair(String model, int batch, long seed, String gdc) {
            this(model, batch, seed, gdc, tileConfig());
        }

        InferencePair(String model, int batch, long seed, String gdc, TileConfig tiles) {
            this(m -> Models.create(model, m, seed), Models.inputShape(model), batch, seed, gdc, tiles);
        }

        /** @param factory builds the network (twice: digital, and the twin that is converted to analog) */
        InferencePair(java.util.function.Function<NDManager, Module> factory, Shape inputShape, int batch, long seed,
                String gdc, TileConfig tiles) {
            root = NDManager.newBaseManager();
            digital = factory.apply(root);
            Module twin = factory.apply(root);
            analog = AnalogConverter.convert(twin, Set.of(), tiles, PcmModel.defaults());
            analog.program(seed + 1);
            analog.driftTo(ONE_DAY_S);
            if (gdc.equals("gdc")) {
                GlobalDriftCompensation.perTile().apply(analog); // undone when the network is closed
            }
            Rng.seed(seed + 2);
            x = root.randomNormal(new Shape(batch).addAll(inputShape));
        }

        void digitalBatch() {
            try (NDManager b = root.newSubManager()) {
                b.tempAttachAll(x);
                AnalogNetwork.inference(() -> digital.forward(x, false));
            }
        }

        void analogBatch() {
            try (NDManager b = root.newSubManager()) {
                b.tempAttachAll(x);
                analog.forward(x);
            }
        }

        @Override
        public void close() {
            analog.close();
            root.close();
        }
    }

    private static List<BenchRow> pairRows(String w, Stats dig, Stats ana, int perBatch, String unit,
            double torchIps, double target, String what) {
        double dIps = perBatch / (dig.medianNs() / 1e9);
        double aIps = perBatch / (ana.medianNs() / 1e9);
        double ratio = ana.medianNs() / dig.medianNs();
        List<BenchRow> rows = new ArrayList<>();
        if (torchIps > 0) {
            double need = DIGITAL_FRACTION * torchIps;
            rows.add(BenchRow.timed(w, "digital", dig, dIps, unit, dIps / torchIps,
                    String.format(Locale.ROOT, "≥ %.0f %s (70%% of PyTorch %.0f)", need, unit, torchIps), dIps >= need,
                    what + "; ratio column = fraction of PyTorch eager"));
        } else {
            rows.add(BenchRow.timed(w, "digital", dig, dIps, unit, Double.NaN, "", null, what));
        }
        rows.add(BenchRow.timed(w, "analog", ana, aIps, unit, ratio, String.format(Locale.ROOT, "≤ %.2f", target),
                ratio <= target, what + "; ratio = analog/digital median time"));
        return rows;
    }

    List<BenchRow> w1() {
        Harness.Plan plan = plan(5, 60, 10, 40);
        try (InferencePair p = new InferencePair("lenet5", 256, opt.seed(), "gdc");
                InferencePair pb = new InferencePair("lenet5", 256, opt.seed(), "gdc", perBatchTileConfig())) {
            // GDC is a post-ADC tile scale: the integer-units forward folds it into its output multiply
            List<Stats> s = Harness.interleaved(plan, List.of(p::digitalBatch, p::analogBatch, pb::analogBatch));
            List<BenchRow> rows = pairRows("W1", s.get(0), s.get(1), 256, "img/s", TORCH_LENET_IPS, 1.3,
                    "lenet5, batch 256, PCM 1 day, GDC per tile (dev.aimc.compensation, calibrated through the"
                            + " periphery, a post-ADC tile scale)");
            rows.add(perBatchRow("W1", s.get(2), s.get(0), 256, "img/s", 1.3));
            return rows;
        }
    }

    /** The row of an analog variant with fresh read noise per batch, its ratio against the digital run. */
    private static BenchRow perBatchRow(String w, Stats ana, Stats dig, int perBatch, String unit, double target) {
        double ratio = ana.medianNs() / dig.medianNs();
        return BenchRow.timed(w, "analog, read noise per batch", ana, perBatch / (ana.medianNs() / 1e9), unit, ratio,
                String.format(Locale.ROOT, "≤ %.2f", target), ratio <= target,
                "the same analog run with fresh read noise for every batch (TileConfig.ReadNoise.PER_BATCH, the"
                        + " default before 2026-12-06)");
    }

    List<BenchRow> w4() {
        int batch = opt.quick() ? 32 : 128; // quick: batch 32 (smoke run)
        try (InferencePair p = new InferencePair("resnet32", batch, opt.seed(), "none");
                InferencePair pb = new InferencePair("resnet32", batch, opt.seed(), "none", perBatchTileConfig())) {
            List<Stats> s = Harness.interleaved(plan(2, 20, 3, 60), List.of(p::digitalBatch, p::analogBatch,
                    pb::analogBatch));
            List<BenchRow> rows = pairRows("W4", s.get(0), s.get(1), batch, "img/s", TORCH_RESNET32_IPS, 1.3,
                    "resnet32, batch " + batch + ", PCM 1 day, no compensation"
                            + (opt.quick() ? " (quick: batch 32 instead of 128)" : ""));
            rows.add(perBatchRow("W4", s.get(2), s.get(0), batch, "img/s", 1.3));
            return rows;
        }
    }

    // ------------------------------------------------------------------ W7: an imported network

    /** The ONNX file of W7, relative to the shared models folder. */
    public static final String W7_MODEL = "cifar10-resnet20/cifar10-resnet20.onnx";
    /** W7: the imported network's time may exceed the built-in one's by this factor. */
    public static final double IMPORTED_SLOWDOWN = 1.10;

    /**
     * The folder of the shared ONNX models: system property {@code aimc.models}, else environment variable
     * {@code AIMC_MODELS}, else {@code ../shared/models} or {@code ../../shared/models} from the working folder.
     *
     * @return the folder holding {@link #W7_MODEL}, or null when none does
     */
    public static Path sharedModels() {
        List<String> candidates = new ArrayList<>();
        if (System.getProperty("aimc.models") != null) {
            candidates.add(System.getProperty("aimc.models"));
        }
        if (System.getenv("AIMC_MODELS") != null) {
            candidates.add(System.getenv("AIMC_MODELS"));
        }
        candidates.add("../shared/models");
        candidates.add("../../shared/models");
        for (String c : candidates) {
            if (Files.isRegularFile(Path.of(c).resolve(W7_MODEL))) {
                return Path.of(c);
            }
        }
        return null;
    }

    List<BenchRow> w7() {
        Path dir = sharedModels();
        if (dir == null) {
            String why = W7_MODEL + " not found (set AIMC_MODELS or -Daimc.models)";
            return List.of(BenchRow.missing("W7", "imported digital", "", why),
                    BenchRow.missing("W7", "imported analog", "", why));
        }
        ImportedNetwork net = OnnxImporter.read(dir.resolve(W7_MODEL), OnnxImporter.Options.DEFAULTS);
        int batch = opt.quick() ? 32 : 128;
        Shape in = new Shape(net.spec().inputShape());
        ImportedNetwork same = roundTrip("resnet20", opt.seed());
        try (InferencePair b = new InferencePair("resnet20", batch, opt.seed(), "none");
                InferencePair imp = new InferencePair(m -> OnnxCheckpoint.build(net, m, W7_MODEL), in, batch,
                        opt.seed(), "none", tileConfig());
                InferencePair g = new InferencePair(m -> OnnxCheckpoint.build(same, m, "resnet20"), in, batch,
                        opt.seed(), "none", tileConfig())) {
            List<Stats> s = Harness.interleaved(plan(2, 20, 3, 60), List.of(b::digitalBatch, imp::digitalBatch,
                    g::digitalBatch, b::analogBatch, imp::analogBatch, g::analogBatch));
            String what = "batch " + batch + ", PCM 1 day, no compensation" + (opt.quick()
                    ? " (quick: batch 32 instead of 128)" : "");
            String target = String.format(Locale.ROOT, "≤ %.2f", IMPORTED_SLOWDOWN);
            List<BenchRow> rows = new ArrayList<>();
            String[] kinds = {"digital", "analog"};
            for (int k = 0; k < 2; k++) {
                Stats own = s.get(3 * k);
                Stats other = s.get(3 * k + 1);
                Stats graph = s.get(3 * k + 2);
                double ratio = other.medianNs() / own.medianNs();
                double gRatio = graph.medianNs() / own.medianNs();
                rows.add(BenchRow.timed("W7", "resnet20 " + kinds[k], own, batch / (own.medianNs() / 1e9), "img/s",
                        Double.NaN, "", null, "aimc's ResNet-20, " + what));
                rows.add(BenchRow.timed("W7", "imported " + kinds[k], other, batch / (other.medianNs() / 1e9),
                        "img/s", ratio, target, ratio <= IMPORTED_SLOWDOWN, "the PyTorch ResNet-20 imported from "
                                + W7_MODEL + " (graph network; its batch norms folded into the convolutions, 1x1"
                                + " projection shortcuts), " + what + "; ratio = imported/built-in median time"));
                rows.add(BenchRow.timed("W7", "round trip " + kinds[k], graph, batch / (graph.medianNs() / 1e9),
                        "img/s", gRatio, target, gRatio <= IMPORTED_SLOWDOWN, "aimc's ResNet-20 exported to ONNX"
                                + " and imported (graph network, the same operations as the built-in one), " + what
                                + "; ratio = graph/built-in median time"));
            }
            return rows;
        }
    }

    /** Reference network {@code arch} (seeded as {@link InferencePair} builds it) exported to ONNX and read back. */
    private static ImportedNetwork roundTrip(String arch, long seed) {
        try (NDManager m = NDManager.newBaseManager()) {
            dev.aimc.train.CheckpointMeta meta = new dev.aimc.train.CheckpointMeta();
            meta.architecture = arch;
            dev.aimc.train.Checkpoint ck = new dev.aimc.train.Checkpoint(Models.create(arch, m, seed), meta);
            byte[] onnx = OnnxExporter.encode(OnnxExporter.describe(ck), Map.of());
            return OnnxImporter.read(onnx, arch + ".onnx", OnnxImporter.Options.DEFAULTS);
        }
    }

    // ------------------------------------------------------------------ W2: training step

    /** One training setup: model, optimizer, fixed batch, after-step hook. */
    static final class TrainSetup implements AutoCloseable {
        final NDManager root;
        final Module model;
        final Map<String, NDArray> params;
        final Optimizer optimizer;
        final Consumer<Module> afterStep;
        final NDArray x;
        final NDArray y;

        TrainSetup(boolean hwa, int batch, long seed) {
            root = NDManager.newBaseManager();
            Module net = Models.create("lenet5", root, seed);
            if (hwa) {
                HardwareAware.Conversion c = HardwareAware.convert(net, hwaConfig(), Set.of());
                net = c.net();
                afterStep = c.clipHook();
            } else {
                afterStep = m -> { };
            }
            model = net;
            params = model.namedParameters();
            optimizer = new Optimizer.Sgd(root, 0.9, false, 5e-4);
            Rng.seed(seed + 3);
            x = root.randomNormal(new Shape(batch).addAll(Models.inputShape("lenet5")));
            y = root.randomInteger(0, 10, new Shape(batch), DataType.INT64);
        }

        void step() {
            Engine engine = Engine.getInstance();
            try (NDManager b = root.newSubManager()) {
                b.tempAttachAll(x, y);
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray logits = model.forward(x, true);
                    NDArray loss = Loss.softmaxCrossEntropy(logits, y, 0);
                    gc.backward(loss);
                }
                optimizer.step(params, 0.01, b);
                afterStep.accept(model);
            }
        }

        @Override
        public void close() {
            root.close();
        }
    }

    List<BenchRow> w2() {
        int batch = 128;
        try (TrainSetup d = new TrainSetup(false, batch, opt.seed());
                TrainSetup a = new TrainSetup(true, batch, opt.seed())) {
            List<Stats> s = Harness.interleaved(plan(5, 60, 10, 30), List.of(d::step, a::step));
            return pairRows("W2", s.get(0), s.get(1), batch, "img/s", 0, 1.5,
                    "lenet5 training step, batch 128, SGD; HWA: additive noise 3.8%, 8-bit DAC/ADC, clip 2.5σ");
        }
    }

    // ------------------------------------------------------------------ W3: one large matrix

    List<BenchRow> w3() {
        int n = 2048;
        int batch = 1024;
        try (NDManager root = NDManager.newBaseManager()) {
            Rng.seed(opt.seed());
            NDArray w = root.randomNormal(0f, 0.02f, new Shape(n, n), DataType.FLOAT32);
            NDArray x = root.randomNormal(new Shape(batch, n));
            try (AnalogMatrix m = new AnalogMatrix(w, null, tileConfig());
                    AnalogMatrix mb = new AnalogMatrix(w, null, perBatchTileConfig())) {
                m.program(PcmModel.defaults(), RandomStream.of(opt.seed() + 1));
                m.driftTo(ONE_DAY_S);
                mb.program(PcmModel.defaults(), RandomStream.of(opt.seed() + 1));
                mb.driftTo(ONE_DAY_S);
                Runnable digital = () -> {
                    try (NDManager b = root.newSubManager()) {
                        b.tempAttachAll(x);
                        ai.djl.nn.core.Linear.linear(x, w);
                    }
                };
                Runnable analog = () -> {
                    try (NDManager b = root.newSubManager()) {
                        b.tempAttachAll(x);
                        AnalogNetwork.inference(() -> m.forward(x));
                    }
                };
                Runnable analogPerBatch = () -> {
                    try (NDManager b = root.newSubManager()) {
                        b.tempAttachAll(x);
                        AnalogNetwork.inference(() -> mb.forward(x));
                    }
                };
                List<Stats> s = Harness.interleaved(plan(3, 30, 3, 30), List.of(digital, analog, analogPerBatch));
                List<BenchRow> rows = pairRows("W3", s.get(0), s.get(1), batch, "vec/s", 0, 1.2,
                        "2048x2048 on " + m.rowTiles() + "x" + m.colTiles() + " tiles of 512x512, batch 1024");
                rows.add(perBatchRow("W3", s.get(2), s.get(0), batch, "vec/s", 1.2));
                return rows;
            }
        }
    }

    // ------------------------------------------------------------------ W5: programming

    List<BenchRow> w5() {
        List<BenchRow> rows = new ArrayList<>();
        for (String method : List.of("oneshot", "verify", "gdp")) {
            try (NDManager root = NDManager.newBaseManager()) {
                Rng.seed(opt.seed());
                int n = opt.quick() ? 128 : 512; // quick: a 128x128 tile (GDP on 512x512 takes ~10-20 s here)
                NDArray w = root.randomNormal(0f, 0.1f, new Shape(n, n), DataType.FLOAT32);
                try (AnalogMatrix m = new AnalogMatrix(w, null, tileConfig())) {
                    PcmModel pcm = PcmModel.defaults();
                    TileProgrammer p = Programmers.parse("--programming", method);
                    RandomStream chip = RandomStream.of(opt.seed() + 1);
                    Stats s = Harness.single(opt.quick() ? Harness.Plan.of(0, 1) : Harness.Plan.of(1, 3), () -> {
                        m.program(pcm, p, chip);
                        m.driftTo(0);
                    });
                    double sec = s.medianNs() / 1e9;
                    String extra = String.format(Locale.ROOT, ", %.2f pulses/device",
                            p.pulseCounts().meanPerDevice());
                    rows.add(BenchRow.timed("W5", method, s, sec, "s", Double.NaN, "< 10 s", sec < 10,
                            "one " + n + "x" + n + " tile, PCM, dev.aimc.program defaults" + extra
                                    + (opt.quick() ? " (quick: 128x128 instead of 512x512)" : "")));
                }
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ W6: native memory

    List<BenchRow> w6() {
        int n1 = opt.quick() ? 10 : 100;
        int n2 = opt.quick() ? 100 : 10_000;
        try (InferencePair p = new InferencePair("lenet5", 256, opt.seed(), "gdc")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n1; i++) {
                p.analogBatch();
            }
            long rss1 = settledRssKb();
            for (int i = n1; i < n2; i++) {
                p.analogBatch();
            }
            long rss2 = settledRssKb();
            double sec = (System.nanoTime() - t0) / 1e9;
            double growth = (rss2 - rss1) / (double) rss1;
            List<BenchRow> rows = new ArrayList<>();
            String mode = opt.quick() ? " (quick: " + n1 + "/" + n2 + " instead of 100/10000)" : "";
            rows.add(new BenchRow("W6", "RSS after " + n1, Double.NaN, Double.NaN, Double.NaN, n1, rss1 / 1024.0,
                    "MiB", Double.NaN, "", null, "W1 analog batches" + mode));
            rows.add(new BenchRow("W6", "RSS after " + n2, sec * 1e3 / n2, Double.NaN, Double.NaN, n2,
                    rss2 / 1024.0, "MiB", growth, "growth < 5%", growth < 0.05,
                    "ratio = (RSS2 − RSS1)/RSS1; median ms column = mean ms per batch over all " + n2));
            return rows;
        }
    }

    /**
     * VmRSS after a GC (so that collectable Java garbage is not counted) and, with the native kernels, glibc's
     * {@code malloc_trim} (so that pages the allocator keeps free are not counted either: what remains is live
     * memory), in kB; −1 when unavailable.
     */
    static long settledRssKb() {
        System.gc();
        NativeKernels.releaseFreeMemory();
        return rssKb();
    }

    /**
     * VmRSS from /proc/self/status in kB, or −1 when it cannot be read (non-Linux).
     *
     * @return the resident set size in kB, or −1
     */
    public static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
