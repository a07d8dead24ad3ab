/**
 * Uniform scaling (García-Redondo, Das, Rosendale, "Training DNN IoT Applications for Deployment On Analog NVM
 * Crossbars", arXiv 1910.13850): quantization-aware training in which every layer shares one weight quantizer (the
 * levels of b-bit cells, {@link dev.aimc.nn.uniform.CellLevels}), one DAC (activation clip range and resolution)
 * and one ADC (full scale and resolution), so one analog block design serves every layer
 * ({@link dev.aimc.nn.uniform.UniformScaling}), on fully connected layers ({@link dev.aimc.nn.uniform.UniformLinear})
 * and 2-D convolutions ({@link dev.aimc.nn.uniform.UniformConv2d}); and, for comparison, the same network with converters tuned per
 * layer ({@link dev.aimc.nn.uniform.ConverterDesign}). The DAC and ADC are {@link dev.aimc.tile.Converters}; the
 * tiled product is {@link dev.aimc.tile.TiledMvm}. The architecture search over widths and per-layer sign modes:
 * candidates {@link dev.aimc.nn.uniform.SearchDesign} (feature MLPs {@link dev.aimc.nn.uniform.MlpDesign}, LeNet-5
 * {@link dev.aimc.nn.uniform.LeNetDesign}), their space {@link dev.aimc.nn.uniform.DesignSpace} and the short
 * training that scores them {@link dev.aimc.nn.uniform.ProxyTraining}.
 */
package dev.aimc.nn.uniform;
