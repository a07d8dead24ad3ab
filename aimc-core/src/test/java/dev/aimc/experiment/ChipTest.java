package dev.aimc.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.Schemes;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.Module;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.Measurement;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chip (one programming repeat) run on its own, on a freshly built copy of the network, in any order, gives
 * bit-identical measurements to the same repeat inside the sequential run: what makes chips the independent tasks
 * of a cluster job ({@link InferenceExperiment.Chips}).
 */
class ChipTest {
    private static InferenceExperiment.Config config() {
        return InferenceExperiment.Config.builder().times(List.of(1.0, 31_536_000.0)).repeats(3).seed(11)
                .testLimit(80).batchSize(50).tile(TileConfig.builder().tileSize(64, 64).outputNoise(0.04).build())
                .compensations(Schemes.parse(List.of("none", "gdc", "ratio"))).build();
    }

    @Test
    void aChipAloneOnAFreshNetworkEqualsItsRepeatInTheSequentialRun() {
        InferenceExperiment.Config cfg = config();
        Dataset test = DataSets.load(null, "mnist-subset", Split.TEST);
        EvaluationResult whole;
        try (NDManager m = NDManager.newBaseManager()) {
            whole = InferenceExperiment.run("t", Models.create("lenet5-mnist", m, 5), test, null, cfg, null,
                    InferenceExperiment.Progress.NONE, m);
        }
        List<Measurement> byChip = new ArrayList<>();
        for (int rep : new int[] {2, 0, 1}) { // out of order, each on a network of its own
            try (NDManager m = NDManager.newBaseManager()) {
                Module net = Models.create("lenet5-mnist", m, 5);
                InferenceExperiment.Chip c = InferenceExperiment.chip(net, test, null, cfg, rep, m);
                assertEquals(rep, c.repeat());
                assertEquals(Rng.derive(11, rep), c.seed());
                assertEquals(6, c.passes());
                byChip.addAll(rep == 2 ? 0 : byChip.size(), c.measurements());
            }
        }
        List<Measurement> sorted = new ArrayList<>(byChip);
        sorted.sort(java.util.Comparator.comparingInt(Measurement::repeat));
        assertEquals(whole.measurements(), sorted);
        // not a trivial equality: the chips differ from each other (programming noise)
        assertTrue(sorted.stream().filter(x -> x.variant().equals("none") && x.timeSeconds() == 1.0)
                .mapToDouble(Measurement::accuracy).distinct().count() > 1, sorted.toString());
    }

    @Test
    void aChipsRunnerGetsEveryRepeatAndItsOrderIsChecked() {
        InferenceExperiment.Config cfg = config();
        Dataset test = DataSets.load(null, "mnist-subset", Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            EvaluationResult reversed = InferenceExperiment.run("t", Models.create("lenet5-mnist", m, 5), test, null,
                    cfg, null, InferenceExperiment.Progress.NONE, m, (repeats, local, progress) -> {
                        List<InferenceExperiment.Chip> out = new ArrayList<>();
                        for (int r = repeats - 1; r >= 0; r--) {
                            out.add(0, local.apply(r));
                        }
                        return out;
                    });
            EvaluationResult plain = InferenceExperiment.run("t", Models.create("lenet5-mnist", m, 5), test, null,
                    cfg, null, InferenceExperiment.Progress.NONE, m);
            assertEquals(plain.measurements(), reversed.measurements());
            assertEquals(plain.summaries(), reversed.summaries());
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> InferenceExperiment.run("t", Models.create("lenet5-mnist", m, 5), test, null, cfg, null,
                            InferenceExperiment.Progress.NONE, m, (repeats, local, progress) -> List.of(
                                    local.apply(1), local.apply(0), local.apply(2))));
            assertTrue(e.getMessage().contains("chip 1 in place of repeat 0"), e.getMessage());
        }
    }
}
