package dev.aimc.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.data.Dataset;
import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.nn.LayerOutputs;
import dev.aimc.nn.Module;
import dev.aimc.util.Check;
import dev.aimc.util.Stats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Measured error amplification: the relative feature error e_l = ‖y_l^analog − y_l^digital‖_F / ‖y_l^digital‖_F at
 * the output of every analog layer l, the analog network running on its own (erroneous) features from the start,
 * so e_l holds the error layer l adds and the error it receives from the layers before, amplified or damped.
 * Norms are taken over all of the first n samples together; e_l is averaged over chips (chip i:
 * {@link ChipMonteCarlo#chipSeed}), so two networks of one architecture measured with the same seed see the same
 * variation draws.
 */
public final class ErrorAmplification {
    private ErrorAmplification() {}

    /**
     * Relative feature errors per layer.
     *
     * @param mean mean over chips of e_l, by layer path in network order
     * @param std sample std over chips of e_l (0 for one chip)
     */
    public record Result(Map<String, Double> mean, Map<String, Double> std) {
        /**
         * "conv1 0.012 → fc1 0.034 → ..." for a log line.
         *
         * @return the means in network order
         */
        public String format() {
            StringBuilder sb = new StringBuilder();
            mean.forEach((p, e) -> sb.append(sb.length() == 0 ? "" : " → ")
                    .append(String.format(java.util.Locale.ROOT, "%s %.4f", p, e)));
            return sb.toString();
        }
    }

    /**
     * Measures e_l for {@code net} on the hardware {@code hw} over {@code chips} chips.
     *
     * @param net the digital network (converted and restored by this call)
     * @param hw the hardware setting and variation level
     * @param data samples (the first {@code n} are used)
     * @param n samples, in [1, data.size()]
     * @param chips chips, ≥ 1
     * @param seed the chips' seed
     * @param batch samples per forward pass, ≥ 1
     * @return mean and std over chips of e_l per analog layer
     */
    public static Result measure(Module net, RramVariation hw, Dataset data, int n, int chips, long seed,
            int batch) {
        Check.range("--test-limit", n, 1, data.size());
        Check.range("--chips", chips, 1, 1_000_000);
        Check.range("--batch", batch, 1, 1 << 20);
        Map<String, double[]> perChip = new LinkedHashMap<>();
        try (AnalogNetwork an = hw.convert(net); NDManager m = NDManager.newBaseManager()) {
            Map<String, AnalogLayer> layers = an.analogLayers();
            layers.keySet().forEach(p -> perChip.put(p, new double[chips]));
            for (int c = 0; c < chips; c++) {
                an.program(ChipMonteCarlo.chipSeed(seed, c));
                an.driftTo(0);
                Map<String, double[]> sums = new LinkedHashMap<>(); // path → {Σ err², Σ ref²}
                layers.keySet().forEach(p -> sums.put(p, new double[2]));
                for (int start = 0; start < n; start += batch) {
                    int len = Math.min(batch, n - start);
                    int[] idx = new int[len];
                    for (int i = 0; i < len; i++) {
                        idx[i] = start + i;
                    }
                    try (NDManager bm = m.newSubManager()) {
                        NDArray x = data.batch(bm, idx)[0];
                        an.restoreDigital();
                        Map<String, NDArray> ref = LayerOutputs.capture(net, layers.keySet(), x);
                        an.restoreAnalog();
                        Map<String, NDArray> got = LayerOutputs.capture(net, layers.keySet(), x);
                        for (String p : layers.keySet()) {
                            double[] s = sums.get(p);
                            s[0] += got.get(p).sub(ref.get(p)).square().sum().getFloat();
                            s[1] += ref.get(p).square().sum().getFloat();
                        }
                    }
                }
                for (String p : layers.keySet()) {
                    double[] s = sums.get(p);
                    perChip.get(p)[c] = s[1] == 0 ? 0 : Math.sqrt(s[0] / s[1]);
                }
            }
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> std = new LinkedHashMap<>();
        perChip.forEach((p, e) -> {
            mean.put(p, Stats.mean(e));
            std.put(p, e.length < 2 ? 0 : Stats.sampleStd(e));
        });
        return new Result(mean, std);
    }
}
