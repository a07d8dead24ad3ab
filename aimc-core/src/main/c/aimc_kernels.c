/*
 * aimc native kernels: the per-batch element-wise work of the analog forward pass, fused and vectorised.
 *
 * Every kernel works on one block of a GaussianNoise draw (dev.aimc.util.GaussianNoise: block b of draw k has the
 * ziggurat seed Rng.derive(k, b)) and generates its samples exactly as dev.aimc.util.Ziggurat does: the first,
 * branch-free try of every element (98.5 % accepted) eight at a time with AVX-512 where the CPU has it, the rest
 * with the same slow path (wedge and tail tests with Ziggurat's own exp and log, written here with the same
 * operations in the same order). The tables come from Java (NativeKernels.init), so both sides use the same
 * doubles and the results are bit for bit those of the Java path.
 *
 * Floating point: IEEE, no contraction (-ffp-contract=off), round-half-even (rintf), as Java and PyTorch.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <link.h>
#include <malloc.h>
#include <math.h>
#include <float.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LAYERS 256
#define GOLDEN 0x9E3779B97F4A7C15ULL
#define ONE_BITS 0x3FF0000000000000ULL
/* GaussianNoise.BLOCK: samples per block, one generator seed per block */
#define BLOCK 65536

static double SIGNED_X[2 * LAYERS];
static double RATIO[LAYERS];
static double X[LAYERS + 1];
static double F[LAYERS + 1];
static double R_TAIL;

static inline uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Rng.derive: word index+1 of SplitMix64 from seed (a block's seed from its draw key; a sample's first-try word) */
static inline uint64_t derive(uint64_t seed, int64_t index) {
    return mix(seed + GOLDEN * (uint64_t) (index + 1));
}

static inline double unit(uint64_t b) {
    union {
        uint64_t u;
        double d;
    } c;
    c.u = (b >> 12) | ONE_BITS;
    return c.d - 1.0;
}

static inline uint64_t next(uint64_t *st) {
    *st += GOLDEN;
    return mix(*st);
}

static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double SQRT2 = 1.41421356237309514547e+00;

/* Ziggurat.exp: e^a for -709 < a <= 0 */
static double zexp(double a) {
    double k = rint(a * INV_LN2);
    double r = (a - k * LN2_HI) - k * LN2_LO;
    double r2 = r * r;
    double r4 = r2 * r2;
    double r8 = r4 * r4;
    double q0 = 1.0 + r;
    double q1 = 1.0 / 2.0 + r * (1.0 / 6.0);
    double q2 = 1.0 / 24.0 + r * (1.0 / 120.0);
    double q3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    double q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    double q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    double q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    double t0 = (q0 + r2 * q1) + r4 * (q2 + r2 * q3);
    double t1 = (q4 + r2 * q5) + r4 * q6;
    double p = t0 + r8 * t1;
    union {
        uint64_t u;
        double d;
    } c;
    c.u = (uint64_t) (1023 + (int64_t) k) << 52;
    return p * c.d;
}

/* Ziggurat.log: ln v for a normal v > 0 */
static double zlog(double v) {
    union {
        uint64_t u;
        double d;
    } c;
    c.d = v;
    int64_t e = (int64_t) ((c.u >> 52) & 0x7FF) - 1023;
    c.u = (c.u & 0x000FFFFFFFFFFFFFULL) | ONE_BITS;
    double m = c.d;
    if (m > SQRT2) {
        m = m * 0.5;
        e = e + 1;
    }
    double s = (m - 1.0) / (m + 1.0);
    double s2 = s * s;
    double p = 1.0 / 21.0;
    p = p * s2 + 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    p = p * s2 + 1.0;
    double de = (double) e;
    return de * LN2_HI + (2.0 * s * p + de * LN2_LO);
}

/* Ziggurat.tail: |z| given |z| > r */
static double tail(uint64_t *st) {
    double x;
    double y;
    do {
        x = -zlog(1.0 - unit(next(st))) / R_TAIL;
        y = -zlog(1.0 - unit(next(st)));
    } while (y + y < x * x);
    return R_TAIL + x;
}

/* Ziggurat.slow: finishes a sample from try b with stream state st */
static double slow_loop(uint64_t st, uint64_t b) {
    while (1) {
        int i = (int) (b & (LAYERS - 1));
        double u = unit(b);
        double sign = (b & LAYERS) == 0 ? 1 : -1;
        if (u < RATIO[i]) {
            return sign * u * X[i];
        }
        if (i == 0) {
            return sign * tail(&st);
        }
        double x = u * X[i];
        if (F[i] + unit(next(&st)) * (F[i + 1] - F[i]) < zexp(-0.5 * x * x)) {
            return sign * x;
        }
        b = next(&st);
    }
}

/* Ziggurat.rejected: z_j of the stream with seed `seed` for a sample whose first try was rejected */
static double rejected(uint64_t seed, int64_t j) {
    uint64_t w = derive(seed, j);
    return slow_loop(w, w);
}

enum { PLAIN, ADC, READ };

/* The element-wise step of `mode` for sample z of element j (see tries_scalar). */
static inline float apply(int mode, float z, const float *a, const float *b, int j, float levels) {
    if (mode == PLAIN) {
        return z;
    } else if (mode == ADC) {
        float t = rintf(a[j] + z);
        t = t < -levels ? -levels : t;
        return t > levels ? levels : t;
    } else {
        float t = a[j] + z * b[j];
        return t > 0.0f ? t : 0.0f;
    }
}

/*
 * Samples from .. from+len-1 of the stream with seed `seed`, fused with the element-wise step of `mode`:
 *   PLAIN: out[j] = (float)(sigma * z)
 *   ADC:   out[j] = clamp(rint(a[j] + (float)(sigma * z)), -levels, levels)  (a: column currents in ADC steps)
 *   READ:  out[j] = max(0, a[j] + (float) z * b[j])      (a: conductance, b: read-noise amplitude; sigma = 1)
 */
static inline void tries_scalar(int mode, float *out, const float *a, const float *restrict b,
                                int len, uint64_t seed, int64_t from, double sigma, float levels) {
    uint64_t s = seed + GOLDEN * (uint64_t) from;
    for (int j = 0; j < len; j++) {
        s += GOLDEN;
        uint64_t w = mix(s);
        double u = unit(w);
        int k = (int) (w & (2 * LAYERS - 1));
        float z = u < RATIO[k & (LAYERS - 1)] ? (float) (sigma * (u * SIGNED_X[k]))
                                               : (float) (sigma * rejected(seed, from + j));
        out[j] = apply(mode, z, a, b, j, levels);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX512 1

/* SplitMix64's output function on eight lanes. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline __m512i mix512(__m512i z) {
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)),
                           _mm512_set1_epi64((long long) 0xBF58476D1CE4E5B9ULL));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)),
                           _mm512_set1_epi64((long long) 0x94D049BB133111EBULL));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
}

/* Ziggurat.exp on eight lanes: the same IEEE operations in the same order as zexp. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline __m512d zexp_avx512(__m512d a) {
    __m512d k = _mm512_roundscale_pd(_mm512_mul_pd(a, _mm512_set1_pd(INV_LN2)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(a, _mm512_mul_pd(k, _mm512_set1_pd(LN2_HI))),
                              _mm512_mul_pd(k, _mm512_set1_pd(LN2_LO)));
#define PAIR(c0, c1) _mm512_add_pd(_mm512_set1_pd(c0), _mm512_mul_pd(r, _mm512_set1_pd(c1)))
    __m512d r2 = _mm512_mul_pd(r, r);
    __m512d r4 = _mm512_mul_pd(r2, r2);
    __m512d r8 = _mm512_mul_pd(r4, r4);
    __m512d q0 = _mm512_add_pd(_mm512_set1_pd(1.0), r);
    __m512d q1 = PAIR(1.0 / 2.0, 1.0 / 6.0);
    __m512d q2 = PAIR(1.0 / 24.0, 1.0 / 120.0);
    __m512d q3 = PAIR(1.0 / 720.0, 1.0 / 5040.0);
    __m512d q4 = PAIR(1.0 / 40320.0, 1.0 / 362880.0);
    __m512d q5 = PAIR(1.0 / 3628800.0, 1.0 / 39916800.0);
    __m512d q6 = PAIR(1.0 / 479001600.0, 1.0 / 6227020800.0);
#undef PAIR
    __m512d t0 = _mm512_add_pd(_mm512_add_pd(q0, _mm512_mul_pd(r2, q1)),
                               _mm512_mul_pd(r4, _mm512_add_pd(q2, _mm512_mul_pd(r2, q3))));
    __m512d t1 = _mm512_add_pd(_mm512_add_pd(q4, _mm512_mul_pd(r2, q5)), _mm512_mul_pd(r4, q6));
    __m512d p = _mm512_add_pd(t0, _mm512_mul_pd(r8, t1));
    __m512i e = _mm512_slli_epi64(_mm512_add_epi64(_mm512_cvtpd_epi64(k), _mm512_set1_epi64(1023)), 52);
    return _mm512_mul_pd(p, _mm512_castsi512_pd(e));
}

/*
 * The first rounds of slow_loop for eight rejected first tries (offsets rej[0..7] from `from`): the wedge test
 * with the stream's next word and, where it fails, the next try's rectangle test. Returns the lanes it finished
 * (their samples in z); the others (layer 0's tail, two failures in a row) are redone in full by rejected().
 */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline __mmask8
wedge_avx512(const int *rej, uint64_t seed, int64_t from, double *z) {
    const __m512i g = _mm512_set1_epi64((long long) GOLDEN);
    __m512i j = _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm256_loadu_si256((const __m256i *) rej)),
                                 _mm512_set1_epi64(from + 1));
    __m512i st = _mm512_add_epi64(_mm512_set1_epi64((long long) seed), _mm512_mullo_epi64(g, j));
    __m512i w = mix512(st); /* the first try, b = st = w */
    st = _mm512_add_epi64(w, g);
    __m512i w2 = mix512(st); /* next(st) */
    const __m512i one = _mm512_set1_epi64((long long) ONE_BITS);
    const __m512d vone = _mm512_set1_pd(1.0);
    __m512i i = _mm512_and_si512(w, _mm512_set1_epi64(LAYERS - 1));
    __m512d u = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(w, 12), one)), vone);
    __m512d u2 = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(w2, 12), one)), vone);
    __m512d x = _mm512_mul_pd(u, _mm512_i64gather_pd(i, X, 8));
    __m512d fi = _mm512_i64gather_pd(i, F, 8);
    __m512d fi1 = _mm512_i64gather_pd(_mm512_add_epi64(i, _mm512_set1_epi64(1)), F, 8);
    __m512d lhs = _mm512_add_pd(fi, _mm512_mul_pd(u2, _mm512_sub_pd(fi1, fi)));
    __m512d rhs = zexp_avx512(_mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(-0.5), x), x));
    __mmask8 notZero = _mm512_cmpneq_epi64_mask(i, _mm512_setzero_si512());
    __mmask8 accept = _mm512_mask_cmp_pd_mask(notZero, lhs, rhs, _CMP_LT_OQ);
    __mmask8 neg = _mm512_test_epi64_mask(w, _mm512_set1_epi64(LAYERS));
    __m512d sign = _mm512_mask_blend_pd(neg, _mm512_set1_pd(1.0), _mm512_set1_pd(-1.0));
    __m512d zv = _mm512_mul_pd(sign, x);
    /* wedge failed (not layer 0): the loop's next round, a new try b = next(st), usually inside its rectangle */
    __mmask8 again = notZero & ~accept;
    if (again) {
        __m512i b2 = mix512(_mm512_add_epi64(st, g));
        __m512i i2 = _mm512_and_si512(b2, _mm512_set1_epi64(LAYERS - 1));
        __m512d v2 = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(b2, 12), one)), vone);
        __mmask8 in2 = _mm512_mask_cmp_pd_mask(again, v2, _mm512_i64gather_pd(i2, RATIO, 8), _CMP_LT_OQ);
        __mmask8 neg2 = _mm512_test_epi64_mask(b2, _mm512_set1_epi64(LAYERS));
        __m512d sign2 = _mm512_mask_blend_pd(neg2, _mm512_set1_pd(1.0), _mm512_set1_pd(-1.0));
        zv = _mm512_mask_mov_pd(zv, in2, _mm512_mul_pd(_mm512_mul_pd(sign2, v2), _mm512_i64gather_pd(i2, X, 8)));
        accept |= in2;
    }
    _mm512_storeu_pd(z, zv);
    return accept;
}

/* The same as tries_scalar, eight elements at a time (AVX-512 F/DQ/VL). */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static inline void
tries_avx512(int mode, float *out, const float *a, const float *restrict b, int len,
             uint64_t seed, int64_t from, double sigma, float levels) {
    const __m512i one = _mm512_set1_epi64((long long) ONE_BITS);
    const __m512i mask9 = _mm512_set1_epi64(2 * LAYERS - 1);
    const __m512i mask8 = _mm512_set1_epi64(LAYERS - 1);
    const __m512i step = _mm512_set1_epi64((long long) (GOLDEN * 8));
    const __m512d vsigma = _mm512_set1_pd(sigma);
    const __m512d vone = _mm512_set1_pd(1.0);
    const __m256 hi = _mm256_set1_ps(levels);
    const __m256 lo = _mm256_set1_ps(-levels);
    const __m256 zero = _mm256_setzero_ps();
    const __m256i lane = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    uint64_t s0 = seed + GOLDEN * (uint64_t) from;
    __m512i s = _mm512_set_epi64((long long) (s0 + GOLDEN * 8), (long long) (s0 + GOLDEN * 7),
                                 (long long) (s0 + GOLDEN * 6), (long long) (s0 + GOLDEN * 5),
                                 (long long) (s0 + GOLDEN * 4), (long long) (s0 + GOLDEN * 3),
                                 (long long) (s0 + GOLDEN * 2), (long long) (s0 + GOLDEN * 1));
    static __thread int rej[BLOCK]; /* offsets of rejected first tries; len <= BLOCK (one GaussianNoise block) */
    int c = 0;
    int j = 0;
    for (; j + 8 <= len && j + 8 <= BLOCK; j += 8) {
        __m512i w = mix512(s);
        s = _mm512_add_epi64(s, step);
        __m512d u = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(_mm512_srli_epi64(w, 12), one)), vone);
        __m512i k = _mm512_and_si512(w, mask9);
        __m512d x = _mm512_i64gather_pd(k, SIGNED_X, 8);
        __m512d r = _mm512_i64gather_pd(_mm512_and_si512(k, mask8), RATIO, 8);
        __mmask8 good = _mm512_cmp_pd_mask(u, r, _CMP_LT_OQ);
        __m256 zf = _mm512_cvtpd_ps(_mm512_mul_pd(vsigma, _mm512_mul_pd(u, x)));
        __m256 v;
        if (mode == PLAIN) {
            v = zf;
        } else if (mode == ADC) {
            __m256 t = _mm256_add_ps(_mm256_loadu_ps(a + j), zf);
            t = _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            v = _mm256_min_ps(_mm256_max_ps(t, lo), hi);
        } else {
            __m256 t = _mm256_add_ps(_mm256_loadu_ps(a + j), _mm256_mul_ps(zf, _mm256_loadu_ps(b + j)));
            v = _mm256_max_ps(t, zero);
        }
        _mm256_mask_storeu_ps(out + j, good, v);
        /* offsets of the rejected lanes, branch-free; finished after the loop, where their slow paths overlap */
        __mmask8 bad = (__mmask8) ~good;
        _mm256_mask_compressstoreu_epi32(rej + c, bad, _mm256_add_epi32(lane, _mm256_set1_epi32(j)));
        c += __builtin_popcount((unsigned) bad);
    }
    int q = 0;
    for (; q + 8 <= c; q += 8) { /* eight rejected first tries at a time through the wedge test */
        double zs[8];
        __mmask8 done = wedge_avx512(rej + q, seed, from, zs);
        for (int l = 0; l < 8; l++) {
            int e = rej[q + l];
            double zz = (done >> l) & 1 ? zs[l] : rejected(seed, from + e);
            out[e] = apply(mode, (float) (sigma * zz), a, b, e, levels);
        }
    }
    for (; q < c; q++) {
        int e = rej[q];
        out[e] = apply(mode, (float) (sigma * rejected(seed, from + e)), a, b, e, levels);
    }
    if (j < len) {
        tries_scalar(mode, out + j, a ? a + j : 0, b ? b + j : 0, len - j, seed, from + j, sigma, levels);
    }
}

/* One call per mode (here and in tries), so that the compiler specialises the inlined loop for each. */
__attribute__((target("avx512f,avx512dq,avx512vl"))) static void
tries_avx512_any(int mode, float *out, const float *a, const float *b, int len, uint64_t seed, int64_t from,
                 double sigma, float levels) {
    switch (mode) {
    case PLAIN:
        tries_avx512(PLAIN, out, a, b, len, seed, from, sigma, levels);
        break;
    case ADC:
        tries_avx512(ADC, out, a, b, len, seed, from, sigma, levels);
        break;
    default:
        tries_avx512(READ, out, a, b, len, seed, from, sigma, levels);
    }
}
#endif

static int use_avx512 = -1;

static int avx512(void) {
#ifdef HAVE_AVX512
    if (use_avx512 < 0) {
        __builtin_cpu_init();
        use_avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
                     && __builtin_cpu_supports("avx512vl");
    }
    return use_avx512;
#else
    return 0;
#endif
}

static void tries(int mode, float *out, const float *a, const float *b, int len, uint64_t seed, int64_t from,
                  double sigma, float levels) {
#ifdef HAVE_AVX512
    if (avx512()) {
        tries_avx512_any(mode, out, a, b, len, seed, from, sigma, levels);
        return;
    }
#endif
    switch (mode) {
    case PLAIN:
        tries_scalar(PLAIN, out, a, b, len, seed, from, sigma, levels);
        break;
    case ADC:
        tries_scalar(ADC, out, a, b, len, seed, from, sigma, levels);
        break;
    default:
        tries_scalar(READ, out, a, b, len, seed, from, sigma, levels);
    }
}

JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_init(JNIEnv *env, jclass cls, jdoubleArray sx,
                                                             jdoubleArray ratio, jdoubleArray x, jdoubleArray f) {
    (*env)->GetDoubleArrayRegion(env, sx, 0, 2 * LAYERS, SIGNED_X);
    (*env)->GetDoubleArrayRegion(env, ratio, 0, LAYERS, RATIO);
    (*env)->GetDoubleArrayRegion(env, x, 0, LAYERS + 1, X);
    (*env)->GetDoubleArrayRegion(env, f, 0, LAYERS + 1, F);
    R_TAIL = X[1];
}

JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_avx512(JNIEnv *env, jclass cls) {
    return (jboolean) avx512();
}

/* Uses the AVX-512 paths only if allowed and the CPU has them (tests run the portable paths this way too). */
JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_useAvx512(JNIEnv *env, jclass cls, jboolean allow) {
    use_avx512 = -1;
    if (avx512() && !allow) {
        use_avx512 = 0;
    }
}

/* glibc's malloc_trim(0): returns the allocator's free pages to the system (for resident-set measurements). */
JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_trim(JNIEnv *env, jclass cls) {
    return malloc_trim(0) ? JNI_TRUE : JNI_FALSE;
}

/* The memory of a direct buffer; NULL with an IllegalArgumentException pending for any other buffer. */
static void *addr(JNIEnv *env, jobject buf) {
    void *p = (*env)->GetDirectBufferAddress(env, buf);
    if (p == 0) {
        jclass e = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
        if (e) {
            (*env)->ThrowNew(env, e, "aimc native kernels need direct buffers");
        }
    }
    return p;
}

/* out[e] *= rowFactor[e / rowLength], then *= colFactor[(e / rowLength / rowsPerGroup) * rowLength + e % rowLength],
 * for e in [off, off + len) (either factor may be null) */
static void scale_rows(float *out, int64_t off, int len, const float *rf, int64_t rowLength, const float *cf,
                       int64_t rowsPerGroup) {
    int64_t e = off;
    int64_t end = off + len;
    while (e < end) {
        int64_t row = e / rowLength;
        int64_t col = e - row * rowLength;
        int64_t stop = e + (rowLength - col) < end ? e + (rowLength - col) : end;
        float *o = out + e;
        int n = (int) (stop - e);
        if (rf) {
            float a = rf[row];
            for (int i = 0; i < n; i++) {
                o[i] = o[i] * a;
            }
        }
        if (cf) {
            const float *c = cf + (row / rowsPerGroup) * rowLength + col;
            for (int i = 0; i < n; i++) {
                o[i] = o[i] * c[i];
            }
        }
        e = stop;
    }
}

/* ------------------------------------------------------------------------------------------------------------
 * Whole draws on PyTorch's own OpenMP threads.
 *
 * PyTorch's intra-op threads spin for a while after each parallel op; work handed to other threads in between
 * competes with them for the cores. So the kernels run their blocks on the same OpenMP team, through the
 * GOMP_parallel entry point of the libgomp that libtorch loaded (found among the loaded objects). Blocks are dealt
 * out by index, and every value depends on its block alone, so the result is the same for every thread count.
 * Without that libgomp the draw functions return false and Java calls them again one block at a time on its own
 * threads.
 */
typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef int (*omp_int_fn)(void);
static gomp_parallel_fn gomp_parallel;
static omp_int_fn omp_thread_num;
static omp_int_fn omp_num_threads;
static pthread_mutex_t gomp_lock = PTHREAD_MUTEX_INITIALIZER;
static int use_team = 1; /* 0: as if the team were not reachable (tests of the Java-threads path) */

static int find_gomp(struct dl_phdr_info *info, size_t size, void *data) {
    const char *name = info->dlpi_name;
    if (name && strstr(name, "libgomp")) {
        strncpy((char *) data, name, 4095);
        return 1;
    }
    return 0;
}

static void find_and_bind(void);

/* Looks for libtorch's libgomp until it is found (libtorch may be loaded after the first call). */
static void load_gomp(void) {
    if (__atomic_load_n(&gomp_parallel, __ATOMIC_ACQUIRE)) {
        return;
    }
    pthread_mutex_lock(&gomp_lock);
    if (!gomp_parallel) {
        find_and_bind();
    }
    pthread_mutex_unlock(&gomp_lock);
}

static void find_and_bind(void) {
    char path[4096] = {0};
    dl_iterate_phdr(find_gomp, path);
    if (!path[0]) {
        return;
    }
    void *h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (!h) {
        return;
    }
    gomp_parallel_fn p = (gomp_parallel_fn) dlsym(h, "GOMP_parallel");
    omp_int_fn t = (omp_int_fn) dlsym(h, "omp_get_thread_num");
    omp_int_fn n = (omp_int_fn) dlsym(h, "omp_get_num_threads");
    if (p && t && n) {
        omp_thread_num = t;
        omp_num_threads = n;
        __atomic_store_n(&gomp_parallel, p, __ATOMIC_RELEASE);
    }
}

struct draw {
    int mode;
    float *out;
    const float *a;
    const float *b;
    int64_t n;
    uint64_t key;
    double sigma;
    float levels;
    const float *rf;
    int64_t rowLength;
    const float *cf;
    int64_t rowsPerGroup;
    int64_t first; /* the blocks [first, last) of the draw run in this call */
    int64_t last;
};


static void draw_block(const struct draw *d, int64_t blk) {
    int64_t off = blk * BLOCK;
    int len = (int) (d->n - off < BLOCK ? d->n - off : BLOCK);
    uint64_t seed = derive(d->key, blk);
    tries(d->mode, d->out + off, d->a ? d->a + off : 0, d->b ? d->b + off : 0, len, seed, 0, d->sigma,
          d->levels);
    if (d->rf || d->cf) {
        scale_rows(d->out, off, len, d->rf, d->rowLength, d->cf, d->rowsPerGroup);
    }
}

/* A job of independent items, dealt out by index to the threads of PyTorch's team. */
struct team_job {
    void (*item)(const void *ctx, int64_t i);
    const void *ctx;
    int64_t items;
};

static void team_body(void *p) {
    const struct team_job *j = (const struct team_job *) p;
    int64_t t = omp_thread_num();
    int64_t T = omp_num_threads();
    for (int64_t i = t; i < j->items; i += T) {
        j->item(j->ctx, i);
    }
}

/* Runs items 0 .. items-1 on up to `threads` threads of PyTorch's team, or on this thread alone when the team is
 * not reachable and `serial_ok`; false when it did not run. */
static jboolean run_items(void (*item)(const void *, int64_t), const void *ctx, int64_t items, int threads,
                          int serial_ok) {
    load_gomp();
    gomp_parallel_fn team = use_team ? gomp_parallel : 0;
    if (threads <= 1 || items <= 1 || (!team && serial_ok)) {
        for (int64_t i = 0; i < items; i++) {
            item(ctx, i);
        }
        return JNI_TRUE;
    }
    if (!team) {
        return JNI_FALSE;
    }
    struct team_job j = {item, ctx, items};
    team(team_body, &j, (unsigned) (threads < items ? threads : items), 0);
    return JNI_TRUE;
}

static void draw_item(const void *ctx, int64_t i) {
    const struct draw *d = (const struct draw *) ctx;
    draw_block(d, d->first + i);
}

/*
 * Runs blocks [first, last) of the draw on `threads` threads of PyTorch's team, or on this thread for one thread;
 * false when the team is not reachable (Java then runs the blocks one call each on its own threads).
 */
static jboolean run_draw(struct draw *d, jlong first, jlong last, int threads) {
    int64_t blocks = (d->n + BLOCK - 1) / BLOCK;
    d->first = first < 0 ? 0 : first;
    d->last = last > blocks ? blocks : last;
    return d->last <= d->first || run_items(draw_item, d, d->last - d->first, threads, 0);
}

JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_sharedThreads(JNIEnv *env, jclass cls) {
    load_gomp();
    return use_team && gomp_parallel ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_useTeam(JNIEnv *env, jclass cls, jboolean use) {
    use_team = use;
}

JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_normalDraw(JNIEnv *env, jclass cls, jobject dst,
                                                                       jlong n, jlong key, jdouble sigma,
                                                                       jlong first, jlong last, jint threads) {
    float *out = (float *) addr(env, dst);
    if (!out) {
        return JNI_TRUE;
    }
    struct draw d = {PLAIN, out, 0, 0, n, (uint64_t) key, sigma, 0, 0, 1, 0, 1, 0, 0};
    return run_draw(&d, first, last, threads);
}

JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_noisyAdcDraw(JNIEnv *env, jclass cls, jobject dst,
                                                                         jobject y, jlong n, jlong key,
                                                                         jdouble sigma, jfloat levels,
                                                                         jobject rowFactor, jint rowLength,
                                                                         jobject colFactor, jint rowsPerGroup,
                                                                         jlong first, jlong last, jint threads) {
    float *out = (float *) addr(env, dst);
    const float *src = out ? (const float *) addr(env, y) : 0;
    const float *rf = src && rowFactor ? (const float *) addr(env, rowFactor) : 0;
    const float *cf = src && colFactor ? (const float *) addr(env, colFactor) : 0;
    if (!src || (rowFactor && !rf) || (colFactor && !cf)) {
        return JNI_TRUE;
    }
    struct draw d = {ADC, out, src, 0, n, (uint64_t) key, sigma, levels, rf, rowLength, cf, rowsPerGroup, 0, 0};
    return run_draw(&d, first, last, threads);
}

JNIEXPORT jboolean JNICALL Java_dev_aimc_util_NativeKernels_noisyReadDraw(JNIEnv *env, jclass cls, jobject dst,
                                                                          jobject g, jobject amp, jlong n,
                                                                          jlong key, jlong first, jlong last,
                                                                          jint threads) {
    float *out = (float *) addr(env, dst);
    const float *gp = out ? (const float *) addr(env, g) : 0;
    const float *ap = gp ? (const float *) addr(env, amp) : 0;
    if (!ap) {
        return JNI_TRUE;
    }
    struct draw d = {READ, out, gp, ap, n, (uint64_t) key, 1.0, 0, 0, 1, 0, 1, 0, 0};
    return run_draw(&d, first, last, threads);
}

/*
 * max |x[i]| as the largest sign-cleared bit pattern: the same number as max(max x, -min x) for non-NaN floats, and
 * it vectorises as an integer max, which a float max does not without -ffast-math.
 */
static inline float abs_max(const float *x, int64_t n) {
    const uint32_t *xb = (const uint32_t *) x;
    uint32_t m = 0;
    for (int64_t i = 0; i < n; i++) {
        uint32_t t = xb[i] & 0x7FFFFFFFu;
        m = t > m ? t : m;
    }
    float a;
    memcpy(&a, &m, sizeof a);
    return a;
}

/* ------------------------------------------------------------------------------------------------------------
 * The input DAC (dev.aimc.tile.AnalogMatrix#quantizeForForward): per vector of n inputs the scale
 * α·Δin = max(max|x|·step, FLT_MIN) (ABS_MAX; PyTorch takes max|x| as max(max x, -min x)) or step, then
 * k = rint(x / scale), clamped to ±levels first where asked. The same IEEE operations as PyTorch's max, min,
 * maximum, mul, div, clip and round.
 */
struct dac {
    const float *x;
    float *k;
    float *scale;
    int64_t n;
    float step;
    float levels;
    int absmax;
    int clip;
};

static inline float quantize1(float x, float s, float levels, int clip) {
    float u = x / s;
    if (clip) {
        u = u < -levels ? -levels : u;
        u = u > levels ? levels : u;
    }
    return rintf(u);
}

static void dac_scalar(const struct dac *d, int64_t v) {
    const float *x = d->x + v * d->n;
    float *k = d->k + v * d->n;
    float s = d->step;
    if (d->absmax) {
        s = abs_max(x, d->n) * d->step;
        s = s > FLT_MIN ? s : FLT_MIN;
    }
    d->scale[v] = s;
    for (int64_t i = 0; i < d->n; i++) {
        k[i] = quantize1(x[i], s, d->levels, d->clip);
    }
}

#ifdef HAVE_AVX512
__attribute__((target("avx512f,avx512dq,avx512vl"))) static void dac_avx512(const struct dac *d, int64_t v) {
    const float *x = d->x + v * d->n;
    float *k = d->k + v * d->n;
    int64_t n = d->n;
    float s = d->step;
    if (d->absmax) {
        s = abs_max(x, d->n) * d->step;
        s = s > FLT_MIN ? s : FLT_MIN;
    }
    d->scale[v] = s;
    __m512 vs = _mm512_set1_ps(s);
    __m512 vhi = _mm512_set1_ps(d->levels);
    __m512 vlo = _mm512_set1_ps(-d->levels);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 u = _mm512_div_ps(_mm512_loadu_ps(x + i), vs);
        if (d->clip) {
            u = _mm512_min_ps(_mm512_max_ps(u, vlo), vhi);
        }
        _mm512_storeu_ps(k + i, _mm512_roundscale_ps(u, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    for (; i < n; i++) {
        k[i] = quantize1(x[i], s, d->levels, d->clip);
    }
}
#endif

static void dac_item(const void *ctx, int64_t v) {
#ifdef HAVE_AVX512
    if (avx512()) {
        dac_avx512((const struct dac *) ctx, v);
        return;
    }
#endif
    dac_scalar((const struct dac *) ctx, v);
}

JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_dac(JNIEnv *env, jclass cls, jobject x, jobject k,
                                                            jobject scale, jlong vectors, jlong n, jfloat step,
                                                            jfloat levels, jboolean absmax, jboolean clip,
                                                            jint threads) {
    const float *xp = (const float *) addr(env, x);
    float *kp = xp ? (float *) addr(env, k) : 0;
    float *sp = kp ? (float *) addr(env, scale) : 0;
    if (!sp) {
        return;
    }
    struct dac d = {xp, kp, sp, n, step, levels, absmax, clip};
    run_items(dac_item, &d, vectors, threads, 1);
}

/* ------------------------------------------------------------------------------------------------------------
 * A noisy read fused with the mapping and the layout the product needs (dev.aimc.tile.AnalogMatrix):
 * g, amp [R, C, 2, rows, cols] (a differential pair), w [R, rows, C*cols] (matmul layout, linear layers) or
 * [R, C, cols, rows] (kernel layout, convolutions) holding e[r, c, row, k] =
 * sum_d coeff[d] * max(0, g + z*amp)[r, c, d, row, k], z the GaussianNoise draw over the
 * flat [R, C, D, rows, cols] array (block by block, as noisyRead). The same values as noisyRead, PyTorch's
 * multiply by the coefficients, sum over the planes (two terms: exact in either order) and transposed copy.
 */
struct readmap {
    const float *g;
    const float *amp;
    float *w;
    int64_t R, C, rows, cols;
    float coeff[2];
    uint64_t key;
    int kernel_layout;
};

/* The READ samples for flat elements [e, e + len) into t (split at block boundaries). */
static void read_run(const struct readmap *m, int64_t e, int len, float *t) {
    while (len > 0) {
        int64_t blk = e / BLOCK;
        int64_t pos = e - blk * BLOCK;
        int n = (int) (BLOCK - pos < len ? BLOCK - pos : len);
        uint64_t seed = derive(m->key, blk);
        tries(READ, t, m->g + e, m->amp + e, n, seed, pos, 1.0, 0);
        t += n;
        e += n;
        len -= n;
    }
}

static void readmap_item(const void *ctx, int64_t line) {
    const struct readmap *m = (const struct readmap *) ctx;
    int64_t r = line / m->rows;
    int64_t row = line - r * m->rows;
    float t0[512];
    float t1[512];
    float *out = m->w + line * m->C * m->cols;
    for (int64_t c = 0; c < m->C; c++) {
        for (int64_t k0 = 0; k0 < m->cols; k0 += 512) {
            int len = (int) (m->cols - k0 < 512 ? m->cols - k0 : 512);
            int64_t e0 = (((r * m->C + c) * 2) * m->rows + row) * m->cols + k0;
            read_run(m, e0, len, t0);
            read_run(m, e0 + m->rows * m->cols, len, t1);
            if (m->kernel_layout) {
                float *o = m->w + ((r * m->C + c) * m->cols + k0) * m->rows + row;
                for (int k = 0; k < len; k++) {
                    o[k * m->rows] = t0[k] * m->coeff[0] + t1[k] * m->coeff[1];
                }
            } else {
                float *o = out + c * m->cols + k0;
                for (int k = 0; k < len; k++) {
                    o[k] = t0[k] * m->coeff[0] + t1[k] * m->coeff[1];
                }
            }
        }
    }
}

JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_readLayout(JNIEnv *env, jclass cls, jobject g, jobject amp,
                                                                   jobject w, jlong R, jlong C, jlong rows,
                                                                   jlong cols, jfloat c0, jfloat c1,
                                                                   jlong key, jboolean kernelLayout,
                                                                   jint threads) {
    const float *gp = (const float *) addr(env, g);
    const float *ap = gp ? (const float *) addr(env, amp) : 0;
    float *wp = ap ? (float *) addr(env, w) : 0;
    if (!wp) {
        return;
    }
    struct readmap m = {gp, ap, wp, R, C, rows, cols, {c0, c1}, (uint64_t) key, kernelLayout};
    run_items(readmap_item, &m, R * rows, threads, 1);
}

/* ------------------------------------------------------------------------------------------------------------
 * The straight-through converters in tile units (dev.aimc.tile.Converters), used by hardware-aware training. Each
 * kernel computes the converter's value v with PyTorch's operations in PyTorch's order and writes the correction
 * (v - u for the DAC, v - y*mask for the ADC), so that Java records a single add, u + correction
 * (y*mask + correction), whose gradient is the identity (the mask).
 *
 * DAC, ABS_MAX, per vector of n inputs: alpha = max(max|x|, FLT_MIN); u = x / alpha; r = rint(u / step);
 * l = r * step; out = l - u (in normalized input units); alpha is written per vector.
 */
struct hwadac {
    const float *x;
    float *out;
    float *alpha;
    int64_t n;
    float step;
};

__attribute__((target_clones("avx512f", "avx2", "default"))) static void hwadac_item(const void *ctx,
                                                                                       int64_t v) {
    const struct hwadac *d = (const struct hwadac *) ctx;
    const float *x = d->x + v * d->n;
    float *o = d->out + v * d->n;
    float a = abs_max(x, d->n);
    a = a > FLT_MIN ? a : FLT_MIN;
    d->alpha[v] = a;
    for (int64_t i = 0; i < d->n; i++) {
        float u = x[i] / a;
        float l = rintf(u / d->step) * d->step;
        o[i] = l - u;
    }
}

JNIEXPORT void JNICALL Java_dev_aimc_util_NativeKernels_hwaDac(JNIEnv *env, jclass cls, jobject x, jobject out,
                                                               jobject alpha, jlong vectors, jlong n, jfloat step,
                                                               jint threads) {
    const float *xp = (const float *) addr(env, x);
    float *op = xp ? (float *) addr(env, out) : 0;
    float *ap = op ? (float *) addr(env, alpha) : 0;
    if (!ap) {
        return;
    }
    struct hwadac d = {xp, op, ap, n, step};
    run_items(hwadac_item, &d, vectors, threads, 1);
}

/*
 * ADC with output noise, per element: h = y + (float)(sigma * z) (no noise when sigma is 0); c = clamp(h, -range,
 * range); r = rint(c / step); l = r * step; d = l - c; v = c + d; mask = (h >= -range && h <= range);
 * out = v - y * mask. Returns how many elements saturated (mask 0).
 */
struct hwaadc {
    const float *y;
    float *out;
    float *mask;
    int64_t n;
    uint64_t key;
    double sigma;
    float range;
    float step;
    int64_t *saturated; /* per block */
};

__attribute__((target_clones("avx512f", "avx2", "default"))) static void hwaadc_item(const void *ctx,
                                                                                       int64_t blk) {
    const struct hwaadc *d = (const struct hwaadc *) ctx;
    int64_t off = blk * BLOCK;
    int len = (int) (d->n - off < BLOCK ? d->n - off : BLOCK);
    float *o = d->out + off;
    const float *y = d->y + off;
    float *mk = d->mask + off;
    if (d->sigma != 0) { /* the noise first, into out, then the converter in place */
        uint64_t seed = derive(d->key, blk);
        tries(PLAIN, o, 0, 0, len, seed, 0, d->sigma, 0);
        for (int i = 0; i < len; i++) {
            o[i] = y[i] + o[i];
        }
    } else {
        memcpy(o, y, (size_t) len * sizeof(float));
    }
    float R = d->range;
    int64_t sat = 0;
    for (int i = 0; i < len; i++) {
        float h = o[i];
        float k = (h >= -R && h <= R) ? 1.0f : 0.0f;
        sat += k == 0.0f;
        mk[i] = k;
        float c = h < -R ? -R : (h > R ? R : h);
        float l = rintf(c / d->step) * d->step;
        float diff = l - c;
        o[i] = (c + diff) - y[i] * k;
    }
    d->saturated[blk] = sat;
}

JNIEXPORT jlong JNICALL Java_dev_aimc_util_NativeKernels_hwaAdc(JNIEnv *env, jclass cls, jobject y, jobject out,
                                                                jobject mask, jlong n, jlong key, jdouble sigma,
                                                                jfloat range, jfloat step, jint threads) {
    const float *yp = (const float *) addr(env, y);
    float *op = yp ? (float *) addr(env, out) : 0;
    float *mp = op ? (float *) addr(env, mask) : 0;
    int64_t blocks = (n + BLOCK - 1) / BLOCK;
    int64_t *sat = mp ? calloc((size_t) (blocks > 0 ? blocks : 1), sizeof(int64_t)) : 0;
    if (!sat) {
        return -1;
    }
    struct hwaadc d = {yp, op, mp, n, (uint64_t) key, sigma, range, step, sat};
    run_items(hwaadc_item, &d, blocks, threads, 1);
    int64_t total = 0;
    for (int64_t b = 0; b < blocks; b++) {
        total += sat[b];
    }
    free(sat);
    return total;
}

/*
 * Weight clipping after an optimizer step (dev.aimc.nn.hwa.WeightClipper), in place: w = max(min(w, b), -b) with
 * b = value, or b = (float)(sqrt(sum((w - mean)^2) / (n - 1)) * value) in double precision (torch.std, unbiased)
 * when sigma is set. Returns b.
 */
JNIEXPORT jfloat JNICALL Java_dev_aimc_util_NativeKernels_clipWeights(JNIEnv *env, jclass cls, jobject w, jlong n,
                                                                      jboolean sigma, jdouble value) {
    float *wp = (float *) addr(env, w);
    if (!wp) {
        return NAN;
    }
    float b = (float) value;
    if (sigma) {
        double sum = 0;
        for (int64_t i = 0; i < n; i++) {
            sum += wp[i];
        }
        double mean = sum / (double) n;
        double ss = 0;
        for (int64_t i = 0; i < n; i++) {
            double dv = wp[i] - mean;
            ss += dv * dv;
        }
        b = (float) (sqrt(ss / (double) (n - 1)) * value);
    }
    float nb = -b;
    for (int64_t i = 0; i < n; i++) { /* torch.minimum, then torch.maximum: a NaN stays NaN */
        float v = wp[i] > b ? b : wp[i];
        wp[i] = v < nb ? nb : v;
    }
    return b;
}

/* max |x| over n floats (see abs_max); NaN when the buffer is not direct. */
JNIEXPORT jfloat JNICALL Java_dev_aimc_util_NativeKernels_absMax(JNIEnv *env, jclass cls, jobject x, jlong n) {
    const float *xp = (const float *) addr(env, x);
    return xp ? abs_max(xp, n) : NAN;
}
