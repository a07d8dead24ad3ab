/** Experiment reports: results.json, results.csv, accuracy_vs_time.png (XChart) and a self-contained report.html. */
package dev.aimc.report;
