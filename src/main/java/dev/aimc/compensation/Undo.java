package dev.aimc.compensation;

import java.util.ArrayList;
import java.util.List;

/** Undoes an applied compensation (removes its periphery steps, restores statistics); idempotent use expected once. */
@FunctionalInterface
public interface Undo extends AutoCloseable {

    @Override
    void close();

    /** Nothing to undo. */
    Undo NONE = () -> {};

    /** Undoes all of {@code undos} in reverse order. */
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
}
