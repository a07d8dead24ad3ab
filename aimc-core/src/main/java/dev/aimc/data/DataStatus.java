package dev.aimc.data;

import java.nio.file.Path;

/**
 * What {@link DataSets#status} found for one data set.
 *
 * @param name data set name, e.g. "mnist"
 * @param state valid, present (files there, not read), missing or corrupt
 * @param train training samples (-1 when not read)
 * @param test test samples (-1 when not read)
 * @param location folder looked at, or null (embedded, or no data directory)
 * @param reason what is missing or wrong; empty when valid
 */
public record DataStatus(String name, State state, int train, int test, Path location, String reason) {

    /** The state of a data set on disk. */
    public enum State {
        /** All files present and read without error. */
        VALID,
        /** All files present; not read (quick check). */
        PRESENT,
        /** One or more files absent. */
        MISSING,
        /** Files present but unreadable as the data set. */
        CORRUPT;

        /**
         * Lower-case name for listings.
         *
         * @return "valid", "present", "missing" or "corrupt"
         */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
