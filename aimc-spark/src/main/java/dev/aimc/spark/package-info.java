/**
 * Monte-Carlo sweeps and design searches on Apache Spark: the chips (programming repeats) of
 * {@code aimc run --spark MASTER} and {@code aimc evaluate --spark MASTER} ({@link dev.aimc.spark.SparkChipExecutor}),
 * one task per chip, and the candidates of {@code aimc quant-search}, {@code aimc place-compensation} and
 * {@code aimc arch-search} with {@code --spark MASTER} ({@link dev.aimc.spark.SparkTaskExecutor}), one task per
 * candidate, both on one Spark context per command ({@code SparkJobs}): on {@code local[N]} task threads, a
 * standalone cluster ({@code spark://host:7077}, e.g. of {@code ./aimc spark-worker} JVMs) or the cluster
 * {@code spark-submit} connects to.
 */
package dev.aimc.spark;
