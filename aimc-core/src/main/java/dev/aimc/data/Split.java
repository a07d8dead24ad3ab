package dev.aimc.data;

import dev.aimc.util.ConfigException;
import java.util.Locale;

/** The publisher's train/test partition of a data set. */
public enum Split {
    /** Training split. */
    TRAIN,
    /** Test split. */
    TEST;

    /**
     * Parses "train" or "test" (any case); throws {@link ConfigException} otherwise.
     *
     * @param s "train" or "test", any case
     * @return the split
     * @throws ConfigException for any other value
     */
    public static Split parse(String s) {
        if (s != null) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "train": return TRAIN;
                case "test": return TEST;
                default: break;
            }
        }
        throw new ConfigException("split must be one of train, test, got " + s);
    }

    /**
     * Lower-case name, as in file names and listings.
     *
     * @return "train" or "test"
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
