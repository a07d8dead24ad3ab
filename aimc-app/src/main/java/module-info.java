/**
 * aimc-app, the application: the {@code aimc} command line ({@link dev.aimc.cli}), experiment files and their runs
 * ({@link dev.aimc.runner}), reports and plots ({@link dev.aimc.report}), the bench ({@link dev.aimc.bench}) and ONNX import
 * ({@link dev.aimc.onnx}), all
 * on the library module {@code dev.aimc.core}.
 */
module dev.aimc.app {
    requires dev.aimc.core;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.knowm.xchart;
    requires com.google.protobuf; // ONNX import (dev.aimc.onnx)
    requires org.yaml.snakeyaml; // ExperimentFile reports YAML syntax errors with their line
    requires java.desktop;
    requires java.management; // the bench records the JVM and machine

    exports dev.aimc.bench;
    exports dev.aimc.cli;
    exports dev.aimc.onnx;
    exports dev.aimc.report;
    exports dev.aimc.runner;

    // the optional module aimc-spark runs the chips of an evaluation as the tasks of a Spark job (--spark)
    uses dev.aimc.runner.ChipExecutor.Provider;
    // ... and the candidates of the design searches (quant-search, place-compensation, arch-search)
    uses dev.aimc.runner.TaskExecutor.Provider;

    // picocli fills @Option fields and Jackson reads and writes results and experiment files by reflection.
    opens dev.aimc.cli to info.picocli;
    opens dev.aimc.bench to com.fasterxml.jackson.databind, info.picocli;
    opens dev.aimc.report to com.fasterxml.jackson.databind;
    opens dev.aimc.runner to com.fasterxml.jackson.databind;
}
