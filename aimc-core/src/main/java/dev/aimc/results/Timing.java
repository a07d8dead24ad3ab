package dev.aimc.results;

/** Wall time in seconds of one pass over the evaluated test samples, digital and analog. */
public record Timing(double digitalPassSeconds, double analogPassSeconds, int analogPasses) {
    /**
     * Analog time over digital time (NaN without a digital pass).
     *
     * @return analog seconds per pass divided by digital seconds per pass
     */
    public double ratio() {
        return digitalPassSeconds > 0 ? analogPassSeconds / digitalPassSeconds : Double.NaN;
    }
}
