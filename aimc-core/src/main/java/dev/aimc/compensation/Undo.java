package dev.aimc.compensation;

import dev.aimc.nn.AnalogLayer;
import dev.aimc.nn.AnalogNetwork;
import dev.aimc.tile.AnalogMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Undoes an applied compensation (removes its periphery steps, restores statistics); idempotent use expected once. */
@FunctionalInterface
public interface Undo extends AutoCloseable {

    @Override
    void close();

    /** Nothing to undo. */
    Undo NONE = () -> {};

    /**
     * Undoes all of {@code undos} in reverse order.
     *
     * @param undos the undos, in the order they were applied
     * @return an undo that closes each of them, last first
     */
    static Undo all(List<Undo> undos) {
        List<Undo> copy = new ArrayList<>(undos);
        return () -> {
            RuntimeException first = null;
            for (int i = copy.size() - 1; i >= 0; i--) {
                try {
                    copy.get(i).close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        };
    }

    /**
     * Applies {@code perMatrix} to every analog layer's matrix of {@code net}; the result undoes them all.
     *
     * @param net the analog network
     * @param perMatrix applies something to one matrix and returns its undo
     * @return an undo of every matrix, in reverse order
     */
    static Undo eachMatrix(AnalogNetwork net, Function<AnalogMatrix, Undo> perMatrix) {
        List<Undo> undos = new ArrayList<>();
        try {
            for (AnalogLayer l : net.analogLayers().values()) {
                undos.add(perMatrix.apply(l.matrix()));
            }
        } catch (RuntimeException e) {
            all(undos).close();
            throw e;
        }
        return all(undos);
    }
}
