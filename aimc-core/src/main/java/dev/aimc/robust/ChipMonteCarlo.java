package dev.aimc.robust;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.train.Accuracy;
import dev.aimc.util.Check;
import dev.aimc.util.Rng;
import dev.aimc.util.Stats;

/**
 * Monte-Carlo accuracy over chip instances: chip i of a run with seed s is {@code AnalogNetwork.program(Rng.derive(s,
 * i))} (one variation draw per chip; every layer its own stream split from it), read at t = 0, then evaluated on
 * the first {@code n} test samples. The same seed gives the same chips to every network of the same architecture,
 * so plain and regularized networks are compared under the same variation draws.
 */
public final class ChipMonteCarlo {
    private ChipMonteCarlo() {}

    /**
     * The accuracies of the chips and their mean and sample standard deviation.
     *
     * @serial exclude
     */
    public record Result(double[] accuracies, double mean, double std)
            implements java.io.Serializable {
        /**
         * Summarises per-chip accuracies.
         *
         * @param accuracies top-1 accuracy in [0, 1] per chip
         * @return the result with mean and sample std (0 for one chip)
         */
        public static Result of(double[] accuracies) {
            return new Result(accuracies.clone(), Stats.mean(accuracies),
                    accuracies.length < 2 ? 0 : Stats.sampleStd(accuracies));
        }
    }

    /**
     * The chip seed of chip {@code i}.
     *
     * @param seed the run's seed
     * @param i the chip index, ≥ 0
     * @return {@code Rng.derive(seed, i)}
     */
    public static long chipSeed(long seed, int i) {
        return Rng.derive(seed, i);
    }

    /**
     * Programs {@code chips} chip instances of {@code analog} and evaluates each.
     *
     * @param analog the analog network (reprogrammed by this call)
     * @param test the test samples
     * @param n how many samples, from index 0, in [1, test.size()]
     * @param chips chip instances, ≥ 1
     * @param seed the run's seed (chip i: {@link #chipSeed})
     * @param batch samples per forward pass
     * @param manager parent of every temporary (nothing is left in it)
     * @return the accuracies per chip, mean and std
     */
    public static Result accuracy(AnalogNetwork analog, Dataset test, int n, int chips, long seed, int batch,
            NDManager manager) {
        Check.range("--chips", chips, 1, 1_000_000);
        Check.range("--test-limit", n, 1, test.size());
        double[] acc = new double[chips];
        for (int i = 0; i < chips; i++) {
            acc[i] = chipAccuracy(analog, test, n, chipSeed(seed, i), batch, manager);
        }
        return Result.of(acc);
    }

    /**
     * Programs one chip of {@code analog} and evaluates it.
     *
     * @param analog the analog network (reprogrammed by this call)
     * @param test the test samples
     * @param n how many samples, from index 0, in [1, test.size()]
     * @param chipSeed the chip's seed ({@link #chipSeed} of a run's chip)
     * @param batch samples per forward pass
     * @param manager parent of every temporary (nothing is left in it)
     * @return the chip's accuracy
     */
    public static double chipAccuracy(AnalogNetwork analog, Dataset test, int n, long chipSeed, int batch,
            NDManager manager) {
        Check.range("--test-limit", n, 1, test.size());
        analog.program(chipSeed);
        analog.driftTo(0);
        return Accuracy.top1(analog.module(), test, batch, n, manager);
    }

    /**
     * Converts {@code net} to the design {@code hw}, programs {@code chips} chips of it and evaluates each; the
     * network is restored before returning.
     *
     * @param net the digital network
     * @param hw the hardware design and variation level
     * @param test the test (or validation) samples
     * @param n how many samples, from index 0, in [1, test.size()]
     * @param chips chip instances, ≥ 1
     * @param seed the run's seed (chip i: {@link #chipSeed})
     * @param batch samples per forward pass
     * @param manager parent of every temporary (nothing is left in it)
     * @return the accuracies per chip, mean and std
     */
    public static Result accuracy(dev.aimc.nn.Module net, RramVariation hw, Dataset test, int n, int chips, long seed,
            int batch, NDManager manager) {
        try (AnalogNetwork an = hw.convert(net)) {
            return accuracy(an, test, n, chips, seed, batch, manager);
        }
    }
}
