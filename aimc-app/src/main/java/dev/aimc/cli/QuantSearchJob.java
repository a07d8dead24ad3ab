package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.robust.ChipMonteCarlo;
import dev.aimc.robust.QuantizationSearch;
import dev.aimc.robust.RramVariation;
import dev.aimc.runner.CheckpointFiles;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;

/**
 * A candidate of {@code aimc quant-search} as a task ({@link TaskExecutor}): a design's Monte-Carlo accuracy on the
 * images the job carries, over the same chips for every design ({@link ChipMonteCarlo#accuracy(dev.aimc.nn.Module,
 * RramVariation, Dataset, int, int, long, int, NDManager)}, chip i with seed {@code Rng.derive(seed, i)}). Each task
 * loads the checkpoint into its own manager, so tasks may run side by side.
 */
final class QuantSearchJob implements TaskExecutor.Job<RramVariation, QuantizationSearch.Measured> {
    private static final long serialVersionUID = 1L;
    /** Samples per forward pass, as the search has always used. */
    static final int BATCH = 500;
    private final CheckpointFiles checkpoint;
    private final DatasetArrays images;
    private final int chips;
    private final long seed;

    /**
     * The job of one search.
     *
     * @param checkpoint the network's files
     * @param images the images, all used (the validation images, or the first N test images)
     * @param chips chip instances per design, ≥ 1
     * @param seed the chips' seed
     */
    QuantSearchJob(CheckpointFiles checkpoint, DatasetArrays images, int chips, long seed) {
        this.checkpoint = checkpoint;
        this.images = images;
        this.chips = chips;
        this.seed = seed;
    }

    @Override
    public QuantizationSearch.Measured run(RramVariation hw) {
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            Dataset d = images.dataset();
            ChipMonteCarlo.Result r = ChipMonteCarlo.accuracy(checkpoint.load(m).model(), hw, d, d.size(), chips,
                    seed, BATCH, m);
            return new QuantizationSearch.Measured(r, (System.nanoTime() - t0) / 1e9);
        }
    }
}
