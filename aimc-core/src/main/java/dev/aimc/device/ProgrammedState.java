package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * The state of a set of devices right after programming.
 *
 * @param gProg programmed conductances in µS (float32)
 * @param nu per-device drift exponents ν (dimensionless, same shape as {@code gProg}); already multiplied
 *     by the model's drift scale, so drift is {@code gProg·((t_inf + t0)/t0)^(−ν)}; all zeros for
 *     devices without drift
 */
public record ProgrammedState(NDArray gProg, NDArray nu) implements AutoCloseable {

    /**
     * Checks that both arrays are present and have the same shape.
     *
     * @param gProg programmed conductances in µS (float32)
     * @param nu per-device drift exponents ν (dimensionless, same shape as {@code gProg}), drift scale included
     */
    public ProgrammedState {
        Objects.requireNonNull(gProg, "gProg");
        Objects.requireNonNull(nu, "nu");
        if (!gProg.getShape().equals(nu.getShape())) {
            throw new IllegalArgumentException(
                    "gProg and nu must have the same shape, got " + gProg.getShape() + " and " + nu.getShape());
        }
    }

    /** Closes both arrays. */
    @Override
    public void close() {
        gProg.close();
        nu.close();
    }
}
