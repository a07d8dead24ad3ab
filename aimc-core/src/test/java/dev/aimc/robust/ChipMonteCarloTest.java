package dev.aimc.robust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import org.junit.jupiter.api.Test;

/** Monte-Carlo over chips and the measured error amplification are seeded; σ = 0 is the same on every chip. */
class ChipMonteCarloTest {

    @Test
    void chipsAreSeededAndSigmaZeroIsOneChip() {
        Dataset d = DataSets.load(null, "mnist-subset", Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 2);
            try (AnalogNetwork an = RramVariation.of(0, 2, 9).convert(net)) {
                ChipMonteCarlo.Result r = ChipMonteCarlo.accuracy(an, d, 50, 3, 7, 50, m);
                assertEquals(0, r.std(), 0, "σ = 0: every chip alike");
            }
            try (AnalogNetwork an = RramVariation.of(0.5, 2, 9).convert(net)) {
                ChipMonteCarlo.Result a = ChipMonteCarlo.accuracy(an, d, 100, 2, 7, 100, m);
                ChipMonteCarlo.Result b = ChipMonteCarlo.accuracy(an, d, 100, 2, 7, 100, m);
                assertArrayEquals(a.accuracies(), b.accuracies(), 0);
            }
        }
    }

    @Test
    void errorAmplificationIsSeededAndGrowsWithSigma() {
        Dataset d = DataSets.load(null, "mnist-subset", Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Models.create("lenet5-mnist", m, 2);
            ErrorAmplification.Result lo = ErrorAmplification.measure(net, RramVariation.of(0.1, 2, 9), d, 64, 2, 5,
                    64);
            ErrorAmplification.Result hi = ErrorAmplification.measure(net, RramVariation.of(0.4, 2, 9), d, 64, 2, 5,
                    64);
            assertEquals(lo, ErrorAmplification.measure(net, RramVariation.of(0.1, 2, 9), d, 64, 2, 5, 64));
            assertEquals(java.util.List.of("0", "3", "7", "9", "11"), java.util.List.copyOf(lo.mean().keySet()));
            lo.mean().forEach((p, e) -> assertTrue(hi.mean().get(p) > e, p + ": " + e + " vs " + hi.mean().get(p)));
            assertTrue(net.module("0") instanceof dev.aimc.nn.Conv2d, "network restored");
        }
    }
}
