/**
 * Data sets for training and evaluating the simulated networks: readers for MNIST and Fashion-MNIST (IDX),
 * CIFAR-10 (binary batches) and UCI HAR (text), an embedded stratified MNIST subset, a downloader with checksum
 * verification, and fast NDArray batch construction with normalisation and CIFAR augmentation.
 *
 * <p>Entry point: {@link dev.aimc.data.DataSets#load(java.nio.file.Path, String, Split)}, then
 * {@link dev.aimc.data.Dataset#batch(ai.djl.ndarray.NDManager, int[])}.
 */
package dev.aimc.data;
