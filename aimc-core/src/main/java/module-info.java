/**
 * aimc-core, the library: device models ({@link dev.aimc.device}), crossbar tiles and their periphery
 * ({@link dev.aimc.tile}), programming algorithms ({@link dev.aimc.program}), networks and their analog conversion
 * ({@link dev.aimc.nn}, {@link dev.aimc.nn.hwa}, {@link dev.aimc.nn.uniform}), training ({@link dev.aimc.train}), drift compensation
 * ({@link dev.aimc.compensation}), error metrics ({@link dev.aimc.metric}) and the inference-over-time engine
 * ({@link dev.aimc.experiment}) with its result records ({@link dev.aimc.results}). Depends on DJL and its PyTorch
 * engine only (and Gson, which DJL brings, for the checkpoint description).
 */
module dev.aimc.core {
    requires transitive ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires com.google.gson;
    requires java.net.http; // DataFetcher (aimc data fetch)

    exports dev.aimc.compensation;
    exports dev.aimc.cost;
    exports dev.aimc.data;
    exports dev.aimc.device;
    exports dev.aimc.experiment;
    exports dev.aimc.metric;
    exports dev.aimc.models;
    exports dev.aimc.nn;
    exports dev.aimc.nn.hwa;
    exports dev.aimc.nn.uniform;
    exports dev.aimc.program;
    exports dev.aimc.results;
    exports dev.aimc.robust;
    exports dev.aimc.search;
    exports dev.aimc.tile;
    exports dev.aimc.train;
    exports dev.aimc.util;

    // Gson reads and writes the checkpoint description (CheckpointMeta, TrainConfig) by reflection on fields.
    opens dev.aimc.train to com.google.gson;
}
