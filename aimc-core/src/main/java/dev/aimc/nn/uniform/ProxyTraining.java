package dev.aimc.nn.uniform;

import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.nn.GraphNetwork;
import dev.aimc.nn.GraphSpec;
import dev.aimc.nn.Module;
import dev.aimc.train.Accuracy;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.Trainer;
import dev.aimc.util.Check;
import dev.aimc.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The short training that scores a candidate of the architecture search (ours; the paper's search recipe was not
 * available): the candidate's network ({@link SearchDesign#graph()}: an MLP or a LeNet-5) is initialised with
 * {@code seed}, trained in floating point for {@code fpEpochs}, then calibrated and converted to one uniform design
 * for all layers ({@link UniformTraining}, {@link ConverterDesign#UNIFORM}: b-bit cells, DAC and ADC of the given
 * resolutions at fixed ranges, each signed layer's weights projected onto its sign) and trained quantization-aware
 * for {@code qatEpochs}. Both phases use SGD with momentum 0.9, weight decay 5e-4, batch 128 and a cosine schedule
 * (and, on CIFAR-10, crop and flip augmentation), as {@code aimc train} does. The score is the top-1 accuracy of
 * the converted network (its training forward: quantized weights, ideal devices) on a validation set held out from
 * training.
 *
 * @param fpEpochs floating-point epochs, ≥ 1
 * @param qatEpochs quantization-aware epochs, ≥ 1
 * @param fpLr learning rate of the floating-point phase, &gt; 0
 * @param qatLr learning rate of the quantization-aware phase, &gt; 0
 * @param cellBits bits per cell b, in [1, 8]
 * @param dacBits DAC resolution of the uniform design
 * @param adcBits ADC resolution of the uniform design
 * @param seed initialisation and shuffling seed (the same for every candidate)
 *
 * @serial exclude
 */
public record ProxyTraining(int fpEpochs, int qatEpochs, double fpLr, double qatLr, int cellBits, int dacBits,
        int adcBits, long seed) implements java.io.Serializable {
    /** Training samples, evenly spaced, on which the uniform design's ranges are calibrated (as aimc train). */
    public static final int CALIBRATION_SAMPLES = 1024;

    /**
     * Validates, naming the command-line options.
     *
     * @param fpEpochs ≥ 1 ({@code --proxy-fp-epochs})
     * @param qatEpochs ≥ 1 ({@code --proxy-qat-epochs})
     * @param fpLr &gt; 0
     * @param qatLr &gt; 0
     * @param cellBits in [1, 8] ({@code --cell-bits})
     * @param dacBits DAC bits
     * @param adcBits ADC bits
     * @param seed the seed
     */
    public ProxyTraining {
        Check.range("--proxy-fp-epochs", fpEpochs, 1, 10_000);
        Check.range("--proxy-qat-epochs", qatEpochs, 1, 10_000);
        Check.positive("--proxy-fp-lr", fpLr);
        Check.positive("--proxy-qat-lr", qatLr);
        Check.range("--cell-bits", cellBits, 1, CellLevels.MAX_CELL_BITS);
    }

    /**
     * The uniform-scaling options of a candidate: bipolar cells, every signed layer's tiles given its sign on the
     * design's 512 × 512 tiles (bipolar layers are left unsigned), ranges calibrated.
     *
     * @param d the candidate
     * @param tileRows rows of the design's tiles
     * @param tileCols columns of the design's tiles
     * @return the options of {@link UniformTraining}
     */
    public UniformTraining.Options options(SearchDesign d, int tileRows, int tileCols) {
        Map<String, String> signs = new LinkedHashMap<>();
        d.tileSigns(tileRows, tileCols).forEach((p, s) -> {
            if (!s.replace("/", "").chars().allMatch(c -> c == '0')) {
                signs.put(p, s);
            }
        });
        return new UniformTraining.Options(ConverterDesign.UNIFORM, cellBits, CellLevels.Polarity.BIPOLAR, dacBits,
                adcBits, null, null, null, 0, signs);
    }

    /**
     * Trains a candidate and measures it.
     *
     * @param d the candidate
     * @param train the training images (the validation images excluded)
     * @param val the validation images
     * @param dataset the data set's name (recorded in the training configuration)
     * @return the validation accuracy of the converted network, in [0, 1]
     */
    public double score(SearchDesign d, Dataset train, Dataset val, String dataset) {
        try (NDManager m = NDManager.newBaseManager()) {
            GraphSpec g = d.graph();
            Module net = Rng.seeded(seed, () -> new GraphNetwork(g, m)); // candidates may train side by side
            TrainConfig fp = config(g, train, dataset, fpEpochs, fpLr);
            Trainer t = new Trainer(net, m, fp.newOptimizer(m), fp);
            for (int e = 1; e <= fpEpochs; e++) {
                t.trainEpoch(train, e, fpEpochs);
            }
            UniformTraining.Conversion conv;
            dev.aimc.tile.TileConfig tiles = dev.aimc.tile.TileConfig.defaults();
            try (NDManager cal = m.newSubManager()) {
                int n = Math.min(CALIBRATION_SAMPLES, train.size());
                int[] idx = java.util.stream.IntStream.range(0, n).map(i -> (int) ((long) i * train.size() / n))
                        .toArray();
                conv = UniformTraining.prepare(net, options(d, tiles.maxRows(), tiles.maxCols()), null,
                        train.batch(cal, idx)[0]);
            }
            TrainConfig qat = config(g, train, dataset, qatEpochs, qatLr);
            Trainer q = new Trainer(conv.net(), m, qat.newOptimizer(m), qat);
            q.afterStepCallbacks().add(conv.clipHook());
            for (int e = 1; e <= qatEpochs; e++) {
                q.trainEpoch(train, e, qatEpochs);
            }
            return Accuracy.top1(conv.net(), val, qat.evalBatch, m);
        }
    }

    private TrainConfig config(GraphSpec g, Dataset train, String dataset, int epochs, double lr) {
        TrainConfig c = new TrainConfig();
        c.model = GraphSpec.ARCHITECTURE;
        c.imported = new TrainConfig.Imported(g, train.normalization());
        c.dataset = dataset;
        c.epochs = epochs;
        c.lr = lr;
        c.seed = seed;
        c.threads = 1;
        c.progress = false;
        return c.validate();
    }
}
