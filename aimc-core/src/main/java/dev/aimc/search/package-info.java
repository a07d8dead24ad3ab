/**
 * Generic search utilities for hardware design-space exploration: the Pareto front of evaluated candidates
 * ({@link dev.aimc.search.ParetoFront}), and agents that choose a set of binary per-site decisions such as where to
 * place error compensation ({@link dev.aimc.search.PlacementProblem}, {@link dev.aimc.search.ReinforcePlacement},
 * {@link dev.aimc.search.GreedyPlacement}), and a two-objective evolutionary search over any candidate type
 * ({@link dev.aimc.search.ParetoEvolution}, NSGA-II-style, used by the architecture search of
 * {@code aimc arch-search}). Nothing here knows about devices or networks: the problems are given as
 * functions, so the quantization search of {@link dev.aimc.robust} and architecture searches share them.
 */
package dev.aimc.search;
