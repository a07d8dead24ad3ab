/**
 * Network building blocks on DJL tensors: {@link dev.aimc.nn.Module} with named parameters, buffers and
 * children; digital layers; and their analog twins that run on crossbar tiles.
 */
package dev.aimc.nn;
