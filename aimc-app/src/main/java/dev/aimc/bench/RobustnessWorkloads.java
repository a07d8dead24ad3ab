package dev.aimc.bench;

import ai.djl.ndarray.NDManager;
import dev.aimc.cost.AdcScaling;
import dev.aimc.cost.LayerShape;
import dev.aimc.cost.NetworkCost;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.report.CostComponentsFile;
import dev.aimc.robust.ChipMonteCarlo;
import dev.aimc.robust.CompensationPlacement;
import dev.aimc.robust.CompensationTrainer;
import dev.aimc.robust.QuantizationSearch;
import dev.aimc.robust.RramVariation;
import dev.aimc.search.PlacementResult;
import dev.aimc.search.ReinforcePlacement;
import dev.aimc.train.Accuracy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The variation-robustness workloads of {@code aimc bench} (CorrectNet+, issue 15), on LeNet-5 for MNIST with
 * seeded random weights (the time does not depend on the weights' values; a trained network changes which placements
 * the RL agent visits, so W9's count of trained placements is reported beside its time) and the embedded MNIST
 * subset (always present): validation images are the first N test images, compensation training images the first
 * N training images.
 *
 * <ul>
 *   <li>W8: one candidate evaluation of the searches: 10 chips × 1,000 images, RRAM log-normal variation σ = 0.4,
 *       2-bit cells × 4 slices, 8-bit ADCs ({@link ChipMonteCarlo}: convert, then per chip program and evaluate),
 *       against the digital network on the same 10 × 1,000 images, interleaved.</li>
 *   <li>W9: a whole RL placement search ({@link ReinforcePlacement}, 40 episodes over the 5 layers) on a fresh
 *       {@link CompensationPlacement} (σ = 0.8, 10 chips, 1,000 validation images, every placement's compensation
 *       trained on 2,000 images for one epoch): the command's settings of the small run.</li>
 *   <li>W10: a whole quantization search ({@link QuantizationSearch}: greedy ADC-bit descent, cells 2:9 or 4:5, ADC
 *       3–8 bits, 50 candidates, each a W8 evaluation).</li>
 * </ul>
 * W9 and W10 have no digital counterpart (their unit of work is W8's analog evaluation); they are timed once.
 */
final class RobustnessWorkloads {
    private RobustnessWorkloads() {}

    /** The network of W8–W10. */
    static final String MODEL = "lenet5-mnist";

    /** Sizes of a run: full, or the quick smoke run. */
    private record Sizes(int chips, int images, int episodes, int compImages, int candidates) {
        static Sizes of(boolean quick) {
            return quick ? new Sizes(2, 100, 3, 128, 4) : new Sizes(10, 1000, 40, 2000, 50);
        }

        String describe(boolean quick) {
            return quick ? String.format(Locale.ROOT, " (quick: %d chips, %d images, %d episodes, %d compensation "
                    + "images, %d candidates)", chips, images, episodes, compImages, candidates) : "";
        }
    }

    /** σ of the candidate evaluations of W8 and W10. */
    static final double SEARCH_SIGMA = 0.4;

    static List<BenchRow> w8(BenchOptions opt) {
        Sizes z = Sizes.of(opt.quick());
        Dataset val = DataSets.load("mnist-subset", Split.TEST);
        RramVariation hw = RramVariation.of(SEARCH_SIGMA, 2, 9);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create(MODEL, m, opt.seed());
            Runnable digital = () -> {
                for (int c = 0; c < z.chips(); c++) {
                    Accuracy.top1(net, val, 500, z.images(), m);
                }
            };
            Runnable analog = () -> ChipMonteCarlo.accuracy(net, hw, val, z.images(), z.chips(), opt.seed(), 500, m);
            Harness.Plan plan = opt.quick() ? Harness.Plan.of(0, 1) : new Harness.Plan(1, 10, 3, 60_000_000_000L);
            List<Stats> s = Harness.interleaved(plan, List.of(digital, analog));
            int n = z.chips() * z.images();
            String what = String.format(Locale.ROOT, "%s, %d chips × %,d images (embedded MNIST subset), σ 0.4, "
                    + "2-bit cells × 4 slices, 8-bit ADC%s", MODEL, z.chips(), z.images(), z.describe(opt.quick()));
            double ratio = s.get(1).medianNs() / s.get(0).medianNs();
            List<BenchRow> rows = new ArrayList<>();
            rows.add(BenchRow.timed("W8", "digital, " + z.chips() + " passes", s.get(0),
                    n / (s.get(0).medianNs() / 1e9), "img/s", Double.NaN, "", null, what
                            + "; the digital network on the same images"));
            rows.add(BenchRow.timed("W8", "candidate evaluation", s.get(1), n / (s.get(1).medianNs() / 1e9), "img/s",
                    ratio, "", null, what + "; convert, program every chip, evaluate; ratio = analog/digital"));
            return rows;
        }
    }

    static List<BenchRow> w9(BenchOptions opt) {
        Sizes z = Sizes.of(opt.quick());
        Dataset train = DataSets.load("mnist-subset", Split.TRAIN);
        Dataset val = DataSets.load("mnist-subset", Split.TEST);
        Dataset v = val.subset(val.name() + "-val", range(z.images()));
        RramVariation hw = RramVariation.of(0.8, 2, 9);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create(MODEL, m, opt.seed());
            List<String> sites = LayerShape.of(net, Models.inputShape(MODEL)).stream().map(LayerShape::name).toList();
            CompensationTrainer.Settings cs = new CompensationTrainer.Settings(1, 64, 0.003, opt.seed(), z.compImages());
            CompensationPlacement[] env = new CompensationPlacement[1];
            PlacementResult[] result = new PlacementResult[1];
            Stats s = Harness.single(Harness.Plan.of(0, 1), () -> {
                env[0] = new CompensationPlacement(net, hw, sites, train, cs, 4, v, z.chips(), opt.seed(), 0.1,
                        Models.inputShape(MODEL), m, null);
                result[0] = ReinforcePlacement.of(z.episodes(), opt.seed()).search(env[0]);
            });
            int trained = env[0].outcomes().size();
            double sec = s.medianNs() / 1e9;
            return List.of(BenchRow.timed("W9", "RL placement search", s, sec, "s", Double.NaN, "", null,
                    String.format(Locale.ROOT, "%s, %d sites, REINFORCE %d episodes, σ 0.8, %d chips × %,d images, "
                            + "compensation trained on %,d images for 1 epoch; %d placements trained and evaluated "
                            + "(%.2f s each)%s", MODEL, sites.size(), z.episodes(), z.chips(), z.images(),
                            z.compImages(), trained, sec / trained, z.describe(opt.quick()))));
        }
    }

    static List<BenchRow> w10(BenchOptions opt) {
        Sizes z = Sizes.of(opt.quick());
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create(MODEL, m, opt.seed());
            Dataset val = DataSets.load("mnist-subset", Split.TEST);
            RramVariation base = RramVariation.of(SEARCH_SIGMA, 2, 9);
            List<LayerShape> shapes = LayerShape.of(net, Models.inputShape(MODEL));
            QuantizationSearch.Space space = new QuantizationSearch.Space(shapes.stream().map(LayerShape::name)
                    .toList(), List.of(new QuantizationSearch.CellChoice(2, 9), new QuantizationSearch.CellChoice(4,
                    5)), 3, 0.01, z.candidates());
            var comps = CostComponentsFile.isaac();
            QuantizationSearch.Result[] result = new QuantizationSearch.Result[1];
            Stats s = Harness.single(Harness.Plan.of(0, 1), () -> result[0] = QuantizationSearch.run(base, space,
                    hw -> {
                        NetworkCost nc = hw.cost(shapes, comps, AdcScaling.WALDEN);
                        return new double[] {nc.adcEnergyPj(), nc.cells()};
                    }, hw -> ChipMonteCarlo.accuracy(net, hw, val, z.images(), z.chips(), opt.seed(), 500, m), null));
            int n = result[0].evaluated().size();
            double sec = s.medianNs() / 1e9;
            return List.of(BenchRow.timed("W10", "quantization search", s, sec, "s", Double.NaN, "", null,
                    String.format(Locale.ROOT, "%s, greedy ADC-bit descent, cells 2:9/4:5, ADC 3-8 bits, %d "
                            + "candidates of %d chips × %,d images (%.2f s each)%s", MODEL, n, z.chips(), z.images(),
                            sec / n, z.describe(opt.quick()))));
        }
    }

    private static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
