package dev.aimc.train;

import java.util.ArrayList;
import java.util.List;

/** The {@code model.json} of a checkpoint (see {@link Checkpoint} for the format). */
public final class CheckpointMeta {
    /** Format version of the checkpoint directory ({@link Checkpoint#FORMAT_VERSION}). */
    public int formatVersion = Checkpoint.FORMAT_VERSION;
    /** Architecture name ({@link dev.aimc.models.Models#NAMES}). */
    public String architecture;
    /** Data set name the network was trained on. */
    public String dataset;
    /** Input normalisation the data set's batches applied: scale, per-channel mean and std. */
    public Norm normalization;
    /** The training configuration, as given (defaults not applied). */
    public TrainConfig training;
    /** Epochs completed. */
    public int epoch;
    /** Test accuracy after the last completed epoch. */
    public double testAccuracy;
    /** Number of trainable parameter values. */
    public long parameterCount;
    /** aimc version that wrote the checkpoint. */
    public String aimcVersion;
    /** Optimizer kind, updates applied, and CRC-32 of optimizer.params. */
    public String optimizer;
    /** Optimizer updates applied. */
    public long optimizerSteps;
    /** CRC-32 of optimizer.params, checked on resume. */
    public long optimizerCrc32;
    /** CRC-32 of model.params, checked on load (detects files from different epochs). */
    public long paramsCrc32;
    /** One record per completed epoch, in order. */
    public List<EpochRecord> history = new ArrayList<>();
    /**
     * Hardware-aware training settings ({@code HwaConfig.toMap()}) when the network was trained with
     * {@code --hwa}, else null. The parameter names are those of the plain network, so the checkpoint loads as
     * a plain network for analog evaluation.
     */
    public java.util.Map<String, Object> hwa;
    /** Layers kept digital (no noise injection) during hardware-aware training, or null. */
    public List<String> hwaDigitalLayers;
    /**
     * The analog design of every layer under uniform scaling ({@code --uniform-scaling}; the form of
     * {@code UniformTraining.Conversion.toMap()}: design and, per layer path, cell bits, polarity, weight range, DAC
     * and ADC), else null. The parameters are the latent full-precision weights.
     */
    public java.util.Map<String, Object> uniformScaling;
    /** Checkpoint the training started from ({@code --init}), or null. */
    public String initCheckpoint;
    /** Epochs and test accuracy of the {@code --init} checkpoint, or null. */
    public Integer initEpochs;
    /** Test accuracy of the {@code --init} checkpoint in [0, 1], or null. */
    public Double initTestAccuracy;
    /**
     * The network's graph when it is not one of {@link dev.aimc.models.Models#NAMES} (architecture
     * {@value dev.aimc.nn.GraphSpec#ARCHITECTURE}, e.g. imported from ONNX), else null.
     */
    public dev.aimc.nn.GraphSpec graph;
    /** Where an imported network came from, or null. */
    public Source source;

    /** The file an imported network was read from. */
    public static final class Source {
        /** Format of the file, e.g. "onnx". */
        public String format;
        /** The file as given on the command line. */
        public String file;
        /** SHA-256 of the file's bytes, lower-case hex. */
        public String sha256;
        /** Default-domain opset the model imports. */
        public int opset;
        /** IR version of the model. */
        public long irVersion;
        /** Producer name and version recorded in the model. */
        public String producer;
        /** Preprocessing of raw values p applied before the network, e.g. "x = (p / 255 - mean) / std". */
        public String preprocessing;
        /** Digital test accuracy in [0, 1] measured at import ({@code aimc import --evaluate}), or null. */
        public Double testAccuracy;
    }

    /**
     * Whether {@link #testAccuracy} was measured: false for an imported network that has not been trained here and
     * whose accuracy was not measured at import (its {@code testAccuracy} is then a meaningless 0).
     *
     * @return true when {@link #testAccuracy} is a measurement
     */
    public boolean testAccuracyMeasured() {
        return source == null || !history.isEmpty() || source.testAccuracy != null;
    }

    /** Input normalisation. */
        public static final class Norm {
        /** Factor applied to raw values first (1/255 for pixels). */
        public float scale;
        /** Per-channel mean subtracted after scaling. */
        public float[] mean;
        /** Per-channel standard deviation divided by last. */
        public float[] std;
    }

    /** One epoch's numbers. */
        public static final class EpochRecord {
        /** Epoch number, 1-based. */
        public int epoch;
        /** Mean training loss over the epoch. */
        public double trainLoss;
        /** Training accuracy over the epoch, in [0, 1]. */
        public double trainAccuracy;
        /** Test accuracy after the epoch, in [0, 1]. */
        public double testAccuracy;
        /** Wall time of the epoch, seconds. */
        public double seconds;
        /** Training throughput, images per second. */
        public double imagesPerSecond;
        /** Learning rate at the end of the epoch. */
        public double lr;
    }
}
