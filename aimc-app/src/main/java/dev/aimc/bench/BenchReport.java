package dev.aimc.bench;

import dev.aimc.util.AtomicFiles;
import dev.aimc.report.Json;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Version;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of one {@code aimc bench} run: the rows plus the machine and its load, as a text table and as
 * JSON (schema below, version {@value #SCHEMA}).
 *
 * <pre>
 * { "schema": 1, "aimcVersion", "timestamp", "quick", "threads", "workloads": [..],
 *   "machine": { "cores", "os", "jvm", "nativeKernels", "loadBefore": [1, 5, 15 min], "loadAfter": [..] },
 *   "results": [ { "workload", "variant", "medianMs", "q1Ms", "q3Ms", "reps", "value", "unit",
 *                  "ratio", "target", "pass", "note" } ] }
 * </pre>
 * Numbers that were not measured are JSON null; {@code pass} is null where there is no target.
 */
public record BenchReport(BenchOptions options, List<BenchRow> rows, double[] loadBefore, double[] loadAfter,
        Instant timestamp) {

    /** Version of the JSON layout. */
    public static final int SCHEMA = 1;

    /** Column headers of the text table. */
    public static final List<String> HEADER =
            List.of("workload", "variant", "median ms", "throughput", "ratio", "target", "pass");

    /**
     * The 1, 5 and 15 minute load averages (/proc/loadavg), or NaNs.
     *
     * @return three values, or three NaNs when /proc/loadavg cannot be read
     */
    public static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new double[] {l, Double.NaN, Double.NaN};
        }
    }

    /**
     * The table as text: a header line, a rule, one line per row, then the notes and the machine line.
     *
     * @return the text, lines separated by '\n'
     */
    public String table() {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER.toArray(new String[0]));
        for (BenchRow r : rows) {
            cells.add(new String[] {r.workload(), r.variant(), num(r.medianMs(), 2), throughput(r), num(r.ratio(), 3),
                r.target(), r.pass() == null ? "-" : r.pass() ? "PASS" : "FAIL"});
        }
        int[] w = new int[HEADER.size()];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                boolean right = i >= 2 && i <= 4;
                String f = "%" + (right ? "" : "-") + w[i] + "s";
                line.append(String.format(Locale.ROOT, f, c[i]));
                if (i < c.length - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                int total = 0;
                for (int x : w) {
                    total += x + 2;
                }
                sb.append("-".repeat(total - 2)).append('\n');
            }
        }
        sb.append('\n');
        for (BenchRow r : rows) {
            if (!r.note().isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%s %s: %s%n", r.workload(), r.variant(), r.note()));
            }
        }
        sb.append(String.format(Locale.ROOT, "machine: %d cores, %d threads, load average %s before, %s after%s%n",
                Runtime.getRuntime().availableProcessors(), options.threads(), load(loadBefore), load(loadAfter),
                options.quick() ? "; QUICK run (few repetitions, not for reporting)" : ""));
        sb.append(String.format(Locale.ROOT, "native kernels: %s%n", NativeKernels.status()));
        return sb.toString();
    }

    private static String throughput(BenchRow r) {
        if (Double.isNaN(r.value())) {
            return "n/a";
        }
        int digits = r.unit().equals("s") ? 3 : r.unit().equals("MiB") ? 1 : 0;
        return num(r.value(), digits) + " " + r.unit();
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    private static String load(double[] l) {
        return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", l[0], l[1], l[2]);
    }

    /**
     * The report as a JSON-ready map (NaN as null).
     *
     * @return an insertion-ordered map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("aimcVersion", Version.get());
        m.put("timestamp", timestamp.toString());
        m.put("quick", options.quick());
        m.put("threads", options.threads());
        m.put("workloads", options.workloads());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("nativeKernels", NativeKernels.status());
        machine.put("loadBefore", nulls(loadBefore));
        machine.put("loadAfter", nulls(loadAfter));
        m.put("machine", machine);
        List<Map<String, Object>> res = new ArrayList<>();
        for (BenchRow r : rows) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("workload", r.workload());
            e.put("variant", r.variant());
            e.put("medianMs", nul(r.medianMs()));
            e.put("q1Ms", nul(r.q1Ms()));
            e.put("q3Ms", nul(r.q3Ms()));
            e.put("reps", r.reps());
            e.put("value", nul(r.value()));
            e.put("unit", r.unit());
            e.put("ratio", nul(r.ratio()));
            e.put("target", r.target());
            e.put("pass", r.pass());
            e.put("note", r.note());
            res.add(e);
        }
        m.put("results", res);
        return m;
    }

    private static Double nul(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static List<Double> nulls(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double d : v) {
            out.add(nul(d));
        }
        return out;
    }

    /**
     * The report as pretty-printed JSON.
     *
     * @return the JSON text
     */
    public String json() {
        try {
            return Json.PRETTY.writeValueAsString(toMap()) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@link #json()} to {@code file} atomically (temporary file and rename).
     *
     * @param file the JSON file to create or replace
     * @throws IOException when writing fails; {@code file} is then unchanged
     */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.writeString(file, json());
    }
}
