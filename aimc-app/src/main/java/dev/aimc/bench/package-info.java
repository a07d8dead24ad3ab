/**
 * {@code aimc bench}: a benchmark harness that times analog and digital on the same workloads in one run
 * ({@link dev.aimc.bench.Benchmark}, {@link dev.aimc.bench.Harness}) and reports medians and ratios as a table
 * and JSON ({@link dev.aimc.bench.BenchReport}). See {@code docs/performance.md} for results and analysis.
 */
package dev.aimc.bench;
