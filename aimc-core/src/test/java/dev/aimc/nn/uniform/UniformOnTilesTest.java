package dev.aimc.nn.uniform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aimc.models.Models;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.Module;
import dev.aimc.tile.TestDevices;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.Rng;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A uniform-scaling design on inference tiles: its quantized weights ({@link UniformTraining#deploy}) on tiles of its
 * converters and fixed weight scale ({@link UniformScaling#tileConfig()}) compute, with an ideal device, what the
 * trained {@link UniformLinear} layers compute.
 */
class UniformOnTilesTest {

    private static float[] trained(NDManager m, ConverterDesign d, CellLevels.Polarity pol, NDArray cal, NDArray x,
            Map<String, Object>[] record) {
        Module net = Models.create("mlp-har265", m, 3);
        UniformTraining.Conversion c = UniformTraining.prepare(net, new UniformTraining.Options(d, 2, pol, 8, 8,
                null, null, null, 0), null, cal);
        record[0] = c.toMap();
        return AnalogNetwork.inference(() -> c.net().forward(x, false)).toFloatArray();
    }

    @Test
    void deployedDesignOnIdealTilesReproducesTheTrainedForward() {
        for (CellLevels.Polarity pol : new CellLevels.Polarity[] {CellLevels.Polarity.BIPOLAR,
                CellLevels.Polarity.POSITIVE}) {
            for (ConverterDesign d : ConverterDesign.values()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Rng.seed(11);
                    NDArray cal = m.randomNormal(new Shape(64, 265));
                    NDArray x = m.randomNormal(new Shape(32, 265));
                    @SuppressWarnings("unchecked")
                    Map<String, Object>[] rec = new Map[1];
                    float[] want = trained(m, d, pol, cal, x, rec);
                    Module plain = Models.create("mlp-har265", m, 3);
                    UniformTraining.deploy(plain, rec[0]);
                    Map<String, TileConfig> tiles = UniformTraining.tileConfigs(rec[0]);
                    assertEquals(Set.of("1", "3", "5"), tiles.keySet());
                    TileConfig t1 = tiles.get("1");
                    assertEquals(TileConfig.WeightScaling.FIXED, t1.weightScaling());
                    assertEquals(pol == CellLevels.Polarity.BIPOLAR ? TileConfig.Mapping.DIFFERENTIAL
                            : TileConfig.Mapping.UNIPOLAR, t1.mapping());
                    if (d == ConverterDesign.UNIFORM) {
                        assertEquals(1, Set.copyOf(tiles.values()).size(), "one tile configuration");
                    }
                    try (AnalogNetwork a = AnalogConverter.convert(plain, Set.of(), TileConfig.defaults(), tiles,
                            TestDevices.ideal())) {
                        a.program(0);
                        a.driftTo(1);
                        float[] got = a.forward(x).toFloatArray();
                        double worst = 0;
                        for (int i = 0; i < want.length; i++) {
                            worst = Math.max(worst, Math.abs(want[i] - got[i]));
                        }
                        assertTrue(worst < 1e-4, pol + " " + d + ": max |Δ| = " + worst);
                    }
                }
            }
        }
    }

    @Test
    void aDesignWithAConverterOffCannotBePutOnTiles() {
        UniformScaling off = UniformScaling.of(2, CellLevels.Polarity.BIPOLAR, 0.5, 0, 1, 8, 4, 0);
        ConfigException e = assertThrows(ConfigException.class, off::tileConfig);
        assertTrue(e.getMessage().contains("DAC off"), e.getMessage());
    }
}
