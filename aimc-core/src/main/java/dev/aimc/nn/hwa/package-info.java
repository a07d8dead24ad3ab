/**
 * Hardware-aware (HWA) training (Joshi et al., Nat. Commun. 11, 2473, 2020; Antolini et al., IEEE JETCAS
 * 13(1), 2023): weight-noise injection in the training forward ({@link dev.aimc.nn.hwa.WeightNoise}),
 * the training forward on the inference tile's pipeline and converters ({@link dev.aimc.tile.TiledMvm},
 * {@link dev.aimc.tile.Converters}), HWA twins of Linear/Conv2d ({@link dev.aimc.nn.hwa.HwaLinear}, {@link dev.aimc.nn.hwa.HwaConv2d}), weight clipping after
 * each optimizer step ({@link dev.aimc.nn.hwa.WeightClipper}) and network conversion
 * ({@link dev.aimc.nn.hwa.HardwareAware#convert}). Inference forwards stay digital.
 */
package dev.aimc.nn.hwa;
