package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;

/**
 * Ideal device: g_prog = g_target exactly (no clipping), ν = 0 (no drift), exact reads. The reference against
 * which the non-ideal models are compared.
 *
 * @param gMaxMicroSiemens nominal g_max in µS used to map weights to conductances (default 25), &gt; 0
 */
public record IdealModel(double gMaxMicroSiemens) implements DeviceModel {

    /** Default nominal g_max, µS (same as {@link PcmModel}). */
    public static final double DEFAULT_G_MAX_US = 25.0;

    /**
     * Validates g_max.
     *
     * @param gMaxMicroSiemens g_max in µS, &gt; 0
     */
    public IdealModel {
        Check.positive("g-max", gMaxMicroSiemens);
    }

    /**
     * The ideal device with g_max = 25 µS.
     *
     * @return the ideal device
     */
    public static IdealModel defaults() {
        return new IdealModel(DEFAULT_G_MAX_US);
    }

    /** Every parameter by its {@code --device} key ({@link DeviceModels#IDEAL}'s table). */
    @Override
    public java.util.Map<String, Object> parameters() {
        return DeviceModels.IDEAL.valuesOf(this);
    }

    @Override
    public String name() {
        return "ideal";
    }

    @Override
    public ProgrammedState program(NDArray gTargetMicroSiemens, RandomStream rng) {
        NDManager outer = gTargetMicroSiemens.getManager();
        NDArray gProg = gTargetMicroSiemens.getDataType() == DataType.FLOAT32
                ? gTargetMicroSiemens.duplicate()
                : gTargetMicroSiemens.toType(DataType.FLOAT32, true);
        gProg.attach(outer);
        NDArray nu = outer.zeros(gTargetMicroSiemens.getShape(), DataType.FLOAT32);
        return new ProgrammedState(gProg, nu);
    }

    @Override
    public NDArray drift(ProgrammedState state, double tSeconds) {
        Check.nonNegative("time", tSeconds);
        return state.gProg().duplicate();
    }

    @Override
    public NDArray read(ProgrammedState state, NDArray gDrift, double tSeconds, RandomStream rng) {
        Check.nonNegative("time", tSeconds);
        return gDrift.duplicate();
    }
}
