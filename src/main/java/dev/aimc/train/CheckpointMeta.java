package dev.aimc.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/** The {@code model.json} of a checkpoint (see {@link Checkpoint} for the format). */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class CheckpointMeta {
    public int formatVersion = Checkpoint.FORMAT_VERSION;
    public String architecture;
    public String dataset;
    /** Input normalisation the data set's batches applied: scale, per-channel mean and std. */
    public Norm normalization;
    public TrainConfig training;
    /** Epochs completed. */
    public int epoch;
    /** Test accuracy after the last completed epoch. */
    public double testAccuracy;
    public long parameterCount;
    public String aimcVersion;
    /** Optimizer kind, updates applied, and CRC-32 of optimizer.params. */
    public String optimizer;
    public long optimizerSteps;
    public long optimizerCrc32;
    /** CRC-32 of model.params, checked on load (detects files from different epochs). */
    public long paramsCrc32;
    public List<EpochRecord> history = new ArrayList<>();
    /**
     * Hardware-aware training settings ({@code HwaConfig.toMap()}) when the network was trained with
     * {@code --hwa}, else null. The parameter names are those of the plain network, so the checkpoint loads as
     * a plain network for analog evaluation.
     */
    public java.util.Map<String, Object> hwa;
    /** Layers kept digital (no noise injection) during hardware-aware training, or null. */
    public List<String> hwaDigitalLayers;
    /** Checkpoint the training started from ({@code --init}), or null. */
    public String initCheckpoint;
    /** Epochs and test accuracy of the {@code --init} checkpoint, or null. */
    public Integer initEpochs;
    public Double initTestAccuracy;

    /** Input normalisation. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Norm {
        public float scale;
        public float[] mean;
        public float[] std;
    }

    /** One epoch's numbers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class EpochRecord {
        public int epoch;
        public double trainLoss;
        public double trainAccuracy;
        public double testAccuracy;
        public double seconds;
        public double imagesPerSecond;
        public double lr;
    }
}
