package dev.aimc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's help: each option described, with its default; the accuracy/eval naming. */
class CliHelpTest {

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!out.contains(sub)) {
                collect(sub, out);
            }
        }
    }

    /** Before: 40 options (--seed, --batch, --adc-bits, --epochs, ...) had no description or no default shown. */
    @Test
    void everyOptionHasADescriptionAndShowsItsDefault() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        List<String> missing = new ArrayList<>();
        for (CommandLine cl : all) {
            CommandSpec spec = cl.getCommandSpec();
            for (OptionSpec o : spec.options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String d = String.join(" ", o.description()).strip();
                String name = spec.qualifiedName() + " " + o.longestName();
                if (d.isEmpty()) {
                    missing.add(name + ": no description");
                } else if (o.defaultValue() != null && !d.contains("default")) {
                    missing.add(name + ": default " + o.defaultValue() + " not shown");
                }
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " options:\n" + String.join("\n", missing));
    }

    /**
     * Before: {@code train}'s --schedule description held "30 % of" (a format specifier to picocli), so every
     * {@code aimc train --help} printed three "[picocli WARN] Could not format" lines and the raw text.
     */
    @Test
    void everyHelpRendersWithoutPicocliWarnings() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            for (CommandLine cl : all) {
                cl.usage(new PrintWriter(out));
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(warnings.isEmpty(), warnings);
        assertTrue(out.toString().contains("over 30 % of the steps"), "the escaped % renders as one");
    }

    /** Before: "eval" (digital test accuracy) and "evaluate" (analog, over time) were easy to confuse. */
    @Test
    void evalIsNowAccuracyWithTheOldNameAsAnAlias() {
        CommandLine root = Main.commandLine();
        assertTrue(root.getSubcommands().containsKey("accuracy"));
        assertEquals("accuracy", root.getSubcommands().get("eval").getCommandName(), "eval is an alias");
        StringWriter out = new StringWriter();
        root.getSubcommands().get("accuracy").usage(new PrintWriter(out));
        assertTrue(out.toString().contains("'eval' is the old name"), out.toString());
        assertTrue(out.toString().contains("aimc evaluate"), out.toString());
    }

    @Test
    void runAcceptsNoProgress() {
        CommandLine.ParseResult pr = Main.commandLine().parseArgs("run", "x.yaml", "--no-progress", "--quick");
        assertTrue(pr.subcommand().hasMatchedOption("--no-progress"));
    }
}
