package dev.aimc.util;

/** The aimc version, from the jar manifest, or "dev" when run from classes. */
public final class Version {
    private Version() {}

    /**
     * Returns the aimc version string.
     *
     * @return e.g. "0.1.0"
     */
    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
