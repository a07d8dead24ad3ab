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

    /**
     * g_max in µS.
     *
     * @param v g_max in µS, &gt; 0
     * @return this builder
     */
    public B gMaxMicroSiemens(double v) {
        gMax = v;
        return self();
    }

    /**
     * Factor on σ_prog, eq. (1).
     *
     * @param v factor, ≥ 0 (0: no programming noise)
     * @return this builder
     */
    public B progNoiseScale(double v) {
        prog = v;
        return self();
    }

    /**
     * Factor on the drift exponents ν, eq. (2) or the measured table.
     *
     * @param v factor, ≥ 0 (0: no drift)
     * @return this builder
     */
    public B driftScale(double v) {
        drift = v;
        return self();
    }

    /**
     * Factor on σ_read, eq. (4).
     *
     * @param v factor, ≥ 0 (0: no read noise)
     * @return this builder
     */
    public B readNoiseScale(double v) {
        read = v;
        return self();
    }
}
