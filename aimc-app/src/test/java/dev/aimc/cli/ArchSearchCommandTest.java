package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimc.nn.uniform.MlpDesign;
import dev.aimc.report.ArchSearchReport;
import dev.aimc.search.ParetoEvolution;
import dev.aimc.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aimc arch-search: one-line errors, a tiny seeded search on HAR (needs AIMC_DATA) and one of LeNet-5 on the embedded
 * MNIST subset that repeat exactly.
 */
class ArchSearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void badInputIsOneLineNamingTheOption() throws Exception {
        String out = dir.resolve("o").toString();
        assertTrue(CliRun.of("arch-search", "--out", out, "--budget", "0").badInput("--budget"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--sign-modes", "+,x")
                .badInput("--sign-modes must be +, - or bipolar, got x"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--sign-modes", "+,+").badInput("--sign-modes"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--objective", "speed")
                .badInput("--objective must be area or energy, got speed"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--widths", "").badInput("--widths"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "vgg")
                .badInput("--network must be mlp or lenet5, got vgg"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--dataset", "har265")
                .badInput("--dataset har265 does not fit --network lenet5"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--dataset", "cifar10")
                .badInput("--dataset cifar10 does not fit --network mlp"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--widths", "16")
                .badInput("--widths is not an option of --network lenet5"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--fc-widths", "16")
                .badInput("--fc-widths is not an option of --network mlp"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--conv-widths", "0,6")
                .badInput("--conv-widths"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--fc-widths", "")
                .badInput("--fc-widths"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--train-limit", "-1")
                .badInput("--train-limit"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--dataset", "mnist-subset",
                "--baseline", "6,16,120").badInput("--baseline must give 4 widths"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--network", "lenet5", "--dataset", "mnist-subset",
                "--baseline", "6,16,120,100").badInput("--baseline width 4 must be one of the searched widths"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--final-qat-lr", "0").badInput("--final-qat-lr"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--final-fp-lr", "-1").badInput("--final-fp-lr"));
        assertTrue(CliRun.of("arch-search", "--out", out, "--final-one-signed")
                .badInput("--final-one-signed trains a design in full: it needs --final-epochs N > 0"));
        Files.createDirectories(dir.resolve("o"));
        Files.writeString(dir.resolve("o").resolve(ArchSearchCommand.JSON), "{}");
        assertTrue(CliRun.of("arch-search", "--out", out).badInput("already holds search.json"));
        Path o2 = dir.resolve("o2");
        Files.createDirectories(o2.resolve("chosen"));
        Files.writeString(o2.resolve("chosen").resolve(dev.aimc.train.Checkpoint.META), "{}");
        assertTrue(CliRun.of("arch-search", "--out", o2.toString(), "--final-epochs", "1")
                .badInput("already holds the checkpoint chosen"));
    }

    @Test
    void theOneSignedDesignIsTheMostAccurateWithAOneSignedLayer() {
        java.util.function.BiFunction<String, Double, ParetoEvolution.Evaluated<MlpDesign>> ev = (signs, acc) ->
                new ParetoEvolution.Evaluated<>(signs, new MlpDesign(8, new int[] {4, 4}, 2, signs),
                        new ParetoEvolution.Score(1, acc), 0, 0);
        var bipolarBest = ev.apply("000", 0.9);
        var plusFirst = ev.apply("+00", 0.7);
        var minusLast = ev.apply("00-", 0.8);
        var tie = ev.apply("0+0", 0.8);
        assertEquals(minusLast, ArchSearchCommand.mostAccurateOneSigned(
                java.util.List.of(bipolarBest, plusFirst, minusLast, tie)).orElseThrow(),
                "the bipolar design is more accurate but has no one-signed layer; on a tie the earlier wins");
        assertTrue(ArchSearchCommand.mostAccurateOneSigned(java.util.List.of(bipolarBest)).isEmpty());
    }

    @Test
    void tinySearchOnHarIsReproducibleAndWritesItsReport() throws Exception {
        assumeTrue(System.getenv("AIMC_DATA") != null, "AIMC_DATA not set: HAR data needed");
        String[] args = {"arch-search", "--dataset", "har265", "--budget", "3", "--population", "2", "--seed", "3",
            "--widths", "16,32", "--baseline", "32,16", "--proxy-fp-epochs", "1", "--proxy-qat-epochs", "1",
            "--val-limit", "500"};
        JsonNode[] docs = twice("run", "har265 (265 features, 6 classes)", args);
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("run" + i);
            assertTrue(Files.size(out.resolve(ArchSearchReport.AREA_PNG)) > 0);
            assertTrue(Files.size(out.resolve(ArchSearchReport.ENERGY_PNG)) > 0);
            assertTrue(Files.readString(out.resolve(ArchSearchReport.HTML)).contains("har265 (265 features)"));
        }
        JsonNode c = docs[0].get("candidates");
        assertEquals(3, c.size());
        assertEquals("265-32-16-6 000", c.get(0).get("design").asText(), "the baseline first");
        assertEquals("265-32-16-6 000", docs[0].get("baseline").asText());
        // the chosen design is within the tolerance of the best and the cheapest such
        double best = 0;
        for (JsonNode n : c) {
            best = Math.max(best, n.get("validationAccuracy").asDouble());
        }
        for (JsonNode n : c) {
            if (n.get("design").asText().equals(docs[0].get("chosen").asText())) {
                assertTrue(n.get("validationAccuracy").asDouble() >= best - 0.01);
            }
        }
    }

    @Test
    void tinyLenetSearchOnTheEmbeddedMnistSubsetIsReproducible() throws Exception {
        String[] args = {"arch-search", "--network", "lenet5", "--dataset", "mnist-subset", "--budget", "2",
            "--population", "2", "--seed", "1", "--conv-widths", "4,6,16", "--fc-widths", "32,84,120",
            "--proxy-fp-epochs", "1", "--proxy-qat-epochs", "1", "--train-limit", "256", "--val-limit", "128"};
        JsonNode[] docs = twice("lenet", "arch-search of lenet5 on mnist-subset (1x28x28 images, 10 classes): 256 "
                + "training / 128 validation images", args);
        JsonNode c = docs[0].get("candidates");
        assertEquals(2, c.size());
        assertEquals("lenet5 6-16-120-84 00000", c.get(0).get("design").asText(), "LeNet-5, all bipolar, first");
        assertEquals(5, c.get(1).get("signs").asText().length());
        assertEquals(4, c.get(1).get("widths").size());
        assertEquals(256, docs[0].get("settings").get("trainLimit").asInt());
    }

    @Test
    void aDivergedCandidateScoresZeroAndTheSearchGoesOn() throws Exception {
        Path out = dir.resolve("nan");
        CliRun r = CliRun.of("arch-search", "--network", "lenet5", "--dataset", "mnist-subset", "--budget", "2",
                "--population", "2", "--conv-widths", "6,16", "--fc-widths", "84,120", "--proxy-fp-lr", "1e12",
                "--train-limit", "128", "--val-limit", "64", "--proxy-fp-epochs", "2", "--proxy-qat-epochs", "1",
                "--out", out.toString()); // one step per epoch: the loss of the second is NaN
        assertEquals(0, r.code(), r + "\n" + r.out());
        assertTrue(r.out().contains("diverged, scored 0: training diverged"), r.out());
        JsonNode c = Json.PRETTY.readTree(out.resolve(ArchSearchCommand.JSON).toFile()).get("candidates");
        assertEquals(2, c.size());
        assertEquals(0.0, c.get(0).get("validationAccuracy").asDouble(), 0.0);
        assertTrue(c.get(0).get("diverged").asText().startsWith("training diverged"), c.toString());
    }

    /**
     * Runs a search twice into OUT/prefix0 and OUT/prefix1, checks that both printed {@code says} and found the same
     * candidates with the same accuracies and costs, and returns both search.json documents.
     */
    private JsonNode[] twice(String prefix, String says, String... args) throws Exception {
        JsonNode[] docs = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve(prefix + i);
            String[] a = java.util.Arrays.copyOf(args, args.length + 2);
            a[args.length] = "--out";
            a[args.length + 1] = out.toString();
            CliRun r = CliRun.of(a);
            assertEquals(0, r.code(), r + "\n" + r.out());
            assertTrue(r.out().contains(says), r.out());
            docs[i] = Json.PRETTY.readTree(out.resolve(ArchSearchCommand.JSON).toFile());
        }
        JsonNode c = docs[0].get("candidates");
        assertEquals(c.size(), docs[1].get("candidates").size());
        for (int k = 0; k < c.size(); k++) {
            JsonNode d = docs[1].get("candidates").get(k);
            assertEquals(c.get(k).get("design"), d.get("design"));
            assertEquals(c.get(k).get("validationAccuracy").asDouble(), d.get("validationAccuracy").asDouble(), 0.0,
                    "same seed, same run");
            assertEquals(c.get(k).get("energyPj").asDouble(), d.get("energyPj").asDouble(), 0.0);
            assertEquals(c.get(k).get("areaUm2").asDouble(), d.get("areaUm2").asDouble(), 0.0);
        }
        return docs;
    }
}
