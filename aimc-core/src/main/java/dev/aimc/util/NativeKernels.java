package dev.aimc.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Optional native kernels ({@code src/main/c/aimc_kernels.c}, built by Maven with gcc and shipped inside the jar)
 * for the element-wise work of every analog batch: {@link Ziggurat}'s samples (the first tries eight at a time with
 * AVX-512 where the CPU has it), fused with what the samples are for — plain noise, output noise + ADC, or a noisy
 * conductance read — in one pass over one {@link GaussianNoise} block.
 *
 * <p>The C code repeats Ziggurat's operations in the same order on the same tables (handed over by {@code init}),
 * with IEEE arithmetic and no fused multiply-add, so results are bit for bit those of the Java path; {@code
 * NativeKernelsTest} checks that. Without the library (no gcc at build time, another OS or CPU architecture, or
 * {@code -Daimc.native=false}) every caller falls back to Java and PyTorch ops with the same results.
 */
public final class NativeKernels {
    /** Resource path of the library inside the jar. */
    public static final String RESOURCE = "/dev/aimc/native/linux-x86_64/libaimc_kernels.so";

    private static final boolean LOADED;
    private static final String STATUS;
    private static volatile boolean enabled;
    /** DJL's own contiguity test (package-private in DJL 0.35), found once; null if not accessible. */
    private static final Method IS_CONTIGUOUS;
    private static final Object TORCH;

    static {
        String status;
        boolean ok = false;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!Boolean.parseBoolean(System.getProperty("aimc.native", "true"))) {
            status = "off (-Daimc.native=false)";
        } else if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            status = "not built for " + os + "/" + arch;
        } else {
            try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    status = "not in this build (no gcc when it was built)";
                } else {
                    Path tmp = Files.createTempFile("aimc_kernels", ".so");
                    try {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                        System.load(tmp.toAbsolutePath().toString());
                    } finally {
                        Files.deleteIfExists(tmp); // the loaded library stays mapped
                    }
                    init(Ziggurat.signedX(), Ziggurat.ratios(), Ziggurat.edges(), Ziggurat.heights());
                    ok = true;
                    status = "loaded";
                }
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                status = "failed to load: " + e.getMessage();
            }
        }
        LOADED = ok;
        STATUS = status;
        enabled = ok;
        Method m = null;
        Object lib = null;
        try {
            Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field f = c.getDeclaredField("LIB");
            f.setAccessible(true);
            lib = f.get(null);
            m = c.getDeclaredMethod("torchIsContiguous", long.class);
            m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            m = null; // the kernels then write to new arrays, which is always correct
        }
        IS_CONTIGUOUS = m;
        TORCH = lib;
    }

    private NativeKernels() {}

    /**
     * True when the library is loaded and not switched off with {@link #setEnabled}.
     *
     * @return whether the native path is used
     */
    public static boolean enabled() {
        return enabled;
    }

    /**
     * True when the library could be loaded.
     *
     * @return whether the library is loaded
     */
    public static boolean loaded() {
        return LOADED;
    }

    /**
     * One line for logs and benchmark reports: "loaded (AVX-512 or portable C, on PyTorch's OpenMP threads or on
     * Java threads)", "switched off", or why the library is not there.
     *
     * @return the status line
     */
    public static String status() {
        if (!enabled) {
            return LOADED ? "switched off" : STATUS;
        }
        return "loaded (" + (avx512() ? "AVX-512" : "portable C") + ", "
                + (sharedThreads() ? "on PyTorch's OpenMP threads" : "on Java threads") + ")";
    }

    /**
     * Switches the native path on (only if loaded) or off, e.g. to compare it with the Java path.
     *
     * @param on true to use the kernels (ignored when not loaded)
     */
    public static void setEnabled(boolean on) {
        enabled = on && LOADED;
    }

    /**
     * True when {@code a} is a PyTorch tensor whose storage is contiguous (so its direct buffer is no copy).
     *
     * @param a any array
     * @return false for an array of another engine, a strided view, or when DJL's contiguity test is not accessible
     */
    public static boolean contiguous(NDArray a) {
        if (IS_CONTIGUOUS == null || !(a instanceof PtNDArray)) {
            return false;
        }
        try {
            return (Boolean) IS_CONTIGUOUS.invoke(TORCH, ((PtNDArray) a).getHandle());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Returns the C allocator's free pages to the system (glibc {@code malloc_trim(0)}), so that a resident-set
     * reading counts live native memory rather than the allocator's cache; false when the library is not loaded.
     *
     * @return true when the trim ran, false when the library is not loaded
     */
    public static boolean releaseFreeMemory() {
        if (!LOADED) {
            return false;
        }
        trim();
        return true;
    }

    private static native boolean trim();

    private static native void init(double[] signedX, double[] ratio, double[] edges, double[] heights);

    private static native boolean avx512();

    /**
     * Lets the kernels use AVX-512 where the CPU has it (the default), or forces their portable C paths (for tests
     * and comparisons; a no-op without the library).
     *
     * @param allow false forces the portable paths
     */
    public static void allowAvx512(boolean allow) {
        if (LOADED) {
            useAvx512(allow);
        }
    }

    private static native void useAvx512(boolean allow);

    /**
     * Lets the kernels run on PyTorch's OpenMP team (the default), or makes them behave as if it were not
     * reachable, so that Java runs the blocks on its own threads (for tests; a no-op without the library).
     *
     * @param allow false makes Java run the blocks
     */
    public static void allowSharedThreads(boolean allow) {
        if (LOADED) {
            useTeam(allow);
        }
    }

    private static native void useTeam(boolean use);

    /**
     * True when the kernels can run their blocks on PyTorch's own OpenMP threads (libtorch's libgomp found in the
     * process); otherwise the {@code ...Draw} methods return false for more than one thread, and
     * {@link GaussianNoise} calls them again one block at a time on its own threads ({@link Parallel}), which then
     * compete with PyTorch's spinning ones.
     */
    static native boolean sharedThreads();

    /**
     * Blocks [first, last) of a draw of n values into dst: dst[e] = (float)(σ·z_e) (see {@link GaussianNoise#fill});
     * false when not run (more than one thread and PyTorch's team not reachable).
     */
    static native boolean normalDraw(Buffer dst, long n, long drawKey, double sigma, long first, long last,
            int threads);

    /**
     * Blocks [first, last) of {@code dev.aimc.tile.IntegerAdc#convert}: dst[e] = clamp(rint(y[e] + (float)(σ·z_e)), ±levels),
     * then × rowFactor[e / rowLength] and × colFactor[(e / rowLength / rowsPerGroup)·rowLength + e mod rowLength]
     * where given; dst may be y. False when not run, as {@link #normalDraw}.
     *
     * @param dst the output codes × factors, n floats, direct (may be the same buffer as {@code y})
     * @param y the pre-ADC outputs in ADC steps, n floats, direct
     * @param n the number of values in the draw (= y's size)
     * @param drawKey the key of the output-noise draw ({@link RandomStream#newDraw()})
     * @param sigma the output-noise standard deviation σ in ADC steps, ≥ 0
     * @param levels the largest ADC code magnitude 2^(bits−1) − 1
     * @param rowFactor n / rowLength floats, direct, or null for none
     * @param rowLength the values per row, ≥ 1, dividing n
     * @param colFactor (n / rowLength / rowsPerGroup)·rowLength floats, direct, or null for none
     * @param rowsPerGroup consecutive rows sharing one row of {@code colFactor}, ≥ 1
     * @param first the first {@link GaussianNoise#BLOCK}-value block to do
     * @param last one past the last block to do
     * @param threads the threads to use, ≥ 1
     * @return true when the blocks were written; false when not run (nothing written)
     */
    public static native boolean noisyAdcDraw(Buffer dst, Buffer y, long n, long drawKey, double sigma, float levels,
            Buffer rowFactor, int rowLength, Buffer colFactor, int rowsPerGroup, long first, long last, int threads);

    /**
     * Blocks [first, last) of {@code dev.aimc.device.NoisyRead#apply}: dst[e] = max(0, g[e] + (float) z_e · amp[e]). False
     * when not run, as {@link #normalDraw}.
     *
     * @param dst the read conductances in µS, n floats, direct
     * @param g the drifted conductances in µS, n floats, direct
     * @param amp the per-device read-noise amplitudes in µS, n floats, direct
     * @param n the number of values in the draw
     * @param drawKey the key of the read-noise draw ({@link RandomStream#newDraw()})
     * @param first the first {@link GaussianNoise#BLOCK}-value block to do
     * @param last one past the last block to do
     * @param threads the threads to use, ≥ 1
     * @return true when the blocks were written; false when not run (nothing written)
     */
    public static native boolean noisyReadDraw(Buffer dst, Buffer g, Buffer amp, long n, long drawKey, long first,
            long last, int threads);

    /**
     * The input DAC in one pass per vector, where the kernels are enabled: for each of the {@code vectors} rows of
     * n values of x, scale = max(max|x|·step, Float.MIN_NORMAL) (absMax) or step, and levels out =
     * rint(x / scale), clamped to ±levels first when {@code clip}. The same values as PyTorch's max, min, maximum,
     * mul, div, clip and round.
     *
     * @param x [vectors, n] float32 (read only)
     * @param out [vectors, n] float32, contiguous (written)
     * @param scale [vectors] float32, contiguous (written)
     * @param step the DAC step Δ
     * @param levels the largest level 2^(bits−1) − 1
     * @param absMax scale by max|x| of each vector (ABS_MAX)
     * @param clip clamp to ±levels
     * @return false when the kernels are not enabled (nothing written)
     */
    public static boolean quantize(NDArray x, NDArray out, NDArray scale, float step, float levels, boolean absMax,
            boolean clip) {
        if (!enabled) {
            return false;
        }
        long n = x.getShape().get(x.getShape().dimension() - 1);
        long vectors = x.size() / n;
        if (out.size() != x.size() || scale.size() != vectors || !contiguous(out) || !contiguous(scale)) {
            throw new IllegalArgumentException("quantize: out " + out.getShape() + " and scale " + scale.getShape()
                    + " do not fit x " + x.getShape() + " or are not contiguous");
        }
        dac(GaussianNoise.floats(x), GaussianNoise.floats(out), GaussianNoise.floats(scale), vectors, n, step, levels,
                absMax, clip, Parallel.threads());
        return true;
    }

    /**
     * A noisy differential-pair read straight into the layout the product needs, where the kernels are enabled: g
     * and amp [R, C, 2, rows, cols] (PCM's eq. 4 parts); e = c0·max(0, g + z·amp)[plane 0] + c1·max(0, g +
     * z·amp)[plane 1] with z draw {@code drawKey} of {@link GaussianNoise} over the flat g is written to w as
     * [R, rows, C·cols] (matmul layout) or, with {@code kernelLayout}, [R, C, cols, rows] — the values of
     * {@code dev.aimc.device.NoisyRead#apply}, a multiply by the coefficients, the sum over the pair and a transposed copy.
     *
     * @param g drifted conductances, µS
     * @param amp read-noise amplitudes, µS
     * @param w the output, float32, contiguous
     * @param c0 coefficient of plane 0 (G+)
     * @param c1 coefficient of plane 1 (G−)
     * @param drawKey the draw of the noise sequence
     * @param kernelLayout write [R, C, cols, rows] instead of [R, rows, C·cols]
     * @return false when the kernels are not enabled (nothing drawn or written)
     */
    public static boolean readInto(NDArray g, NDArray amp, NDArray w, float c0, float c1, long drawKey,
            boolean kernelLayout) {
        if (!enabled) {
            return false;
        }
        Shape s = g.getShape();
        Shape want = kernelLayout ? new Shape(s.get(0), s.get(1), s.get(4), s.get(3))
                : new Shape(s.get(0), s.get(3), s.get(1) * s.get(4));
        if (s.dimension() != 5 || s.get(2) != 2 || !s.equals(amp.getShape()) || !w.getShape().equals(want)
                || !contiguous(w)) {
            throw new IllegalArgumentException("readInto: g " + s + ", amp " + amp.getShape() + ", w "
                    + w.getShape());
        }
        readLayout(GaussianNoise.floats(g), GaussianNoise.floats(amp), GaussianNoise.floats(w), s.get(0), s.get(1),
                s.get(3), s.get(4), c0, c1, drawKey, kernelLayout, Parallel.threads());
        return true;
    }

    private static native void readLayout(Buffer g, Buffer amp, Buffer w, long r, long c, long rows, long cols,
            float c0, float c1, long drawKey, boolean kernelLayout, int threads);

    /**
     * The straight-through correction of the ABS_MAX DAC in tile units (input range ≥ 1), where the kernels are
     * enabled: per vector of the last n values of x, α = max(max|x|, Float.MIN_NORMAL), u = x/α and the correction
     * rint(u/Δ)·Δ − u — PyTorch's operations of {@code dev.aimc.tile.Converters.dac}, in its order.
     *
     * @param x float32, contiguous, no gradient
     * @param n the vector length (rows of a tile)
     * @param step the DAC step Δ in tile units
     * @return {correction (shape of x), α (shape of x without its last axis)}: new arrays without gradient in x's
     *     manager, or null when the kernels are not enabled
     */
    public static NDArray[] hwaDac(NDArray x, long n, float step) {
        if (!enabled) {
            return null;
        }
        NDArray out = x.getManager().create(x.getShape(), DataType.FLOAT32);
        long vectors = x.size() / n;
        NDArray alpha = x.getManager().create(new ai.djl.ndarray.types.Shape(vectors), DataType.FLOAT32);
        hwaDac(GaussianNoise.floats(x), GaussianNoise.floats(out), GaussianNoise.floats(alpha), vectors, n, step,
                Parallel.threads());
        return new NDArray[] {out, alpha};
    }

    /**
     * Output noise and ADC of hardware-aware training, as a straight-through correction: the converter's value v and
     * the saturation mask (the clip's gradient), with y·mask + correction = the forward value.
     *
     * @param correction v − y·mask (no gradient)
     * @param mask 1 where −range ≤ y + noise ≤ range, else 0 (no gradient)
     * @param saturated how many elements have mask 0
     */
    public record AdcCorrection(NDArray correction, NDArray mask, long saturated) {}

    /**
     * {@link AdcCorrection} of y, where the kernels are enabled: h = y + σ·z (z the next draw of {@code rng}; none
     * when σ = 0), c = clip(h, ±range), v = c + (rint(c/Δ)·Δ − c) — PyTorch's operations of
     * {@code dev.aimc.tile.Converters.adc}, in its order. New arrays in y's manager, or null when the kernels are
     * not enabled.
     *
     * @param y the outputs, float32, contiguous
     * @param sigma the output-noise std σ
     * @param range the ADC range
     * @param step the ADC step Δ
     * @param rng the stream of the output noise (advanced)
     * @return the correction, or null
     */
    public static AdcCorrection hwaAdc(NDArray y, float sigma, float range, float step, RandomStream rng) {
        if (!enabled) {
            return null;
        }
        long key = sigma > 0 ? rng.newDraw() : 0;
        NDArray out = y.getManager().create(y.getShape(), DataType.FLOAT32);
        NDArray mask = y.getManager().create(y.getShape(), DataType.FLOAT32);
        long saturated = hwaAdc(GaussianNoise.floats(y), GaussianNoise.floats(out), GaussianNoise.floats(mask),
                y.size(), key, sigma, range, step, Parallel.threads());
        if (saturated < 0) {
            throw new IllegalStateException("native ADC kernel: no memory for its per-block counts");
        }
        return new AdcCorrection(out, mask, saturated);
    }

    /**
     * Clips a weight array in place to ±b, where the kernels are enabled and w is contiguous: b = value, or with
     * {@code sigma} b = (float) (σ_W·value), σ_W the unbiased standard deviation of w in double precision (as
     * {@code torch.std}; the float bound can differ from PyTorch's only where the double lies within its summation
     * order's rounding of a float rounding boundary). Returns b, or NaN when not run.
     *
     * @param w the weights, float32, clipped in place
     * @param sigma whether the bound is value·σ_W
     * @param value the bound, or the factor on σ_W
     * @return b, or NaN
     */
    public static float clipWeights(NDArray w, boolean sigma, double value) {
        if (!enabled || !contiguous(w)) {
            return Float.NaN;
        }
        return clipWeights(GaussianNoise.floats(w), w.size(), sigma, value);
    }

    /**
     * max|x| over all values of x (float32, contiguous), where the kernels are enabled; NaN otherwise.
     *
     * @param x the array
     * @return max|x|, or NaN
     */
    public static float absMax(NDArray x) {
        if (!enabled || !contiguous(x)) {
            return Float.NaN;
        }
        return absMax(GaussianNoise.floats(x), x.size());
    }

    private static native void hwaDac(Buffer x, Buffer out, Buffer alpha, long vectors, long n, float step,
            int threads);

    private static native long hwaAdc(Buffer y, Buffer out, Buffer mask, long n, long drawKey, double sigma,
            float range, float step, int threads);

    private static native float clipWeights(Buffer w, long n, boolean sigma, double value);

    private static native float absMax(Buffer x, long n);

    private static native void dac(Buffer x, Buffer out, Buffer scale, long vectors, long n, float step,
            float levels, boolean absMax, boolean clip, int threads);
}
