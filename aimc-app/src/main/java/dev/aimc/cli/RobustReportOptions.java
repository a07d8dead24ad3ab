package dev.aimc.cli;

import dev.aimc.report.Json;
import dev.aimc.report.RobustnessReport;
import dev.aimc.util.OutputPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --json FILE} and {@code --overwrite} of the commands that write their results as JSON and an HTML report
 * beside it ({@code x.json}: {@code x.html}; {@code aimc variation}, {@code quant-search}, {@code place-compensation}),
 * mixed in with {@code @CommandLine.Mixin RobustReportOptions report;}.
 */
public final class RobustReportOptions {
    @Option(names = "--json", description = "write the results as JSON, and beside it (x.json: x.html) a report "
            + "with the plot (refuses existing files without --overwrite)") Path json;
    @Option(names = "--overwrite", description = "replace an existing --json file and its report") boolean overwrite;

    /**
     * Whether {@code --json} was given.
     *
     * @return true when the command writes its results and report
     */
    boolean wanted() {
        return json != null;
    }

    /** Refuses, before the work, an existing --json file or report beside it unless --overwrite. */
    void refuseExisting() {
        if (json != null) {
            OutputPaths.file("--json", json, overwrite);
            OutputPaths.file("--json", RobustnessReport.beside(json), overwrite);
        }
    }

    /**
     * Writes the results to --json and the report beside it, each atomically, and says so on {@code out}.
     *
     * @param out where "wrote FILE" lines go
     * @param doc the results
     * @param html the report page
     * @throws java.io.IOException when the results cannot be written
     */
    void write(PrintWriter out, Map<String, Object> doc, String html) throws java.io.IOException {
        Json.write(json, doc);
        out.println("wrote " + json);
        Path page = RobustnessReport.beside(json);
        RobustnessReport.write(page, html);
        out.println("wrote " + page);
    }
}
