package dev.aimc.spark;

import static dev.aimc.spark.SparkTestSupport.ROOT;
import static dev.aimc.spark.SparkTestSupport.aimc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Spark standalone cluster on the loopback interface: a master and two workers (one core each), each a
 * separate JVM started as {@code java -cp <this module's class path> org.apache.spark.deploy.master.Master} or
 * {@code ...deploy.worker.Worker}, as {@code ./aimc spark-master} and {@code ./aimc spark-worker} start them. The
 * workers launch their executors from the same class path (SPARK_DIST_CLASSPATH), so no Spark download is needed.
 * <ol>
 *   <li>a worker with too little memory for an executor: one-line error naming --spark, exit 2, nothing written;</li>
 *   <li>{@code aimc evaluate --spark spark://127.0.0.1:PORT}: results bit-identical to the in-process run;</li>
 *   <li>the same job with one worker (and its executor) killed after the first chip is done: Spark runs the lost
 *       task again on the other worker, and the results are bit-identical still;</li>
 *   <li>{@code aimc quant-search --spark spark://127.0.0.1:PORT}: the search's job (checkpoint, images, settings)
 *       serialized to an executor JVM, the candidates equal to the in-process search, timing aside.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    private static final Path DIR = ROOT.resolve("cluster");
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static String classPath;
    private static String master;
    private static int masterPort;

    private static void log(String line) {
        System.out.println("cluster test: " + line);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** java -cp CLASSPATH MAIN ARGS, with Spark's JVM options, logging to DIR/NAME.log. */
    private static Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classPath));
        cmd.addAll(List.of(System.getProperty("aimc.spark.jvmOptions", "").strip().split("\\s+")));
        cmd.add("-Dlog4j2.configurationFile=" + Path.of("target", "test-classes", "cluster-log4j2.properties")
                .toAbsolutePath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(DIR.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", DIR.resolve("spark-home").toAbsolutePath().toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_DIST_CLASSPATH", classPath); // the executors' class path
        env.remove("MALLOC_ARENA_MAX"); // the executors get it from the driver (spark.executorEnv)
        Process p = pb.start();
        PROCESSES.add(p);
        log("started " + name + " (pid " + p.pid() + "): " + mainClass.substring(mainClass.lastIndexOf('.') + 1)
                + " " + String.join(" ", args));
        return p;
    }

    private static Process worker(String name, String memory) throws IOException {
        return start(name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                "--memory", memory, "--webui-port", String.valueOf(freePort()), "--work-dir",
                DIR.resolve(name + "-work").toAbsolutePath().toString(), master);
    }

    /** Waits until the master's log says {@code count} workers have registered. */
    private static void awaitWorkers(int count) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < until) {
            long n = Files.readAllLines(DIR.resolve("master.log")).stream()
                    .filter(l -> l.contains("Registering worker")).count();
            if (n >= count) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("workers did not register with the master within 90 s");
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly); // its executor JVM too
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeAll
    static void startMaster() throws Exception {
        SparkTestSupport.deleteTree(DIR);
        Files.createDirectories(DIR.resolve("spark-home/jars"));
        Files.writeString(DIR.resolve("spark-home/RELEASE"), "aimc test cluster: Spark jars from Maven\n");
        // aimc-app as its classes folder: its packaged aimc.jar's manifest would add aimc-app/target/lib
        String deps = Files.readString(Path.of("target", "classpath.txt")).strip().replaceAll(
                "[^" + File.pathSeparator + "]*aimc-app[/\\\\]target[/\\\\]aimc\\.jar",
                Path.of("..", "aimc-app", "target", "classes").toAbsolutePath().normalize().toString()
                        .replace("\\", "\\\\"));
        classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + deps;
        SparkTestSupport.checkpoint();
        masterPort = freePort();
        master = "spark://127.0.0.1:" + masterPort;
        start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", masterPort), 1000);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("the master did not listen on " + masterPort + " within 60 s");
                }
                Thread.sleep(250);
            }
        }
        log("master up at " + master);
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : PROCESSES) {
            kill(p);
        }
        log("cluster stopped");
    }

    /** MALLOC_ARENA_MAX in the environment of a running process (Linux /proc), "unset" when absent. */
    private static String mallocArenas(ProcessHandle p) {
        try {
            for (String kv : new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (kv.startsWith("MALLOC_ARENA_MAX=")) {
                    return kv.substring(kv.indexOf('=') + 1);
                }
            }
            return "unset";
        } catch (java.io.IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    @Test
    @Order(1)
    void aWorkerWithoutTheMemoryForAnExecutorIsOneLineAndWritesNothing() throws Exception {
        Process small = worker("worker-small", "300m"); // an executor asks for spark.executor.memory 1g
        awaitWorkers(1);
        Path out = DIR.resolve("out-small");
        String before = System.getProperty("aimc.spark.wait");
        System.setProperty("aimc.spark.wait", "10");
        try {
            SparkTestSupport.Run r = aimc(SparkTestSupport.evaluate(out, 2, 100, "--spark", master));
            log("worker with 300 MB: exit " + r.code() + ", " + r.err().strip());
            r.assertBadInput("--spark " + master, "no executor started within 10 s", "memory");
            assertFalse(Files.exists(out), "nothing written");
        } finally {
            if (before == null) {
                System.clearProperty("aimc.spark.wait");
            } else {
                System.setProperty("aimc.spark.wait", before);
            }
            kill(small);
        }
    }

    @Test
    @Order(2)
    void aClusterRunEqualsTheInProcessRunAndSoDoesOneThatLosesAWorker() throws Exception {
        Process w1 = worker("worker-1", "1500m");
        worker("worker-2", "1500m");
        awaitWorkers(3); // the small worker of the first test registered too
        Path inProcess = DIR.resolve("out-in-process");
        int chips = 6;
        long t0 = System.nanoTime();
        SparkTestSupport.Run in = aimc(SparkTestSupport.evaluate(inProcess, chips, 400));
        assertEquals(0, in.code(), in.err());
        log(String.format("in-process run: %d chips in %.1f s", chips, (System.nanoTime() - t0) / 1e9));

        Path cluster = DIR.resolve("out-cluster");
        t0 = System.nanoTime();
        SparkTestSupport.Run c = aimc(SparkTestSupport.evaluate(cluster, chips, 400, "--spark", master));
        assertEquals(0, c.code(), c.err());
        SparkTestSupport.assertSameResults(inProcess, cluster);
        log(String.format("cluster run on 2 workers: %d chips in %.1f s, results.json equal to the in-process run,"
                + " bit for bit", chips, (System.nanoTime() - t0) / 1e9));

        Path failed = DIR.resolve("out-worker-killed");
        int doneBefore = SparkJobs.TASKS_DONE.get();
        CompletableFuture<SparkTestSupport.Run> job = CompletableFuture.supplyAsync(
                () -> {
                    dev.aimc.train.TrainRun.prepareThread(1); // the driver on a pool thread, not the engine's first
                    return aimc(SparkTestSupport.evaluate(failed, chips, 400, "--spark", master));
                });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (SparkJobs.TASKS_DONE.get() == doneBefore && !job.isDone() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertFalse(job.isDone(), "the job ended before a worker could be killed: " + (job.isDone() ? job.get()
                : ""));
        assertFalse(Files.exists(failed.resolve("results.json")), "nothing written while tasks are running");
        List<String> arenas = w1.descendants().map(SparkClusterTest::mallocArenas).toList();
        assertFalse(arenas.isEmpty(), "worker-1 has started its executor");
        String arena = java.util.Objects.requireNonNullElse(System.getenv("MALLOC_ARENA_MAX"), "1");
        assertEquals(List.of(arena), arenas.stream().distinct().toList(), "MALLOC_ARENA_MAX of worker-1's executor");
        log("worker-1's executor runs with MALLOC_ARENA_MAX=" + arena + " (spark.executorEnv, from the driver)");
        log("first chip done; killing worker-1 (pid " + w1.pid() + ") and its executor in the middle of the job");
        kill(w1);
        SparkTestSupport.Run f = job.get(300, TimeUnit.SECONDS);
        assertEquals(0, f.code(), f.err());
        SparkTestSupport.assertSameResults(inProcess, failed);
        log("run with worker-1 killed mid-job: lost task(s) run again on worker-2; results.json equal to the "
                + "in-process run, bit for bit");
    }

    @Test
    @Order(3)
    void aSearchOnTheClusterEqualsTheInProcessSearch() throws Exception {
        List<String> args = List.of("quant-search", "--checkpoint", SparkTestSupport.checkpoint().toString(),
                "--sigma", "0.3", "--chips", "2", "--val-limit", "300", "--max-evaluations", "3", "--test-limit", "50",
                "--seed", "4", "--threads", "1", "--json");
        Path in = DIR.resolve("quant-in-process.json");
        SparkTestSupport.Run a = aimc(concat(args, in.toString()));
        assertEquals(0, a.code(), a.err());
        Path cl = DIR.resolve("quant-cluster.json");
        long t0 = System.nanoTime();
        SparkTestSupport.Run b = aimc(concat(args, cl.toString(), "--spark", master));
        assertEquals(0, b.code(), b.err());
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(SparkSearchTest.withoutTiming(om.readTree(in.toFile())),
                SparkSearchTest.withoutTiming(om.readTree(cl.toFile())));
        log(String.format("quant-search on the cluster (worker-2): 3 candidates and the test evaluation in %.1f s, "
                + "equal to the in-process search", (System.nanoTime() - t0) / 1e9));
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }
}
