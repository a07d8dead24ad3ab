package dev.aimc.program;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.GlobalDriftCompensation;
import dev.aimc.compensation.Undo;
import dev.aimc.data.Dataset;
import dev.aimc.data.Split;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.experiment.InferenceExperiment;
import dev.aimc.nn.AnalogConverter;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.train.Checkpoint;
import dev.aimc.train.TrainConfig;
import dev.aimc.train.TrainRun;
import dev.aimc.util.Rng;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measurement driver (not a test): network accuracy after oneshot / verify / GDP programming at 1 s, 1 h, 1 d,
 * raw and with global drift compensation ({@link GlobalDriftCompensation#perTile()}, calibrated through the
 * periphery); same seeds per repeat as {@code aimc evaluate}.
 * Args: CHECKPOINT DATA_DIR REPEATS TEST_LIMIT METHOD[,METHOD...] [PERIPHERY [TIMES]] (gdp-nomask = GDP without the
 * saturation mask, verify@T = program-and-verify at a tolerance of T single-cell counts). PERIPHERY (optional,
 * issue 18) is IR_DROP,ADC_GAIN_STD,ADC_OFFSET_STD,OUT_NOISE,READS_THROUGH_ADC (e.g. 1e-6,0.05,1,0.04,true) for
 * {@link TileConfig#wireResistance()}, {@link TileConfig#adcGainStd()}, {@link TileConfig#adcOffsetStd()},
 * {@link TileConfig#outputNoise()} and verify reads through the column ADC; TIMES a comma-separated list in seconds
 * (default 1,3600,86400).
 */
public final class ProgramNetworkBench {
    public static void main(String[] a) {
        System.setProperty("ai.djl.offline", "true");
        Path ck = Path.of(a[0]);
        Path data = Path.of(a[1]);
        int repeats = Integer.parseInt(a[2]);
        int limit = Integer.parseInt(a[3]);
        double[] times = a.length > 6 ? java.util.Arrays.stream(a[6].split(",")).mapToDouble(Double::parseDouble)
                .toArray() : new double[] {1, 3600, 86400};
        TileConfig tile = TileConfig.defaults();
        boolean throughAdc = false;
        if (a.length > 5) {
            String[] q = a[5].split(",");
            tile = tile.toBuilder().wireResistance(Double.parseDouble(q[0])).adcMismatch(Double.parseDouble(q[1]),
                    Double.parseDouble(q[2])).outputNoise(Double.parseDouble(q[3])).build();
            throughAdc = Boolean.parseBoolean(q[4]);
            System.out.println("tile " + tile + ", verify reads through the ADC: " + throughAdc);
        }
        TrainRun.setThreads(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Checkpoint c = Checkpoint.load(ck, m);
            TrainConfig tc = new TrainConfig();
            tc.model = c.meta().architecture;
            tc.dataset = c.meta().dataset;
            Dataset test = TrainRun.loadData(tc, data, Split.TEST);
            int n = limit > 0 ? Math.min(limit, test.size()) : test.size();
            double digital = AnalogNetwork.inference(() -> InferenceExperiment.accuracy(c.model(), test, n, 256, m));
            System.out.printf(Locale.ROOT, "%s on %s, %d test samples, digital %.2f%%%n", tc.model, tc.dataset, n,
                    100 * digital);
            DeviceModel dev = DeviceModels.parse("pcm");
            for (String method : a[4].split(",")) {
                TileProgrammer p;
                if (method.equals("gdp-nomask")) {
                    p = Programmers.tiled(Gdp.defaults().withHistoryInputs(0).withSaturationMask(false), throughAdc);
                } else if (method.startsWith("verify@")) {
                    p = Programmers.tiled(ProgramVerify.defaults().withHistoryInputs(0)
                            .withMarginCounts(Double.parseDouble(method.substring(7))), throughAdc);
                } else if (method.equals("verify")) {
                    p = Programmers.tiled(ProgramVerify.defaults().withHistoryInputs(0), throughAdc);
                } else if (method.equals("gdp")) {
                    p = Programmers.tiled(Gdp.defaults().withHistoryInputs(0), throughAdc);
                } else {
                    p = Programmers.parse("method", method);
                }
                double[][] raw = new double[times.length][repeats];
                double[][] gdc = new double[times.length][repeats];
                double progSec = 0;
                try (AnalogNetwork net = AnalogConverter.convert(c.model(), null, tile, dev)) {
                    for (int r = 0; r < repeats; r++) {
                        GlobalDriftCompensation gdcs = GlobalDriftCompensation.perTile();
                        long t0 = System.nanoTime();
                        net.program(Rng.derive(0, r), p);
                        progSec += (System.nanoTime() - t0) / 1e9;
                        for (int i = 0; i < times.length; i++) {
                            net.driftTo(times[i]);
                            raw[i][r] = AnalogNetwork.inference(
                                    () -> InferenceExperiment.accuracy(net.module(), test, n, 256, m));
                            try (Undo u = gdcs.apply(net)) {
                                gdc[i][r] = AnalogNetwork.inference(
                                        () -> InferenceExperiment.accuracy(net.module(), test, n, 256, m));
                            }
                        }
                    }
                }
                StringBuilder sb = new StringBuilder();
                sb.append(String.format(Locale.ROOT, "%-10s", method));
                for (int i = 0; i < times.length; i++) {
                    sb.append(String.format(Locale.ROOT, " | t=%-6.0f raw %s gdc %s", times[i], ms(raw[i]),
                            ms(gdc[i])));
                }
                String pulses = String.format(Locale.ROOT, "%.3f", p.pulseCounts().meanPerDevice());
                sb.append(String.format(Locale.ROOT, " | pulses/device %s | programming %.2f s/repeat", pulses,
                        progSec / repeats));
                System.out.println(sb);
                System.out.flush();
            }
        }
    }

    static String ms(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f±%.2f [", 100 * mean, 100 * sd));
        for (int i = 0; i < v.length; i++) {
            s.append(String.format(Locale.ROOT, i == 0 ? "%.2f" : " %.2f", 100 * v[i]));
        }
        return s.append(']').toString();
    }
}
