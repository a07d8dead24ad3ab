package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.aimc.util.RandomStream;

/**
 * A crossbar (differential pairs) seen by a programming algorithm: pulses in, noisy reads out.
 *
 * <p>Layout as in the tile package: rows are inputs (word lines), columns outputs; conductances are one
 * [2, rows, cols] µS array, plane 0 = G+, plane 1 = G−; the represented normalized weight is
 * (G+ − G−)/g_max. {@link SimulatedCrossbar} reads through a tile of the tile package ({@code AnalogMatrix}).
 */
public interface CrossbarUnderProgramming extends AutoCloseable {

    /**
     * Crossbar rows (inputs).
     *
     * @return the count
     */
    int rows();

    /**
     * Crossbar columns (outputs).
     *
     * @return the count
     */
    int cols();

    /**
     * g_max in µS.
     *
     * @return g_max
     */
    double gMax();

    /**
     * The periphery (tile configuration and cell-read range) of {@link #readCells(NDManager)} and {@link
     * #mvm(NDArray)}.
     *
     * @return the periphery
     */
    Periphery periphery();

    /**
     * The true current conductances [2, rows, cols] µS (owned by the crossbar; do not close).
     *
     * @return the conductances, µS
     */
    NDArray conductances();

    /**
     * Applies one programming pulse of requested step {@code delta} (µS, [2, rows, cols]) where {@code mask} is 1.
     *
     * @param mask float32 0/1 [2, rows, cols]; null pulses every cell
     * @param delta requested steps in µS, [2, rows, cols]
     */
    void pulse(NDArray delta, NDArray mask);

    /**
     * Single-cell reads of every device (read noise + cell-read ADC), µS [2, rows, cols], attached to {@code into}.
     *
     * @param into the manager of the result
     * @return read conductances, µS
     */
    NDArray readCells(NDManager into);

    /**
     * Noisy analog MVM: inputs [B, rows] normalized → ADC outputs [B, cols] normalized, in {@code u}'s manager.
     *
     * @param u normalized inputs [B, rows]
     * @return normalized outputs [B, cols]
     */
    NDArray mvm(NDArray u);

    /**
     * The stream the algorithm itself draws from (e.g. GDP's random inputs, the drift exponents drawn when it
     * finishes); the crossbar's pulses and reads have their own streams.
     *
     * @return the stream
     */
    RandomStream random();

    /**
     * Pulses applied so far (all devices).
     *
     * @return the pulse count
     */
    long pulses();

    /**
     * Pulses per device so far, float32 [2, rows, cols] (owned by the crossbar; do not close).
     *
     * @return the counts
     */
    NDArray pulsesPerDevice();

    @Override
    void close();
}
