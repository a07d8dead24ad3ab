/**
 * Reference networks built from {@link dev.aimc.nn} modules: {@link dev.aimc.models.Models#create} by name
 * (mlp-mnist, mlp-har, lenet5, lenet5-mnist, resnet20, resnet32, resnet32-joshi, cnn1d-har).
 */
package dev.aimc.models;
