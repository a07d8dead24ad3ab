package dev.aimc.data;

import dev.aimc.util.AtomicFiles;
import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Downloads a data set from its publisher with {@link HttpClient}: progress on stderr, checksum verification,
 * write to a temporary file then atomic rename, unpacking of archives, and a final read of the result.
 *
 * <p>IDX ".gz" files stay as published (the readers read gzip); the CIFAR-10 tar.gz is unpacked with a small
 * built-in tar reader and the UCI HAR zip with {@code java.util.zip} (see {@link Unpack}). Each fetch writes
 * {@code FETCHED.txt} (URLs, checksums, whether verified) into the data set's folder.
 */
public final class DataFetcher {
    /** How the downloaded files become the data set folder. */
    public enum Kind {
        /** Gzip-compressed IDX files, kept as downloaded in {@code <dataDir>/<name>/}. */
        IDX,
        /** The CIFAR-10 binary tar.gz, unpacked to {@code <dataDir>/cifar10/cifar-10-batches-bin/}. */
        CIFAR_TAR,
        /** The UCI HAR zip, unpacked to {@code <dataDir>/har/UCI HAR Dataset/}. */
        HAR_ZIP
    }

    /**
     * A file to download.
     *
     * @param file name under the base URL (and on disk for {@link Kind#IDX})
     * @param md5 the publisher's MD5 in hex, or null when none is known
     */
    public record Remote(String file, String md5) {}

    /**
     * Where and what to download.
     *
     * @param name data set name ("mnist", "fashion-mnist", "cifar10", "har")
     * @param baseUrl URL the files are under, without trailing slash
     * @param files the files
     * @param kind how to install them
     */
    public record Source(String name, String baseUrl, List<Remote> files, Kind kind) {
        /**
         * Drops a trailing slash of the base URL.
         *
         * @param name data set name ("mnist", "fashion-mnist", "cifar10", "har")
         * @param baseUrl URL the files are under; a trailing slash is dropped
         * @param files the files (copied)
         * @param kind how to install them
         */
        public Source {
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            files = List.copyOf(files);
        }

        /**
         * The same source served from another base URL (a mirror, or a local test server).
         *
         * @param url the new base URL, e.g. "http://127.0.0.1:8123/mnist"
         * @return a source with the same files and kind
         */
        public Source withBaseUrl(String url) {
            return new Source(name, url, files, kind);
        }
    }

    private final HttpClient client;
    private final PrintStream progress;

    /**
     * A fetcher reporting progress on {@code progress} (null: silent).
     *
     * @param progress receives one line per file and download progress, or null
     */
    public DataFetcher(PrintStream progress) {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build(), progress);
    }

    /**
     * A fetcher using {@code client}.
     *
     * @param client the HTTP client used for every download (tests pass one for a local server)
     * @param progress receives one line per file and download progress, or null
     */
    public DataFetcher(HttpClient client, PrintStream progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * The publisher's source of a data set: MNIST from the PyTorch mirror of LeCun et al.'s files
     * (yann.lecun.com is often unavailable), Fashion-MNIST from Zalando's S3 bucket, CIFAR-10 from the University of
     * Toronto, UCI HAR from the UCI Machine Learning Repository. MD5s are the publishers' (MNIST as torchvision).
     *
     * @param name "mnist", "fashion-mnist", "cifar10" or "har"
     * @return the base URL, files with their MD5 where published, and how to install them
     * @throws ConfigException for any other name
     */
    public static Source source(String name) {
        switch (name == null ? "" : name) {
            case "mnist": return new Source(name, "https://ossci-datasets.s3.amazonaws.com/mnist", List.of(
                    new Remote("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    new Remote("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                    new Remote("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                    new Remote("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")), Kind.IDX);
            case "fashion-mnist": return new Source(name,
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com", List.of(
                    new Remote("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    new Remote("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    new Remote("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    new Remote("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")), Kind.IDX);
            case "cifar10": return new Source(name, "https://www.cs.toronto.edu/~kriz", List.of(
                    new Remote("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530")), Kind.CIFAR_TAR);
            case "har": return new Source(name, "https://archive.ics.uci.edu/static/public/240", List.of(
                    new Remote("human+activity+recognition+using+smartphones.zip", null)), Kind.HAR_ZIP);
            default: throw new ConfigException("data set to fetch must be one of mnist, fashion-mnist, cifar10, har"
                    + " (har includes har-signals; mnist-subset is embedded), got " + name);
        }
    }

    /**
     * Downloads and installs {@code src} under {@code dataDir}, then reads it back; returns the data set folder.
     *
     * @param sha256 expected SHA-256 (hex) of a single-file source, or null; checked in addition to any MD5
     * @param src what to download
     * @param dataDir the data directory; the set goes to its {@link DataSets#folder}, written atomically
     * @return the data set folder under {@code dataDir}
     * @throws IOException when a download fails or a file cannot be written
     */
    public Path fetch(Source src, Path dataDir, String sha256) throws IOException {
        if (sha256 != null && (src.files().size() != 1 || !sha256.matches("(?i)[0-9a-f]{64}"))) {
            throw new ConfigException("--sha256 must be 64 hex digits, for a data set of one file, got " + sha256);
        }
        Path root = dataDir.resolve(src.name());
        Files.createDirectories(root);
        StringBuilder record = new StringBuilder("# fetched " + Instant.now() + "\n");
        for (Remote r : src.files()) {
            String url = src.baseUrl() + "/" + r.file();
            Path target = root.resolve(src.kind() == Kind.IDX ? r.file() : "download-" + src.name() + ext(r.file()));
            String[] sums = download(url, target, r.md5(), sha256);
            String verified = r.md5() != null ? "verified md5" : sha256 != null ? "verified sha256"
                    : "unverified (publisher gives no checksum)";
            record.append(url).append(" md5 ").append(sums[0]).append(" sha256 ").append(sums[1]).append(' ')
                    .append(verified).append('\n');
            if (r.md5() == null && sha256 == null) {
                say("sha256 " + sums[1] + " of " + url + ": unverified (publisher gives no checksum; pin it with"
                        + " --sha256)");
            }
            if (src.kind() != Kind.IDX) {
                try {
                    Unpack.install(target, root, src.kind());
                } finally {
                    Files.deleteIfExists(target);
                }
            }
        }
        String dsName = src.name();
        Path folder = DataSets.folder(dataDir, dsName);
        AtomicFiles.writeString(root.resolve("FETCHED.txt"), record.toString());
        DataStatus st = DataSets.status(dataDir, dsName, true);
        if (st.state() != DataStatus.State.VALID) {
            throw new DataFormatException(folder + ": fetched files do not form a valid " + dsName + " data set: "
                    + st.reason());
        }
        say(dsName + ": " + st.train() + " training and " + st.test() + " test samples in " + folder);
        return folder;
    }

    /** Downloads {@code url} to {@code target} via a temporary file, checking the MD5/SHA-256 given; returns both. */
    String[] download(String url, Path target, String md5, String sha256) throws IOException {
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted");
        } catch (IOException e) {
            throw new IOException(url + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
                    e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("URL must be a valid http(s) URL, got " + url);
        }
        Path tmp = dev.aimc.util.AtomicFiles.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        boolean ok = false;
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException(url + ": HTTP status " + resp.statusCode());
            }
            long total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            MessageDigest m5 = digest("MD5");
            MessageDigest s256 = digest("SHA-256");
            long n = 0;
            long last = 0;
            byte[] buf = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(tmp)) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    out.write(buf, 0, k);
                    m5.update(buf, 0, k);
                    s256.update(buf, 0, k);
                    n += k;
                    long now = System.nanoTime();
                    if (now - last > 250_000_000L) {
                        last = now;
                        show(target.getFileName().toString(), n, total, false);
                    }
                }
            }
            show(target.getFileName().toString(), n, total, true);
            if (total >= 0 && n != total) {
                throw new IOException(url + ": truncated download, " + n + " of " + total + " bytes");
            }
            String gotMd5 = HexFormat.of().formatHex(m5.digest());
            String gotSha = HexFormat.of().formatHex(s256.digest());
            check(url, "md5", md5, gotMd5);
            check(url, "sha256", sha256, gotSha);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ok = true;
            return new String[] {gotMd5, gotSha};
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void check(String url, String algo, String expected, String got) {
        if (expected != null && !expected.equalsIgnoreCase(got)) {
            throw new DataFormatException(url + ": " + algo + " mismatch: expected " + expected.toLowerCase(Locale.ROOT)
                    + ", got " + got + " (download deleted)");
        }
    }

    private void show(String file, long n, long total, boolean done) {
        if (progress == null) {
            return;
        }
        String s = total > 0
                ? String.format(Locale.ROOT, "\r%s: %.1f / %.1f MB (%d%%)", file, n / 1e6, total / 1e6, 100 * n / total)
                : String.format(Locale.ROOT, "\r%s: %.1f MB", file, n / 1e6);
        progress.print(done ? s + "\n" : s);
        progress.flush();
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
        }
    }

    private static String ext(String file) {
        return file.endsWith(".tar.gz") ? ".tar.gz" : file.endsWith(".zip") ? ".zip" : "";
    }

    private static MessageDigest digest(String algo) {
        try {
            return MessageDigest.getInstance(algo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
