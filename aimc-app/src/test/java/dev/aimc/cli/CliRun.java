package dev.aimc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the aimc command line in-process and captures exit status, stdout and stderr (for tests). */
public record CliRun(int code, String out, String err) {
    public static CliRun of(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new CliRun(rc, out.toString(), err.toString());
    }

    /** Exit status 2 with one line on stderr starting "aimc: " and containing every {@code parts}. */
    public boolean badInput(String... parts) {
        String e = err.strip();
        if (code != 2 || !e.startsWith("aimc: ") || e.lines().count() != 1) {
            return false;
        }
        for (String p : parts) {
            if (!e.contains(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "exit " + code + ", stderr: " + err.strip();
    }
}
