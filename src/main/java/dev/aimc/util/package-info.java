/** Small shared helpers: argument checks, configuration and data-format errors, atomic file writes. */
package dev.aimc.util;
