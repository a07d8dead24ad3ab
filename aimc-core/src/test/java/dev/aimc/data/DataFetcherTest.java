package dev.aimc.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aimc.util.DataFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {
    @TempDir
    Path tmp;

    static String hash(String algo, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(b));
    }

    static List<Path> allFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void fetchesIdxFilesAndRejectsCorruptOnes() throws Exception {
        Path src = Fixtures.mnist(tmp.resolve("src"), true);
        Path data = tmp.resolve("data");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LocalServer srv = new LocalServer()) {
            List<DataFetcher.Remote> remotes = new ArrayList<>();
            for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
                byte[] b = Files.readAllBytes(src.resolve(f));
                srv.files.put("/m/" + f, b);
                remotes.add(new DataFetcher.Remote(f, hash("MD5", b)));
            }
            DataFetcher.Source s = new DataFetcher.Source("mnist", srv.url() + "/m/", remotes, DataFetcher.Kind.IDX);
            Path folder = new DataFetcher(new PrintStream(err, true)).fetch(s, data, null);
            assertEquals(data.resolve("mnist"), folder);
            assertEquals(20, DataSets.load(data, "mnist", Split.TRAIN).size());
            assertEquals(10, DataSets.load(data, "mnist", Split.TEST).size());
            assertTrue(err.toString().contains("t10k-images-idx3-ubyte.gz"), err.toString());
            assertTrue(Files.readString(folder.resolve("FETCHED.txt")).contains("verified md5"));

            // corrupted download: one byte changed
            Path data2 = tmp.resolve("data2");
            byte[] bad = srv.files.get("/m/t10k-labels-idx1-ubyte.gz").clone();
            bad[bad.length / 2] ^= 1;
            srv.files.put("/m/t10k-labels-idx1-ubyte.gz", bad);
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> new DataFetcher(null).fetch(s, data2, null));
            assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz") && e.getMessage().contains("md5 mismatch")
                    && e.getMessage().contains(remotes.get(3).md5()), e.getMessage());
            assertFalse(Files.exists(data2.resolve("mnist/t10k-labels-idx1-ubyte.gz")));
            for (Path p : allFiles(data2)) {
                assertFalse(p.getFileName().toString().endsWith(".part"), p.toString());
                assertFalse(p.getFileName().toString().startsWith("t10k-labels"), p.toString());
            }
            // missing file on the server
            srv.files.remove("/m/t10k-labels-idx1-ubyte.gz");
            IOException io = assertThrows(IOException.class, () -> new DataFetcher(null).fetch(s, data2, null));
            assertTrue(io.getMessage().contains("HTTP status 404"), io.getMessage());
        }
    }

    /** A POSIX ustar archive, gzip-compressed, of {@code top/} and the files of {@code dir}. */
    static byte[] tarGz(Path dir, String top) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tarHeader(top + "/", 0, '5'));
        for (Path p : allFiles(dir)) {
            byte[] d = Files.readAllBytes(p);
            b.write(tarHeader(top + "/" + p.getFileName(), d.length, '0'));
            b.write(d);
            b.write(new byte[(512 - d.length % 512) % 512]);
        }
        b.write(new byte[1024]);
        return Fixtures.gzip(b.toByteArray());
    }

    static byte[] tarHeader(String name, long size, char type) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        put(h, 263, "00");
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xFF;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void fetchesCifarTarGz() throws Exception {
        byte[] tgz = tarGz(Fixtures.cifar(tmp.resolve("src"), false), "cifar-10-batches-bin");
        Path data = tmp.resolve("data");
        try (LocalServer srv = new LocalServer()) {
            srv.files.put("/cifar-10-binary.tar.gz", tgz);
            DataFetcher.Source s = new DataFetcher.Source("cifar10", srv.url(),
                    List.of(new DataFetcher.Remote("cifar-10-binary.tar.gz", hash("MD5", tgz))),
                    DataFetcher.Kind.CIFAR_TAR);
            new DataFetcher(null).fetch(s, data, null);
            assertEquals(15, DataSets.load(data, "cifar10", Split.TRAIN).size());
            assertEquals(4, DataSets.load(data, "cifar10", Split.TEST).size());
            // second fetch replaces the folder; archive is removed
            new DataFetcher(null).fetch(s, data, null);
            assertEquals(List.of("FETCHED.txt", "cifar-10-batches-bin"),
                    Files.list(data.resolve("cifar10")).map(p -> p.getFileName().toString()).sorted().toList());
            // the publisher's source with the real MD5 rejects this archive
            DataFormatException e = assertThrows(DataFormatException.class, () -> new DataFetcher(null)
                    .fetch(DataFetcher.source("cifar10").withBaseUrl(srv.url()), tmp.resolve("d3"), null));
            assertTrue(e.getMessage().contains("c32a1d4ab5d03f1284b67883e8d87530"), e.getMessage());
            assertEquals(List.of(), allFiles(tmp.resolve("d3")));
            // a truncated archive with a matching checksum: error naming the archive, nothing left
            byte[] cut = java.util.Arrays.copyOf(tgz, tgz.length - 100);
            srv.files.put("/cifar-10-binary.tar.gz", cut);
            DataFetcher.Source s2 = new DataFetcher.Source("cifar10", srv.url(),
                    List.of(new DataFetcher.Remote("cifar-10-binary.tar.gz", hash("MD5", cut))),
                    DataFetcher.Kind.CIFAR_TAR);
            DataFormatException t = assertThrows(DataFormatException.class,
                    () -> new DataFetcher(null).fetch(s2, tmp.resolve("d4"), null));
            assertTrue(t.getMessage().contains("download-cifar10.tar.gz"), t.getMessage());
            assertEquals(List.of(), allFiles(tmp.resolve("d4")));
        }
    }

    static byte[] zip(Path dir, String top) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("__MACOSX/._junk"));
            z.write(1);
            for (Path p : allFiles(dir)) {
                z.putNextEntry(new ZipEntry(top + "/" + dir.relativize(p).toString().replace('\\', '/')));
                z.write(Files.readAllBytes(p));
            }
        }
        return b.toByteArray();
    }

    @Test
    void fetchesHarZipIncludingTheNestedUciWrapper() throws Exception {
        byte[] inner = zip(Fixtures.har(tmp.resolve("src"), 6, 4), "UCI HAR Dataset");
        ByteArrayOutputStream ob = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(ob)) {
            z.putNextEntry(new ZipEntry("UCI HAR Dataset.names"));
            z.write("names".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("UCI HAR Dataset.zip"));
            z.write(inner);
        }
        byte[] outer = ob.toByteArray();
        String file = "human+activity+recognition+using+smartphones.zip";
        Path data = tmp.resolve("data");
        try (LocalServer srv = new LocalServer()) {
            srv.files.put("/uci/" + file, outer);
            DataFetcher.Source s = DataFetcher.source("har").withBaseUrl(srv.url() + "/uci");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            new DataFetcher(new PrintStream(err, true)).fetch(s, data, null);
            assertTrue(err.toString().contains("unverified") && err.toString().contains(hash("SHA-256", outer)));
            assertEquals(6, DataSets.load(data, "har", Split.TRAIN).size());
            assertEquals(4, DataSets.load(data, "har-signals", Split.TEST).size());
            // pinned sha256: good passes, wrong fails and leaves nothing
            new DataFetcher(null).fetch(s, tmp.resolve("d2"), hash("SHA-256", outer));
            String wrong = "0".repeat(64);
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> new DataFetcher(null).fetch(s, tmp.resolve("d3"), wrong));
            assertTrue(e.getMessage().contains("sha256 mismatch") && e.getMessage().contains(file), e.getMessage());
            assertEquals(List.of(), allFiles(tmp.resolve("d3")));
            // a corrupt (truncated) zip with a matching checksum: error naming the archive, nothing left
            byte[] cut = java.util.Arrays.copyOf(outer, outer.length / 3);
            srv.files.put("/uci/" + file, cut);
            Path d4 = tmp.resolve("d4");
            DataFormatException z = assertThrows(DataFormatException.class,
                    () -> new DataFetcher(null).fetch(s, d4, hash("SHA-256", cut)));
            assertTrue(z.getMessage().contains("zip"), z.getMessage());
            assertEquals(List.of(), allFiles(d4));
        }
    }
}
