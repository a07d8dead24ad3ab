package dev.aimc.spark;

import dev.aimc.util.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The master URLs {@code --spark} accepts, checked before a Spark context is made. */
final class SparkMasters {
    private SparkMasters() {}

    /** The value that takes the master spark-submit set (spark.master) instead of naming one. */
    static final String SUBMIT = "submit";

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,([1-9][0-9]*))?\\])?");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:]+\\]):([0-9]{1,5})");

    /** How long {@link #check} waits for a TCP connection to a standalone master, in milliseconds. */
    static final int CONNECT_TIMEOUT_MS = 5_000;

    /** Whether {@code master} runs the tasks in this JVM (local, local[N], local[N,F]). */
    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * The (host, port) pairs of a standalone master URL, {@code spark://h1:p1,h2:p2}; empty for any other URL.
     */
    static List<InetSocketAddress> standalone(String master) {
        List<InetSocketAddress> out = new ArrayList<>();
        if (!master.startsWith("spark://")) {
            return out;
        }
        for (String hp : master.substring("spark://".length()).split(",", -1)) {
            Matcher m = HOST_PORT.matcher(hp);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65_535) {
                return List.of();
            }
            out.add(InetSocketAddress.createUnresolved(m.group(1).replaceAll("^\\[|\\]$", ""),
                    Integer.parseInt(m.group(2))));
        }
        return out;
    }

    /**
     * Checks {@code master}'s form, and that a standalone master accepts a TCP connection.
     *
     * @param option the option named in messages ("--spark")
     * @param master the value given
     * @throws ConfigException naming the option, the value and the reason
     */
    static void check(String option, String master) {
        String m = master.strip();
        if (isLocal(m) || m.equals(SUBMIT)) {
            return;
        }
        if (m.equals("yarn") || m.startsWith("k8s://") || m.startsWith("mesos://")) {
            throw new ConfigException(option + " " + master + ": submit to YARN or Kubernetes with spark-submit "
                    + "(see the README, Spark section), which sets the master; give " + option + " " + SUBMIT);
        }
        List<InetSocketAddress> hosts = standalone(m);
        if (hosts.isEmpty()) {
            throw new ConfigException(option + " " + master + ": not a Spark master URL (local, local[N], local[*],"
                    + " local[N,F], spark://HOST:PORT or " + SUBMIT + ")");
        }
        String why = null;
        for (InetSocketAddress h : hosts) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(h.getHostString(), h.getPort()), CONNECT_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                why = h.getHostString() + ":" + h.getPort() + " (" + (e.getMessage() == null ? e.toString()
                        : e.getMessage()) + ")";
            }
        }
        throw new ConfigException(option + " " + master + ": cannot reach the master at " + why);
    }
}
