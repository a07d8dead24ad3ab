package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;

/**
 * The PCM pipeline shared by {@link PcmModel} and {@link PcmTableModel}: programming noise (1), drift (3) and 1/f
 * read noise (4) as in {@link PcmModel}; an implementation supplies only the drift-exponent statistics (2).
 */
sealed interface PcmDevice extends DeviceModel permits PcmModel, PcmTableModel {

    /** Scale of the programming noise (0 turns it off). */
    double progNoiseScale();

    /** Scale of the drift exponents (0 turns drift off). */
    double driftScale();

    /** Scale of the read noise (0 turns it off). */
    double readNoiseScale();

    /**
     * Mean and standard deviation of ν for target conductances {@code g} (µS) and {@code gT = g / g_max}, eq. (2)
     * or a measured table; arrays attached to {@code g}'s manager.
     */
    NDArray[] nuMeanStd(NDArray g, NDArray gT);

    @Override
    default ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng) {
        NDManager outer = gTargetMicroSiemens.getManager();
        double gMax = gMaxMicroSiemens();
        try (NDManager tmp = outer.newSubManager()) {
            NDArray g = PcmPhysics.float32Copy(tmp, gTargetMicroSiemens).clip(0f, (float) gMax);
            NDArray gT = g.div((float) gMax);
            NDArray gProg = PcmPhysics.programNoise(tmp, g, gT, gMax, progNoiseScale(), rng); // (1)
            NDArray[] muSd = nuMeanStd(g, gT); // (2)
            NDArray nu = PcmPhysics.drawNu(tmp, muSd[0], muSd[1], driftScale(), rng); // (2)
            gProg.attach(outer);
            nu.attach(outer);
            return new ProgrammedState(gProg, nu);
        }
    }

    @Override
    default NDArray drift(ProgrammedState state, double tSeconds) {
        Check.nonNegative("time", tSeconds);
        return PcmPhysics.drift(state, tSeconds); // (3)
    }

    @Override
    default NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        Check.nonNegative("time", tSeconds);
        return PcmPhysics.read(state, gDrift, tSeconds, gMaxMicroSiemens(), readNoiseScale(), rng); // (4)
    }

    @Override
    default Reader reader(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        Check.nonNegative("time", tSeconds);
        return PcmPhysics.reader(state, gDrift, tSeconds, gMaxMicroSiemens(), readNoiseScale(), rng); // (4), amplitude kept
    }
}
