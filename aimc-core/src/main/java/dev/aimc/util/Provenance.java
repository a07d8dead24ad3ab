package dev.aimc.util;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a result was computed with, recorded in every {@code results.json}: the aimc version and git commit, the DJL
 * and PyTorch versions, the thread count, whether the native kernels ran, the Java version and the operating system.
 */
public final class Provenance {
    private Provenance() {}

    /** System property the launcher sets to the commit it was built from. */
    public static final String COMMIT_PROPERTY = "aimc.git.commit";

    private static volatile String commit;

    /**
     * The record, in a stable order.
     *
     * @return an insertion-ordered map: versions, git commit, threads, native kernels
     */
    public static Map<String, Object> collect() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("aimcVersion", Version.get());
        m.put("gitCommit", gitCommit());
        m.put("djlVersion", Engine.getDjlVersion());
        m.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        m.put("threads", Parallel.threads());
        m.put("nativeKernels", NativeKernels.status());
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return m;
    }

    /**
     * The git commit: the {@value #COMMIT_PROPERTY} property (set by the {@code aimc} launcher), else {@code git
     * rev-parse HEAD} in the working directory (with "+dirty" when the tree has changes), else "unknown".
     *
     * @return the commit hash, with "+dirty" for a changed tree, or "unknown"
     */
    public static String gitCommit() {
        String c = commit;
        if (c == null) {
            c = System.getProperty(COMMIT_PROPERTY);
            if (c == null || c.isBlank()) {
                c = git("rev-parse", "HEAD");
                if (c != null && !git("status", "--porcelain", "--untracked-files=no").isEmpty()) {
                    c += "+dirty";
                }
            }
            commit = c = c == null || c.isBlank() ? "unknown" : c.strip();
        }
        return c;
    }

    /** The output of a git command, or null when git is missing, fails or takes over 5 s. */
    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
