package dev.aimc.examples;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.GlobalDriftCompensation;
import dev.aimc.compensation.Schemes;
import dev.aimc.compensation.Undo;
import dev.aimc.data.DataSets;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.PcmModel;
import dev.aimc.device.RramModel;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.program.ProgramVerify;
import dev.aimc.program.Programmers;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.Summary;
import dev.aimc.tile.TileConfig;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.DemoRunner;
import dev.aimc.train.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * aimc as a library: train a small network, put it on crossbars of a device and tiles of one's own, program,
 * drift, compensate and evaluate — first by hand, then as a Monte-Carlo experiment over repeats.
 */
public final class AnalogMnist {
    private AnalogMnist() {}

    /** Runs the example; prints accuracies. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("aimc-example");
        // a network: an MLP trained for one epoch on the MNIST subset embedded in aimc (or Checkpoint.load a trained one)
        TrainRun.run(DemoRunner.config("mlp-mnist", 1, 0), dir, TrainRun.IfExists.OVERWRITE, null, System.out,
                TrainRun.Extras.NONE);
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = Checkpoint.load(dir, m).model();
            Dataset test = DataSets.embeddedMnist(Split.TEST);

            // 1. by hand: RRAM with a 10 µS off-state and 4 bits per cell, on 256 × 256 tiles with 8-bit converters
            DeviceModel rram = RramModel.builder().gMinMicroSiemens(10).bitsPerCell(4).logNormalSigma(0.05).build();
            TileConfig tiles = TileConfig.builder().tileSize(256, 256).inputBits(8).outputBits(8).outputNoise(0.04)
                    .build();
            try (AnalogNetwork analog = AnalogConverter.convert(net, Set.of(), tiles, rram)) {
                analog.program(1);
                analog.driftTo(86_400);
                try (Undo gdc = GlobalDriftCompensation.perTile().apply(analog)) {
                    double acc = InferenceExperiment.accuracy(analog.module(), test, test.size(), 256, m);
                    System.out.printf("example: RRAM, one day, GDC: %.2f %%%n", 100 * acc);
                }
            }

            // 2. as an experiment: PCM programmed by program-and-verify (±2 ADC counts), 3 chips, 1 s … 1 year
            InferenceExperiment.Config cfg = InferenceExperiment.Config.builder().device(PcmModel.defaults())
                    .tile(TileConfig.aihwkitInference()).repeats(3).times(List.of(1.0, 86_400.0, 31_536_000.0))
                    .programming(Programmers.tiled(new ProgramVerify(2, ProgramVerify.DEFAULT_MAX_ITERATIONS, 0)))
                    .compensations(Schemes.parse(List.of("none", "gdc"))).build();
            EvaluationResult r = InferenceExperiment.run("mlp-mnist, example", net, test, null, cfg, null,
                    InferenceExperiment.Progress.NONE, m);
            System.out.printf("example: digital %.2f %%%n", 100 * r.digitalAccuracy());
            for (Summary s : r.summaries()) {
                System.out.printf("example: PCM, verify, aihwkit tile, %s at %.0f s: %.2f ± %.2f %%%n", s.variant(),
                        s.timeSeconds(), 100 * s.mean(), 100 * s.std());
            }
        }
    }
}
