/**
 * Small shared helpers: argument checks, configuration and data-format errors, atomic file writes, seeding and the
 * fast parallel Gaussian noise source.
 */
package dev.aimc.util;
