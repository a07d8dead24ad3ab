package dev.aimc.cli;

import dev.aimc.nn.uniform.SearchDesign;
import dev.aimc.nn.uniform.ProxyTraining;
import dev.aimc.runner.DatasetArrays;
import dev.aimc.runner.TaskExecutor;
import java.io.Serializable;

/**
 * A candidate of {@code aimc arch-search} as a task ({@link TaskExecutor}): the short training of a design
 * ({@link ProxyTraining#score}) on the training images the job carries, scored on its validation images. The
 * training's seed is the search's, the same for every design, whatever runs beside it.
 */
final class ProxyJob implements TaskExecutor.Job<SearchDesign, ProxyJob.Scored> {
    private static final long serialVersionUID = 1L;
    private final ProxyTraining proxy;
    private final DatasetArrays train;
    private final DatasetArrays val;
    private final String dataset;

    /**
     * A design's validation accuracy and the wall time of its training.
     *
     * @param accuracy validation accuracy of the converted network, in [0, 1] (0 when diverged)
     * @param seconds wall time of the short training and its evaluation, s
     * @param diverged the training's divergence message, or null when it trained
     */
    record Scored(double accuracy, double seconds, String diverged) implements Serializable {}

    /**
     * The job of one search.
     *
     * @param proxy the short training
     * @param train its training images
     * @param val the validation images
     * @param dataset the data set's name
     */
    ProxyJob(ProxyTraining proxy, DatasetArrays train, DatasetArrays val, String dataset) {
        this.proxy = proxy;
        this.train = train;
        this.val = val;
        this.dataset = dataset;
    }

    @Override
    public Scored run(SearchDesign d) {
        long t0 = System.nanoTime();
        try {
            double a = proxy.score(d, train.dataset(), val.dataset(), dataset);
            return new Scored(a, (System.nanoTime() - t0) / 1e9, null);
        } catch (dev.aimc.train.Trainer.Diverged e) {
            return new Scored(0, (System.nanoTime() - t0) / 1e9, e.getMessage());
        }
    }
}
