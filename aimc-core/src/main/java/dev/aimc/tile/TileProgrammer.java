package dev.aimc.tile;

import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.RandomStream;

/**
 * A programming algorithm for the tiles of an {@link AnalogMatrix} (used by
 * {@link AnalogMatrix#program(DeviceModel, TileProgrammer, RandomStream)}): from the matrix's target conductances
 * ({@link AnalogMatrix#targetConductances}) to a programmed state, counting the pulses it applied. Implementations
 * live in {@code dev.aimc.program} — one-shot (the device model's statistical programming, one programming
 * operation per device), open loop, program-and-verify and GDP, each with its parameters as a typed record; the
 * default {@link AnalogMatrix#program(DeviceModel, RandomStream)} is the one-shot model. A programmer draws all its
 * randomness (programming noise, drift exponents, the reads and inputs of its algorithm) from the stream it is given.
 */
@FunctionalInterface
public interface TileProgrammer {

    /**
     * Programs the tiles of {@code matrix}.
     *
     * @param rng the stream all randomness of the programming is drawn from
     * @param matrix the matrix whose tiles are programmed (weights, tiling and mapping)
     * @param device the device model
     * @return conductances in µS and drift exponents ν, both shaped like {@link AnalogMatrix#normalizedTargets()}
     *     ([R, C, D, rows, deviceCols]); the matrix takes ownership
     */
    ProgrammedState program(AnalogMatrix matrix, DeviceModel device, RandomStream rng);

    /**
     * Short name for reports ("oneshot", "verify", "gdp", ...).
     *
     * @return the name
     */
    default String name() {
        return "custom";
    }

    /**
     * Pulses applied by every {@link #program} call of this programmer so far (all tiles, zero-padding devices of
     * edge tiles included); {@link PulseCounts#NONE} for a programmer that does not count.
     *
     * @return pulses, devices, most pulses per device and tiles, summed over calls
     */
    default PulseCounts pulseCounts() {
        return PulseCounts.NONE;
    }

    /**
     * Pulse statistics of a programmer.
     *
     * @param pulses programming pulses applied in total
     * @param devices devices programmed in total (each device of each programmed tile, once per program call)
     * @param maxPerDevice most pulses any one device received
     * @param tiles tiles programmed
     */
    record PulseCounts(long pulses, long devices, double maxPerDevice, int tiles) {
        /** Nothing programmed or not counted. */
        public static final PulseCounts NONE = new PulseCounts(0, 0, 0, 0);

        /**
         * Mean pulses per device (0 when nothing was programmed).
         *
         * @return pulses / devices
         */
        public double meanPerDevice() {
            return devices == 0 ? 0 : pulses / (double) devices;
        }

        /**
         * These counts plus one more tile's.
         *
         * @param morePulses pulses applied to the tile
         * @param moreDevices devices of the tile
         * @param tileMaxPerDevice most pulses any device of the tile received
         * @return the sums, and the larger of the two maxima
         */
        public PulseCounts plus(long morePulses, long moreDevices, double tileMaxPerDevice) {
            return new PulseCounts(pulses + morePulses, devices + moreDevices, Math.max(maxPerDevice,
                    tileMaxPerDevice), tiles + 1);
        }
    }
}
