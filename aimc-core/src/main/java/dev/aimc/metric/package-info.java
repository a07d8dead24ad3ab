/**
 * Figures of merit of an analog matrix-vector multiply, shared by the programming algorithms
 * ({@code dev.aimc.program}), the compensation schemes ({@code dev.aimc.compensation}) and the CLI: depends only on
 * {@code dev.aimc.tile}.
 *
 * <ul>
 *   <li>{@link dev.aimc.metric.MvmError}: MVM error ε = ‖y − Wx‖/‖Wx‖, MAC accuracy and the fraction of tile
 *       outputs at the ADC bound, over random inputs uniform in the DAC range.</li>
 * </ul>
 */
package dev.aimc.metric;
