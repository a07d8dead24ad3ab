package dev.aimc.device;

/** The settings every PCM model builder shares: g_max and the scales of the three noise sources. */
abstract class PcmBuilder<B extends PcmBuilder<B>> {
    double gMax = PcmModel.DEFAULT_G_MAX_US;
    double prog = 1;
    double drift = 1;
    double read = 1;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** g_max in µS. */
    public B gMaxMicroSiemens(double v) {
        gMax = v;
        return self();
    }

    /** Factor on σ_prog, eq. (1). */
    public B progNoiseScale(double v) {
        prog = v;
        return self();
    }

    /** Factor on the drift exponents ν, eq. (2) or the measured table. */
    public B driftScale(double v) {
        drift = v;
        return self();
    }

    /** Factor on σ_read, eq. (4). */
    public B readNoiseScale(double v) {
        read = v;
        return self();
    }
}
