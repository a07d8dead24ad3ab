package dev.aimc.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.compensation.Compensation;
import dev.aimc.compensation.Schemes;
import dev.aimc.compensation.Undo;
import dev.aimc.device.PcmModel;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.Rng;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What one evaluation (chip, time, variant) draws does not depend on which other times and variants a run evaluated
 * before it: the outputs of "gdc at one day" are bit-identical whether it is evaluated alone or after other times and
 * variants (before passes were keyed, every evaluation continued the streams of the ones before it, so a variant's
 * accuracy changed with the list of variants and times it was run with).
 */
class PassIndependenceTest {
    private static final double DAY = 86_400;

    private static float[] gdcAtOneDay(AnalogNetwork a, NDArray x, boolean afterOthers) {
        a.program(3);
        if (afterOthers) {
            for (double t : new double[] {1, DAY}) {
                a.driftTo(t);
                for (String v : new String[] {"none", "gdc"}) {
                    if (t == DAY && v.equals("gdc")) {
                        break;
                    }
                    evaluate(a, v, x);
                }
            }
        } else {
            a.driftTo(DAY);
        }
        return evaluate(a, "gdc", x);
    }

    private static float[] evaluate(AnalogNetwork a, String variant, NDArray x) {
        Compensation c = Schemes.create(variant);
        a.startPass(AnalogNetwork.passKey(variant));
        try (Undo u = c.apply(a, null)) {
            float[] first = a.forward(x).toFloatArray();
            float[] second = a.forward(x).toFloatArray();
            return concat(first, second);
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void anEvaluationDrawsTheSameWhateverWasEvaluatedBefore() {
        for (TileConfig.ReadNoise mode : TileConfig.ReadNoise.values()) {
            try (NDManager m = NDManager.newBaseManager()) {
                Rng.seed(4);
                Module net = new Sequential().add(new Linear(m, 24, 16, true)).add(Layers.relu())
                        .add(new Linear(m, 16, 5, true));
                NDArray x = m.randomUniform(-1f, 1f, new Shape(6, 24));
                TileConfig tiles = TileConfig.builder().tileSize(8, 8).outputNoise(0.05).readNoise(mode).build();
                float[] alone;
                float[] afterOthers;
                try (AnalogNetwork a = AnalogConverter.convert(net, Set.of(), tiles, PcmModel.defaults())) {
                    alone = gdcAtOneDay(a, x, false);
                    afterOthers = gdcAtOneDay(a, x, true);
                }
                assertArrayEquals(alone, afterOthers, 0f, mode.name());
                // two forwards of one pass still draw their own output noise
                int half = alone.length / 2;
                assertFalse(Arrays.equals(Arrays.copyOf(alone, half), Arrays.copyOfRange(alone, half, alone.length)),
                        mode.name());
            }
        }
    }
}
