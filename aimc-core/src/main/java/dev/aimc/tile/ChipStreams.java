package dev.aimc.tile;

import dev.aimc.util.RandomStream;
import java.util.Objects;

/**
 * The random streams of one chip instance, split by purpose from the instance's stream so that draws for one purpose
 * never shift the draws of another: {@link #PROGRAMMING} (programming noise, drift exponents ν, a programming
 * algorithm's reads and inputs), {@link #READS} (the read noise of {@code driftTo} and of the forward's per-batch
 * reads), {@link #OUTPUT_NOISE} (the forward's output noise) and {@link #CALIBRATION} (the reads a compensation takes).
 * Two matrices with their own chip streams never disturb each other; a calibration read never shifts a forward's
 * draws. The purposes and their order are ours (aihwkit draws every purpose from one global generator).
 */
public final class ChipStreams {
    /** Purpose of the child stream for programming. */
    public static final long PROGRAMMING = 0;
    /** Purpose of the child stream for device reads in the forward pass. */
    public static final long READS = 1;
    /** Purpose of the child stream for the forward's output noise. */
    public static final long OUTPUT_NOISE = 2;
    /** Purpose of the child stream for calibration reads (drift compensation, reference cells). */
    public static final long CALIBRATION = 3;
    /** Purpose of the child stream for the chip's fixed periphery errors (per-column ADC gain and offset). */
    public static final long PERIPHERY = 4;

    private final RandomStream instance;
    private final RandomStream programming;
    private final RandomStream reads;
    private final RandomStream outputNoise;
    private final RandomStream calibration;
    private final RandomStream periphery;

    /**
     * The streams of the chip instance whose stream is {@code chip} (used as it is).
     *
     * @param chip the chip instance's stream, not null
     * @throws NullPointerException when {@code chip} is null
     */
    public ChipStreams(RandomStream chip) {
        instance = Objects.requireNonNull(chip, "chip stream");
        programming = chip.split(PROGRAMMING);
        reads = chip.split(READS);
        outputNoise = chip.split(OUTPUT_NOISE);
        calibration = chip.split(CALIBRATION);
        periphery = chip.split(PERIPHERY);
    }

    /**
     * A new chip instance of {@code chip}: its next child ({@code chip.split(chip.newDraw())}), one draw of
     * {@code chip} per call, so repeated programming gives independent chips.
     *
     * @param chip the stream chip instances are split from
     * @return the new instance's streams
     */
    public static ChipStreams nextInstance(RandomStream chip) {
        return new ChipStreams(chip.split(chip.newDraw()));
    }

    /**
     * The chip instance's own stream (parent of every purpose).
     *
     * @return the instance stream
     */
    public RandomStream instance() {
        return instance;
    }

    /**
     * The {@link #PROGRAMMING} child.
     *
     * @return the programming stream
     */
    public RandomStream programming() {
        return programming;
    }

    /**
     * The {@link #READS} child.
     *
     * @return the read-noise stream of the forward
     */
    public RandomStream reads() {
        return reads;
    }

    /**
     * The {@link #OUTPUT_NOISE} child.
     *
     * @return the output-noise stream of the forward
     */
    public RandomStream outputNoise() {
        return outputNoise;
    }

    /**
     * The {@link #CALIBRATION} child.
     *
     * @return the stream of calibration reads
     */
    public RandomStream calibration() {
        return calibration;
    }

    /**
     * The {@link #PERIPHERY} child.
     *
     * @return the stream of the chip's fixed periphery errors
     */
    public RandomStream periphery() {
        return periphery;
    }
}
