package dev.aimc.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.aimc.util.GaussianNoise;
import dev.aimc.util.NativeKernels;
import dev.aimc.util.Parallel;
import dev.aimc.util.RandomStream;
import java.nio.FloatBuffer;

/**
 * A noisy read of device conductances with Gaussian read noise of a per-device amplitude (PCM's eq. 4, Nandakumar
 * et al. 2019; {@link PcmModel}), in one pass: the device-level kernel, here rather than in {@code util}.
 */
public final class NoisyRead {
    private NoisyRead() {}

    /**
     * A noisy read in one pass: a new array max(0, g + z·amp) with z the next N(0,1) draw of {@code rng}, in
     * {@code g}'s manager (g and amp of one shape, float32). The same values as {@link RandomStream#standard} × amp +
     * g, then max(0, ·) in PyTorch, which is the path taken without {@link NativeKernels}.
     *
     * @param g the drifted conductances g_drift in µS, float32, any shape (for a tile [R, C, 2, rows, cols]);
     *     contiguous for the native path
     * @param amp the per-device read-noise amplitude |g_drift|·σ_read of eq. (4) in µS, ≥ 0, the shape of {@code g}
     *     (0 reads that device without noise)
     * @param rng the stream that supplies the draw; exactly one draw is taken
     * @return the read conductances in µS, ≥ 0, a new float32 array of {@code g}'s shape owned by {@code g}'s manager
     */
    public static NDArray apply(NDArray g, NDArray amp, RandomStream rng) {
        NDManager m = g.getManager();
        if (!NativeKernels.enabled()) {
            try (NDManager tmp = m.newSubManager()) {
                NDArray out = rng.standard(tmp, g.getShape()).muli(amp).addi(g).maximum(0f);
                out.attach(m);
                return out;
            }
        }
        long drawKey = rng.newDraw();
        NDArray out = m.create(g.getShape(), DataType.FLOAT32);
        FloatBuffer gb = GaussianNoise.floats(g);
        FloatBuffer ab = GaussianNoise.floats(amp);
        FloatBuffer dst = GaussianNoise.floats(out);
        long n = dst.capacity();
        GaussianNoise.byBlocks(n, Parallel.threads(), (b0, b1, t) -> NativeKernels.noisyReadDraw(dst, gb, ab, n, drawKey, b0, b1,
                t));
        return out;
    }

    /**
     * A reader whose every read is {@link #apply}(g_drift, amp, rng), or, when {@code amp} is null, an exact copy of
     * g_drift; it owns {@code amp} and closes it.
     *
     * @param gDrift drifted conductances in µS (stays open while the reader is used)
     * @param amp per-device read-noise amplitude in µS, g_drift's shape; null for noise-free reads
     * @param rng the stream every read draws from
     * @return the reader; its {@link DeviceModel.Reader#gaussianParts()} are {g_drift, amp} (null without noise)
     */
    static DeviceModel.Reader reader(NDArray gDrift, NDArray amp, RandomStream rng) {
        if (amp == null) {
            return new DeviceModel.Reader() {
                @Override
                public NDArray read() {
                    return gDrift.duplicate();
                }

                @Override
                public void close() {}
            };
        }
        return new DeviceModel.Reader() {
            @Override
            public NDArray read() {
                return apply(gDrift, amp, rng);
            }

            @Override
            public NDArray[] gaussianParts() {
                return new NDArray[] {gDrift, amp};
            }

            @Override
            public void close() {
                amp.close();
            }
        };
    }
}
