package dev.aimc.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The progress display: fits 80 columns on a terminal, plain grouped lines in a log. */
class ProgressMeterTest {

    private static String render(boolean terminal, int columns, long total, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressMeter p = ProgressMeter.to(out, "epoch 10/30", total, "steps", terminal, columns)) {
            for (long i = 0; i < total; i++) {
                p.step(message);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Before: the progressbar library shrank the bar to "[ ]" and cut the figures at 80 columns. */
    @Test
    void terminalLineFitsEightyColumnsWithABarAndEveryFigure() {
        String msg = "loss 0.1234 acc 97.53% 1234 img/s lr 0.00200";
        String s = render(true, 80, 781, msg);
        String last = s.substring(s.lastIndexOf('\r') + 1).stripTrailing();
        assertTrue(last.length() <= 79, last);
        assertTrue(last.startsWith("epoch 10/30 ["), last);
        Matcher bar = Pattern.compile("\\[(=*) *\\]").matcher(last);
        assertTrue(bar.find(), last);
        assertTrue(bar.group().length() - 2 >= ProgressMeter.MIN_BAR, last);
        assertEquals(bar.group().length() - 2, bar.group(1).length(), "the finished bar is full: " + last);
        assertTrue(last.contains("100% 781/781 steps"), last);
        assertTrue(last.contains("loss 0.1234 acc 97.53%"), last);
        String wide = render(true, 160, 781, msg);
        String wideLast = wide.substring(wide.lastIndexOf('\r') + 1).stripTrailing();
        assertTrue(wideLast.endsWith(msg), "the whole message on a wide terminal: " + wideLast);
        for (String line : s.split("\r")) {
            assertTrue(line.stripTrailing().length() <= 79, line);
        }
    }

    @Test
    void aVeryNarrowTerminalKeepsTheFiguresAndDropsTheBar() {
        String s = render(true, 40, 50, "loss 0.1");
        String last = s.substring(s.lastIndexOf('\r') + 1).stripTrailing();
        assertFalse(last.contains("["), last);
        assertTrue(last.startsWith("epoch 10/30 100% 50/50 steps"), last);
        assertTrue(last.length() <= 39, last);
    }

    /** Before: a redirected stderr got every carriage-return update. */
    @Test
    void logFormHasNoCarriageReturnsAndAboutTenLines() {
        String s = render(false, 80, 1000, "loss 0.5");
        assertFalse(s.contains("\r"), s);
        List<String> lines = s.lines().toList();
        assertEquals(10, lines.size(), s); // 100, 200, ..., 900 and the final line
        assertTrue(lines.get(0).startsWith("epoch 10/30  10% 100/1000 steps"), lines.get(0));
        assertTrue(lines.get(9).startsWith("epoch 10/30 100% 1000/1000 steps"), lines.get(9));
        assertTrue(lines.get(9).endsWith("loss 0.5"), lines.get(9));
    }

    @Test
    void aTotalSetLaterIsUsedAndDisabledMetersPrintNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressMeter p = ProgressMeter.to(out, "evaluate", 0, "evaluations", false, 80)) {
            p.total(4);
            for (int i = 0; i < 4; i++) {
                p.step("rep " + i);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("evaluate  25% 1/4 evaluations", lines.get(0).substring(0, 29));
        assertEquals(4, lines.size(), lines.toString());
        try (ProgressMeter off = ProgressMeter.start("x", 10, "steps", false)) {
            off.step("y"); // no stream: nothing to assert but that it does not throw
        }
    }
}
