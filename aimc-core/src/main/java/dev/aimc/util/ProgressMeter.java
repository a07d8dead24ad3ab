package dev.aimc.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long loop (training steps, evaluations) on stderr, in one of two forms:
 *
 * <ul>
 *   <li><b>terminal</b>: one line redrawn with a carriage return, fitted to the terminal width: task, bar,
 *       percentage, count, elapsed time, then the latest message, cut at the right edge; the bar keeps at least
 *       {@value #MIN_BAR} characters and is dropped before the figures are cut;</li>
 *   <li><b>log</b> (stderr redirected to a file or pipe): no carriage returns; one line per group of steps (every
 *       tenth of the total) and one at the end, so a log gets about ten lines per loop.</li>
 * </ul>
 *
 * <p>The {@code aimc} launcher tells the JVM whether stderr is a terminal ({@code -Daimc.stderr.tty=true|false})
 * and its width ({@code -Daimc.columns=N}); without them the meter assumes a log unless a console is attached, and
 * 80 columns (or {@code $COLUMNS}).
 */
public final class ProgressMeter implements AutoCloseable {
    /** Narrowest bar drawn, characters between the brackets. */
    public static final int MIN_BAR = 10;

    private static final ProgressMeter OFF = new ProgressMeter(null, "", 0, "", false, 80);

    private final PrintStream out;
    private final String task;
    private long total;
    private final String unit;
    private final boolean terminal;
    private final int columns;
    private final long startNanos = System.nanoTime();
    private long done;
    private String message = "";
    private long lastDrawNanos;
    private long nextLogStep;
    private boolean closed;

    private ProgressMeter(PrintStream out, String task, long total, String unit, boolean terminal, int columns) {
        this.out = out;
        this.task = task;
        this.total = Math.max(0, total);
        this.unit = unit;
        this.terminal = terminal;
        this.columns = Math.max(20, columns);
        this.nextLogStep = logGroup();
    }

    /**
     * A meter on stderr, terminal or log form as detected; a no-op when {@code enabled} is false.
     *
     * @param total steps expected (0: unknown)
     * @param unit what a step is, plural ("steps", "evaluations")
     * @param task the label, e.g. "train"
     * @param enabled false returns a meter that shows nothing
     * @return the meter
     */
    public static ProgressMeter start(String task, long total, String unit, boolean enabled) {
        return enabled ? new ProgressMeter(System.err, task, total, unit, stderrIsTerminal(), terminalColumns())
                : OFF;
    }

    /**
     * A meter writing to {@code out} in the given form and width (for tests and other streams).
     *
     * @param out the stream written to
     * @param task the label
     * @param total steps expected (0: unknown)
     * @param unit what a step is, plural
     * @param terminal redraw one line (true) or print log lines (false)
     * @param columns the line width
     * @return the meter
     */
    public static ProgressMeter to(PrintStream out, String task, long total, String unit, boolean terminal,
            int columns) {
        return new ProgressMeter(out, task, total, unit, terminal, columns);
    }

    /**
     * Whether stderr is an interactive terminal ({@code aimc.stderr.tty}, else whether a console is attached).
     *
     * @return true on a terminal
     */
    public static boolean stderrIsTerminal() {
        String p = System.getProperty("aimc.stderr.tty");
        if (p != null && !p.isBlank()) {
            return Boolean.parseBoolean(p.strip());
        }
        return System.console() != null;
    }

    /**
     * Terminal width in columns: {@code aimc.columns}, else {@code $COLUMNS}, else 80.
     *
     * @return the width in columns
     */
    public static int terminalColumns() {
        for (String v : new String[] {System.getProperty("aimc.columns"), System.getenv("COLUMNS")}) {
            if (v != null) {
                try {
                    int c = Integer.parseInt(v.strip());
                    if (c >= 20) {
                        return c;
                    }
                } catch (NumberFormatException e) {
                    // not a width; try the next source
                }
            }
        }
        return 80;
    }

    /**
     * Sets the total steps expected, for a meter started before the total was known.
     *
     * @param steps the total, ≥ 0
     */
    public synchronized void total(long steps) {
        total = Math.max(0, steps);
        nextLogStep = done + logGroup();
    }

    /** One step done. */
    public void step() {
        step(null);
    }

    /**
     * One step done; {@code msg} (null: keep the last) is shown after the figures.
     *
     * @param msg the message, or null
     */
    public synchronized void step(String msg) {
        if (out == null || closed) {
            return;
        }
        done++;
        if (msg != null) {
            message = msg.strip();
        }
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDrawNanos > 200_000_000L || done == total) {
                lastDrawNanos = now;
                out.print('\r' + line());
                out.flush();
            }
        } else if (done >= nextLogStep && done < total) {
            out.println(line());
            nextLogStep += logGroup();
        }
    }

    /**
     * Replaces the message shown after the figures without counting a step.
     *
     * @param msg the message
     */
    public synchronized void message(String msg) {
        if (out != null) {
            message = msg == null ? "" : msg.strip();
        }
    }

    /** Draws the final state and ends the line. */
    @Override
    public synchronized void close() {
        if (out == null || closed) {
            return;
        }
        closed = true;
        out.println(terminal ? '\r' + line() : line());
        out.flush();
    }

    private long logGroup() {
        return total <= 0 ? 100 : Math.max(1, (total + 9) / 10);
    }

    /** The current line, at most {@code columns − 1} characters (no trailing carriage return). */
    synchronized String line() {
        double sec = (System.nanoTime() - startNanos) / 1e9;
        String pct = total > 0 ? String.format(Locale.ROOT, "%3d%%", (int) Math.floor(100.0 * done / total)) : "";
        String count = total > 0 ? done + "/" + total + " " + unit : done + " " + unit;
        String figures = (pct.isEmpty() ? "" : pct + " ") + count + " " + elapsed(sec);
        int width = columns - 1;
        String head = task.isEmpty() ? "" : task + " ";
        // priority: figures, then the message, then the bar (at least MIN_BAR wide, at most 40); the message is
        // cut at the right edge only when the narrowest bar leaves it too little room
        int fixed = head.length() + figures.length() + 3;
        int barRoom = width - fixed - (message.isEmpty() ? 0 : 2 + message.length());
        StringBuilder sb = new StringBuilder(head);
        if (terminal && total > 0 && width - fixed >= MIN_BAR) {
            int bar = Math.max(MIN_BAR, Math.min(barRoom, 40));
            int fill = (int) Math.min(bar, Math.floor((double) bar * done / total));
            sb.append('[').append("=".repeat(fill)).append(" ".repeat(bar - fill)).append("] ");
        }
        sb.append(figures);
        if (!message.isEmpty()) {
            sb.append("  ").append(message);
        }
        String s = sb.toString();
        if (terminal && s.length() > width) {
            s = s.substring(0, width);
        }
        if (terminal && s.length() < width) {
            s = s + " ".repeat(width - s.length()); // clears the rest of a longer previous line
        }
        return s;
    }

    private static String elapsed(double sec) {
        long s = (long) sec;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
