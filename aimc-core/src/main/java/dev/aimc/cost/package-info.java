/**
 * Hardware cost of a network mapped onto crossbar tiles: tiles and their occupancy, cells, DAC and ADC conversions,
 * energy per inference by component, area of arrays and periphery, latency per inference, per layer and in total.
 * Arithmetic over the mapping only, never a simulation.
 *
 * <p>{@link dev.aimc.cost.LayerShape} describes a mapped layer (inputs, outputs, matrix-vector multiplies per
 * inference), {@link dev.aimc.cost.LayerDesign} its converter, cell and mapping settings (per layer),
 * {@link dev.aimc.cost.CostComponents} the energy and area of each component (ISAAC's table by default, read by the
 * application from {@code dev/aimc/report/isaac-32nm.yaml}), {@link dev.aimc.cost.AdcScaling} how the ADC's energy and
 * area follow its resolution, and {@link dev.aimc.cost.CostModel} counts and sums.
 */
package dev.aimc.cost;
