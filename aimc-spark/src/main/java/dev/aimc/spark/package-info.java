/**
 * Monte-Carlo sweeps on Apache Spark: the chips (programming repeats) of {@code aimc run --spark MASTER} and
 * {@code aimc evaluate --spark MASTER} run as the tasks of a Spark job ({@link dev.aimc.spark.SparkChipExecutor}),
 * one task per chip, on {@code local[N]} task threads, a standalone cluster ({@code spark://host:7077}, e.g. of
 * {@code ./aimc spark-worker} JVMs) or the cluster {@code spark-submit} connects to.
 */
package dev.aimc.spark;
