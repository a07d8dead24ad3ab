package dev.aimc.cli;

import ai.djl.ndarray.NDManager;
import dev.aimc.robust.CompensationPlacement;
import dev.aimc.robust.CompensationTrainer;
import dev.aimc.robust.RramVariation;
import dev.aimc.runner.CheckpointFiles;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;
import dev.aimc.train.Checkpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * A placement of {@code aimc place-compensation} as a task ({@link TaskExecutor}): the task loads the checkpoint into
 * its own manager, builds the same {@link CompensationPlacement} as the driver (same sites, hardware, images and
 * seeds) and runs {@link CompensationPlacement#evaluate}: a fresh compensation trained with the training seed, then
 * evaluated on the evaluation chips. The outcome depends on the placement and the settings only.
 */
final class PlacementJob implements TaskExecutor.Job<boolean[], CompensationPlacement.Outcome> {
    private static final long serialVersionUID = 1L;
    private final CheckpointFiles checkpoint;
    private final RramVariation hw;
    private final ArrayList<String> sites;
    private final DatasetArrays train;
    private final CompensationTrainer.Settings settings;
    private final int rank;
    private final DatasetArrays val;
    private final int chips;
    private final long seed;
    private final double overheadWeight;

    /**
     * The job of one placement search, with the arguments of {@link CompensationPlacement}'s constructor.
     *
     * @param checkpoint the network's files
     * @param hw the hardware and variation level
     * @param sites the candidate layers
     * @param train the compensation's training images (those it trains on: the first {@code settings.limit()})
     * @param settings the compensation's training settings
     * @param rank the compensation's rank
     * @param val the validation images (all used)
     * @param chips evaluation chips
     * @param seed the evaluation chips' seed
     * @param overheadWeight weight of the MAC fraction in the reward
     */
    PlacementJob(CheckpointFiles checkpoint, RramVariation hw, List<String> sites, DatasetArrays train,
            CompensationTrainer.Settings settings, int rank, DatasetArrays val, int chips, long seed,
            double overheadWeight) {
        this.checkpoint = checkpoint;
        this.hw = hw;
        this.sites = new ArrayList<>(sites);
        this.train = train;
        this.settings = settings;
        this.rank = rank;
        this.val = val;
        this.chips = chips;
        this.seed = seed;
        this.overheadWeight = overheadWeight;
    }

    /**
     * The same job evaluating on other images (e.g. the test split after a search on validation images): the
     * compensation trains as before, with the same seeds.
     *
     * @param images the evaluation images (all used)
     * @return a copy with {@code images} as its evaluation images
     */
    PlacementJob withEvaluationImages(DatasetArrays images) {
        return new PlacementJob(checkpoint, hw, sites, train, settings, rank, images, chips, seed, overheadWeight);
    }

    @Override
    public CompensationPlacement.Outcome run(boolean[] placement) {
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = checkpoint.load(m);
            CompensationPlacement env = new CompensationPlacement(c.model(), hw, sites, train.dataset(), settings,
                    rank, val.dataset(), chips, seed, overheadWeight, Checkpoint.inputShape(c.meta()), m,
                    null);
            return env.evaluate(placement);
        }
    }
}
