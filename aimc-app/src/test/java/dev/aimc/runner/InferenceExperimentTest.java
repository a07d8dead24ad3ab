package dev.aimc.runner;

import dev.aimc.experiment.InferenceExperiment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.aimc.compensation.Compensation;
import dev.aimc.compensation.Schemes;
import dev.aimc.data.Dataset;
import dev.aimc.data.Normalization;
import dev.aimc.device.DeviceModels;
import dev.aimc.nn.Layers;
import dev.aimc.nn.Linear;
import dev.aimc.nn.Module;
import dev.aimc.nn.Sequential;
import dev.aimc.report.ReportWriter;
import dev.aimc.results.EvaluationResult;
import dev.aimc.results.Measurement;
import dev.aimc.results.Summary;
import dev.aimc.tile.TileConfig;
import dev.aimc.util.ConfigException;
import dev.aimc.util.InPlace;
import dev.aimc.util.Rng;
import dev.aimc.util.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceExperimentTest {

    /** Two Gaussian blobs per class in 8 dimensions, and an MLP whose first layer separates them. */
    static Dataset blobs(int n) {
        Random r = new Random(1);
        float[] v = new float[n * 8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 8; j++) {
                v[i * 8 + j] = (float) (r.nextGaussian() * 0.3 + (j == y[i] ? 2 : 0));
            }
        }
        return Dataset.ofFloats("blobs", new int[] {8}, v, y, List.of("a", "b"),
                Normalization.real(new float[] {0f}, new float[] {1f}));
    }

    static Module net(NDManager m) {
        Rng.seed(2);
        Linear l1 = new Linear(m, 8, 4, true);
        InPlace.assign(l1.weight(), new float[] {1, -1, 0, 0, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        InPlace.assign(l1.bias(), new float[4]);
        Linear l2 = new Linear(m, 4, 2, true);
        InPlace.assign(l2.weight(), new float[] {1, 0, 0, 0, 0, 1, 0, 0});
        InPlace.assign(l2.bias(), new float[2]);
        return new Sequential().add(l1).add(Layers.relu()).add(l2);
    }

    @Test
    void runsRepeatsTimesAndWritesTheReport(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Module net = net(m);
            Dataset test = blobs(200);
            InferenceExperiment.Config cfg = InferenceExperiment.Config.builder().device(DeviceModels.parse("pcm"))
                    .times(List.of(1.0, 86400.0)).repeats(3).seed(7).batchSize(64)
                    .tile(TileConfig.builder().tileSize(4, 4).build()).testLimit(150)
                    .compensations(Compensation.NONE).build();
            EvaluationResult r = InferenceExperiment.run("blobs", net, test, null, cfg, null,
                    InferenceExperiment.Progress.NONE, m);
            assertInstanceOf(Linear.class, net.module("0")); // restored to digital
            assertEquals(1.0, r.digitalAccuracy(), 1e-9);
            assertEquals(150, r.testSamples());
            assertEquals(6, r.measurements().size());
            assertEquals(Rng.derive(7, 2), r.measurements().get(5).seed());
            assertNotEquals(r.measurements().get(0).seed(), r.measurements().get(2).seed());
            Summary s = r.summary("none", 1.0);
            assertEquals(3, s.n());
            assertTrue(s.mean() > 0.9, "accuracy " + s.mean());
            // same seed, same numbers
            EvaluationResult again = InferenceExperiment.run("blobs", net, test, null, cfg, null,
                    InferenceExperiment.Progress.NONE, m);
            assertEquals(r.measurements(), again.measurements());

            ReportWriter.write(dir, r);
            for (String f : List.of("results.json", "results.csv", "accuracy_vs_time.png", "report.html")) {
                assertTrue(Files.size(dir.resolve(f)) > 0, f);
            }
            String json = Files.readString(dir.resolve("results.json"));
            assertTrue(json.contains("\"digitalAccuracy\"") && json.contains("\"aimcVersion\"")
                    && json.contains("\"repeats\"") && json.contains("\"tile\""));
            List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
            assertEquals(3, csv.size());
            assertTrue(csv.get(0).startsWith("variant,time_s,time_label,mean_accuracy,std_accuracy,n,rep0,rep1,rep2"));
            String html = Files.readString(dir.resolve("report.html"));
            assertTrue(html.contains("data:image/png;base64,") && html.contains("<table>"));
            byte[] png = Files.readAllBytes(dir.resolve("accuracy_vs_time.png"));
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            assertTrue(ReportWriter.table(r).contains("1 d"));
        }
    }

    @Test
    void resultsRecordEveryDeviceParameterByItsKey(@TempDir Path dir) throws Exception {
        String spec = "rram:sigma=0.05,bits=4,g-min=2";
        try (NDManager m = NDManager.newBaseManager()) {
            InferenceExperiment.Config cfg = InferenceExperiment.Config.builder().device(DeviceModels.parse(spec))
                    .times(List.of(1.0)).repeats(1).seed(7).batchSize(64)
                    .tile(TileConfig.builder().tileSize(4, 4).build()).testLimit(20)
                    .compensations(Compensation.NONE).build();
            EvaluationResult r = InferenceExperiment.run("blobs", net(m), blobs(20), null, cfg, null,
                    InferenceExperiment.Progress.NONE, m);
            assertEquals("rram", r.configuration().get("device"));
            // provenance: versions, commit, threads and whether the native kernels ran
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> prov = (java.util.Map<String, Object>) r.configuration().get("provenance");
            assertEquals(List.of("aimcVersion", "gitCommit", "djlVersion", "engine", "threads", "nativeKernels", "java",
                    "os"), List.copyOf(prov.keySet()));
            assertEquals("0.35.0", prov.get("djlVersion"));
            assertTrue(prov.get("engine").toString().startsWith("PyTorch 2.7.1"), prov.get("engine").toString());
            assertEquals(dev.aimc.util.NativeKernels.status(), prov.get("nativeKernels"));
            java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
            p.put("g-min", 2.0);
            p.put("g-max", 100.0);
            p.put("bits", 4);
            p.put("sigma", 0.05);
            p.put("stuck-min", 0.0);
            p.put("stuck-max", 0.0);
            p.put("read-noise", 0.0);
            assertEquals(p, r.configuration().get("deviceParameters"));
            ReportWriter.write(dir, r);
            String json = Files.readString(dir.resolve("results.json")).replaceAll("\\s+", "");
            assertTrue(json.contains("\"deviceParameters\":{\"g-min\":2.0,\"g-max\":100.0,\"bits\":4,"
                    + "\"sigma\":0.05,"), json);
        }
    }

    @Test
    void summaryUsesSampleStd() {
        List<Measurement> ms = List.of(new Measurement("none", 0, 1, 1, 0.8),
                new Measurement("none", 1, 2, 1, 0.9),
                new Measurement("gdc", 0, 1, 1, 0.95));
        List<Summary> s = InferenceExperiment.summarize(ms, List.of("none", "gdc"), List.of(1.0));
        assertEquals(0.85, s.get(0).mean(), 1e-12);
        assertEquals(Math.sqrt(0.005), s.get(0).std(), 1e-12);
        assertEquals(0, s.get(1).std());
    }

    @Test
    void invalidConfigurationNamesTheOption() {
        assertThrows(ConfigException.class, () -> InferenceExperiment.Config.builder().times(List.of(-1.0)).build());
        assertThrows(ConfigException.class, () -> InferenceExperiment.Config.builder().device(null).build());
        assertThrows(ConfigException.class, () -> DeviceModels.parse("nope"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> InferenceExperiment.Config.builder().repeats(0).build());
        assertTrue(e.getMessage().startsWith("--repeats"));
        e = assertThrows(ConfigException.class, () -> Schemes.parse(List.of("magic")));
        assertTrue(e.getMessage().startsWith("--compensation"));
        // the typed defaults: PCM, the standard times, GDC
        InferenceExperiment.Config d = InferenceExperiment.Config.defaults();
        assertEquals("pcm", d.device().name());
        assertEquals(List.of("gdc"), d.compensationNames());
        assertThrows(ConfigException.class, () -> new DeviceModels.Options(Double.NaN, -1, 1, 1));
    }

    @Test
    void timesParseUnitsAndLabels() {
        assertEquals(InferenceExperiment.STANDARD_TIMES, Times.parse("--times", "1,1h,1d,1mo,1y"));
        assertEquals(List.of(0.0, 3600.0), Times.parse("--times", "0, 3600"));
        assertThrows(ConfigException.class, () -> Times.parse("--times", "1,-2"));
        assertThrows(ConfigException.class, () -> Times.parse("--times", "abc"));
        assertEquals("30 d", Times.label(2592000));
        assertEquals("1 y", Times.label(31536000));
    }
}
