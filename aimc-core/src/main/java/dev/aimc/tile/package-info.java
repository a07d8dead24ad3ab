/**
 * Crossbar tiles: {@link dev.aimc.tile.TileConfig} (tile size, DAC, ADC, output noise, weight mapping, read-noise
 * freezing; units follow aihwkit's normalized conventions, see the class comment) and
 * {@link dev.aimc.tile.AnalogMatrix}, a weight matrix on a grid of tiles computed with batched tensor operations.
 *
 * <p>Compensation hook: {@link dev.aimc.tile.PeripheryStep}s registered in
 * {@link dev.aimc.tile.AnalogMatrix#preAdcSteps()} act on the per-tile analog column outputs before the ADC
 * (e.g. a conductance-ratio readout using reference cells), those in
 * {@link dev.aimc.tile.AnalogMatrix#postAdcSteps()} on the digitised per-tile outputs before the digital sum
 * (e.g. a global drift compensation factor per tile or column); {@link dev.aimc.tile.AnalogMatrix#setOutputScale}
 * sets a per-column digital scale after the sum.
 */
package dev.aimc.tile;
