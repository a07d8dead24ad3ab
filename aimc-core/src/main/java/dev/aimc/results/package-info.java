/**
 * Results of evaluations as plain records, shared by the experiment engine that writes them and the report that
 * reads them (so neither package depends on the other).
 */
package dev.aimc.results;
