/**
 * Robustness of analog networks against RRAM device variation, after CorrectNet / CorrectNet+ (A. Eldebiky et al.,
 * DATE 2023, arXiv 2211.14917; IEEE TCAD 43(2), 573–585, 2024): the variation and hardware setting
 * ({@link dev.aimc.robust.RramVariation}: log-normal per-device variation, bit-sliced b-bit cells, ADC resolution
 * and noise, per layer), Monte-Carlo accuracy over chip instances ({@link dev.aimc.robust.ChipMonteCarlo}), the
 * Lipschitz-constant regularizer of training ({@link dev.aimc.robust.LipschitzRegularizer}), per-layer spectral norms
 * ({@link dev.aimc.robust.SpectralNorms}), the measured error amplification from layer to layer
 * ({@link dev.aimc.robust.ErrorAmplification}) and learned digital error compensation after chosen analog layers
 * ({@link dev.aimc.robust.ErrorCompensation}, {@link dev.aimc.robust.CompensationTrainer}), the per-layer
 * quantization search against ADC energy ({@link dev.aimc.robust.QuantizationSearch}) and the placement of
 * compensation as a problem for the agents of {@link dev.aimc.search} ({@link dev.aimc.robust.CompensationPlacement}).
 */
package dev.aimc.robust;
