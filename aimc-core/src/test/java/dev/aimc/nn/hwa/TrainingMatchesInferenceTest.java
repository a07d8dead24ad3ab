package dev.aimc.nn.hwa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.tile.AnalogMatrix;
import dev.aimc.util.RandomStream;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.aimc.device.IdealModel;
import dev.aimc.nn.AnalogConv2d;
import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.AnalogLinear;
import dev.aimc.nn.Conv2d;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 2: hardware-aware training and inference see the same converters. For the same weights, inputs and
 * seed, the training forward without weight noise and the inference forward with an ideal device (no programming or
 * read noise) give the same outputs: the same tiles, per-tile input scale, weight scale, DAC, output noise (the same
 * draws) and per-tile ADC, in tile units. Before, training applied the ADC bound and output noise to the raw layer
 * outputs, which differ from the tile's normalized units by a factor per layer.
 *
 * <p>The two are computed by different arithmetic (the inference tile works in integer converter units), so they
 * agree to float rounding; a rounding difference can move a value that lies within float precision of an ADC
 * decision boundary by one ADC step, which this test allows for at most 0.1 % of the outputs.
 */
class TrainingMatchesInferenceTest {

    @AfterEach
    void restore() {
        NativeKernels.setEnabled(true);
    }

    /** Small tiles so that both layers span several row- and column-tiles, with edge tiles padded. */
    private static TileConfig tiles() {
        return TileConfig.builder().maxRows(27).maxCols(5).inputBits(8).outputBits(8).outputRange(6)
                .outputNoise(0.05).build();
    }

    private static HwaConfig hwa(TileConfig t) {
        return HwaConfig.defaults().withNoise(HwaConfig.NoiseKind.NONE, 0).withDac(t.inputBits(), t.inputRange())
                .withAdc(t.outputBits(), t.outputRange()).withOutputNoise(t.outputNoise());
    }

    /**
     * {training forward, inference forward} of the same layer on the same input, the output noise drawn alike: the
     * twin draws from a copy of the analog matrix's output-noise stream.
     */
    private static float[][] bothForwards(NDManager m, Module layer, HwaLayer twin, AnalogLayer analog, NDArray x) {
        analog.program(new IdealModel(25), RandomStream.of(5));
        analog.driftTo(0);
        twin.setNoiseStream(analog.matrix().outputNoiseStream().fromStart());
        float[] train;
        NDArray xg = x.duplicate();
        xg.setRequiresGradient(true);
        try (NDManager b = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            b.tempAttachAll(xg);
            NDArray y = ((Module) twin).forward(xg, true);
            train = y.toFloatArray();
            gc.backward(y.sum()); // the straight-through path records and back-propagates
        }
        float[] inf = ((Module) analog).forward(x, false).toFloatArray();
        return new float[][] {train, inf};
    }

    private static void assertSame(float[][] r, double lsb, String what) {
        assertEquals(r[1].length, r[0].length);
        int flips = 0;
        double scale = 0;
        for (float v : r[1]) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < r[0].length; i++) {
            double d = Math.abs(r[0][i] - r[1][i]);
            if (d > 1e-5 * scale) {
                flips++;
                assertTrue(d <= 1.01 * lsb, what + ": output " + i + " differs by " + d + " > one ADC step " + lsb);
            }
        }
        assertTrue(flips <= r[0].length / 1000, what + ": " + flips + " of " + r[0].length + " outputs differ");
    }

    @Test
    void linearTrainingForwardIsTheInferenceForward() {
        for (boolean kernels : new boolean[] {true, false}) {
            NativeKernels.setEnabled(kernels);
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(31);
                Linear lin = new Linear(m, 60, 13, true); // 3 row-tiles (27, 27, 6), 3 column-tiles (5, 5, 3)
                NDArray x = m.randomNormal(new Shape(32, 60));
                TileConfig t = tiles();
                HwaLinear twin = new HwaLinear(lin, hwa(t), WeightNoise.of(hwa(t)), t);
                try (AnalogLinear analog = new AnalogLinear(lin, t)) {
                    float[][] r = bothForwards(m, lin, twin, analog, x);
                    // one ADC step in layer units is at most Δout·max α·max s
                    double lsb = t.outputStep() * x.abs().max().getFloat() * lin.weight().abs().max().getFloat();
                    assertSame(r, lsb, "linear, kernels " + kernels);
                }
            }
        }
    }

    @Test
    void convTrainingForwardIsTheInferenceForward() {
        for (boolean kernels : new boolean[] {true, false}) {
            NativeKernels.setEnabled(kernels);
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(32);
                Conv2d conv = new Conv2d(m, 8, 12, 3, 1, 1, true); // 3 channels per tile: 3 row-tiles (3, 3, 2)
                NDArray x = m.randomNormal(new Shape(4, 8, 9, 9));
                TileConfig t = tiles();
                HwaConv2d twin = new HwaConv2d(conv, hwa(t), WeightNoise.of(hwa(t)), t);
                try (AnalogConv2d analog = new AnalogConv2d(conv, t)) {
                    float[][] r = bothForwards(m, conv, twin, analog, x);
                    double lsb = t.outputStep() * x.abs().max().getFloat() * conv.weight().abs().max().getFloat();
                    assertSame(r, lsb, "conv, kernels " + kernels);
                }
            }
        }
    }

    @Test
    void perPatchConvTrainingForwardIsTheInferenceForward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(33);
            Conv2d conv = new Conv2d(m, 8, 12, 3, 2, 1, true);
            NDArray x = m.randomNormal(new Shape(3, 8, 9, 9));
            TileConfig t = tiles().toBuilder().convScaling(TileConfig.ConvScaling.PER_PATCH).build();
            HwaConv2d twin = new HwaConv2d(conv, hwa(t), WeightNoise.of(hwa(t)), t);
            try (AnalogConv2d analog = new AnalogConv2d(conv, t)) {
                float[][] r = bothForwards(m, conv, twin, analog, x);
                double lsb = t.outputStep() * x.abs().max().getFloat() * conv.weight().abs().max().getFloat();
                assertSame(r, lsb, "conv per patch");
            }
        }
    }

    @Test
    void layersOnOneDefaultTileTrainOnTheInferenceForward() {
        // layers that fit one 512 × 512 tile (R = C = 1, nothing padded)
        TileConfig t = TileConfig.builder().inputBits(8).outputBits(8).outputRange(6).outputNoise(0.05).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Rng.seed(34);
            Linear lin = new Linear(m, 60, 13, true);
            NDArray x = m.randomNormal(new Shape(32, 60));
            HwaLinear twin = new HwaLinear(lin, hwa(t), WeightNoise.of(hwa(t)), t);
            try (AnalogLinear analog = new AnalogLinear(lin, t)) {
                double lsb = t.outputStep() * x.abs().max().getFloat() * lin.weight().abs().max().getFloat();
                assertSame(bothForwards(m, lin, twin, analog, x), lsb, "linear, one tile");
            }
            Conv2d conv = new Conv2d(m, 8, 12, 3, 1, 1, true);
            NDArray xc = m.randomNormal(new Shape(4, 8, 9, 9));
            HwaConv2d ctwin = new HwaConv2d(conv, hwa(t), WeightNoise.of(hwa(t)), t);
            try (AnalogConv2d analog = new AnalogConv2d(conv, t)) {
                double lsb = t.outputStep() * xc.abs().max().getFloat() * conv.weight().abs().max().getFloat();
                assertSame(bothForwards(m, conv, ctwin, analog, xc), lsb, "conv, one tile");
            }
        }
    }

    @Test
    void outputNoiseAndAdcRangeAreInTileUnitsInTraining() {
        // a layer whose raw outputs are 100× its tile outputs: the ADC bound and the noise act on the tile outputs
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = new Linear(m, 4, 1, false);
            dev.aimc.util.InPlace.assign(lin.weight(), new float[] {10, 10, 10, 10}); // s = 10
            TileConfig t = TileConfig.builder().inputBits(8).outputBits(8).outputRange(3).build();
            HwaConfig cfg = hwa(t).withOutputNoise(0);
            HwaLinear twin = new HwaLinear(lin, cfg, WeightNoise.of(cfg), t);
            NDArray x = m.full(new Shape(1, 4), 10f); // α = 10: u = 1, tile output Σ u·w/s = 4 → saturates at 3
            assertEquals(3 * 10 * 10, twin.forward(x, true).getFloat(0, 0), 1e-3);
        }
    }
}
