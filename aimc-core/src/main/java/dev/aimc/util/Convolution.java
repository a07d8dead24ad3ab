package dev.aimc.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one entry point of every convolution aimc runs on the PyTorch engine (digital layers, hardware-aware training
 * and the analog tiles' per-tile convolutions alike): PyTorch's convolution with every group's input and output
 * channels zero-padded to a multiple of {@value #BLOCK} where they are more than {@value #BLOCK} and not already a
 * multiple, in training also an ungrouped convolution's output channels below {@value #BLOCK} (last paragraph), and
 * the padding dropped from the result.
 *
 * <p><b>Why.</b> On this project's CI machine (AMD EPYC with AVX-512), libtorch 2.7.1's oneDNN convolution returns
 * NaN at random, in a few to most of the calls of some processes and in none of others, when a group has more than
 * 16 input channels that are not a multiple of 16 (20, 24, 28, 40, 56 and 60 failed; 3, 6, 8, 12, 16, 32 and 48
 * never did): whole output channels come out NaN from finite inputs and weights, as if the kernel read an
 * unwritten part of its reordered weights. It made ResNet-32 training (16, 28 and 56 channels) diverge after a
 * random number of steps. Switching oneDNN off (PyTorch's {@code torch.backends.mkldnn.enabled = False}, which DJL
 * does not expose) cures it, but the fallback convolution is 6.5 times slower here (6.1 s against 0.95 s for one
 * ResNet-32 training step of 128 images on one thread). Zero channels add exact zeros to every sum, so the padded
 * convolution computes the same function; its gradient with respect to the real weights and inputs is the
 * unpadded one. The cost is the padded channels' arithmetic (28 → 32: +14 % per side).
 *
 * <p>Padding the output channels as well keeps the backward pass (whose data-gradient convolution has the
 * forward's output channels as its input channels) off the failing shapes. {@code ConvolutionTest} measures the
 * padded result against a direct sum and counts NaN over repeated calls.
 *
 * <p><b>Output channels in training (found 2026-12-07).</b> The data-gradient (backward-data) convolution, whose
 * input channels are the forward's output channels, returns wrong values whenever those are not a multiple of 16:
 * against a float64 reference, the input gradient of 12 → 4, 4 → 6, 8 → 8, 16 → 6 and 32 → 12 convolutions
 * (5 × 5, 14 × 14, batches of 2 and 64) was off by 3 to 48 times its size, or NaN, while 6 → 16, 16 → 16 and 3 → 16
 * were exact to 1e-5 and the weight gradients and grouped convolutions always were. A 3 → 12 convolution's input
 * gradient had NaN in 0 to 28 of 100 calls per process. It made the short trainings of LeNet-5 candidates with a
 * second convolution of 4, 6, 8 or 12 channels in {@code aimc arch-search} diverge or stall at random. So while
 * gradients are recorded (training), an ungrouped convolution pads its output channels to a multiple of 16 too. DJL
 * tells whether a leaf array requires a gradient but not whether an intermediate activation does, so a convolution
 * of at most {@value #IMAGE_CHANNELS} input channels is taken for a network's image input, whose gradient training
 * never computes, and keeps its output channels (padding LeNet-5's first layer as well made its CIFAR-10 training
 * 2 to 3 times slower); that is our reconstruction of when the fault matters, and a hidden convolution of at most
 * 3 input channels stays exposed to it. In inference every convolution keeps its channels below 16.
 */
public final class Convolution {
    /** Channel multiple the padded convolution uses: oneDNN's AVX-512 channel block of 16 float32 values. */
    public static final int BLOCK = 16;

    /**
     * Input channels up to which an ungrouped convolution is taken for a network's first layer (grayscale or RGB
     * images), whose input gradient training never computes, so its small channel counts are not padded.
     */
    public static final int IMAGE_CHANNELS = 3;

    private Convolution() {}

    /**
     * Channels a group is padded to: {@code c} itself when it is a multiple of {@value #BLOCK}, or below
     * {@value #BLOCK} unless {@code always}; else the next multiple of {@value #BLOCK}.
     *
     * @param c channels per group, ≥ 1
     * @param always pad fewer than {@value #BLOCK} channels too (the output channels of a convolution whose input
     *     gradient a backward pass may compute)
     * @return the padded channel count
     */
    public static long paddedChannels(long c, boolean always) {
        return c % BLOCK == 0 || (c < BLOCK && !always) ? c : (c + BLOCK - 1) / BLOCK * BLOCK;
    }

    /**
     * 2-D convolution, square stride, padding and dilation 1 per axis as given, {@code groups} groups.
     *
     * @param x input [B, C, H, W]
     * @param w weight [O, C / groups, kh, kw]
     * @param bias [O] or null
     * @param stride stride (sh, sw)
     * @param pad zero padding (ph, pw) in pixels
     * @param dilation dilation (dh, dw)
     * @param groups groups, dividing C and O
     * @return [B, O, H', W'], PyTorch's convolution of the unpadded arrays
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape pad, Shape dilation,
            int groups) {
        return convNd(x, w, bias, stride, pad, dilation, groups);
    }

    /**
     * 1-D convolution, as {@link #conv2d} for [B, C, L] inputs and [O, C / groups, k] weights.
     *
     * @param x input [B, C, L]
     * @param w weight [O, C / groups, k]
     * @param bias [O] or null
     * @param stride stride (s)
     * @param pad zero padding (p)
     * @param dilation dilation (d)
     * @param groups groups, dividing C and O
     * @return [B, O, L']
     */
    public static NDArray conv1d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape pad, Shape dilation,
            int groups) {
        return convNd(x, w, bias, stride, pad, dilation, groups);
    }

    private static NDArray convNd(NDArray x, NDArray w, NDArray bias, Shape stride, Shape pad, Shape dilation,
            int groups) {
        long[] xs = x.getShape().getShape();
        long[] wsh = w.getShape().getShape();
        long cg = wsh[1];
        long og = wsh[0] / groups;
        // whether a backward pass may compute the input's gradient: DJL tells whether a leaf requires a gradient,
        // not whether an intermediate activation does, so this asks whether gradients are being recorded on this
        // thread and takes an input of at most IMAGE_CHANNELS channels for a network's image input
        boolean dataGradient = groups == 1 && cg > IMAGE_CHANNELS && JniUtils.isGradMode();
        long cgp = paddedChannels(cg, false);
        long ogp = paddedChannels(og, dataGradient);
        if (cgp == cg && ogp == og) {
            return raw(x, w, bias, stride, pad, dilation, groups);
        }
        NDArray xp = x;
        if (cgp != cg) { // [B, G·cg, ...] → [B, G, cg, ...] → pad the cg axis → [B, G·cgp, ...]
            xp = Nd.padAxis(x.reshape(byGroup(xs, 1, groups)), 2, cgp).reshape(withChannels(xs, groups * cgp));
        }
        // weight [G·og, cg, k...] → [G, og, cg, k...] → pad og and cg → [G·ogp, cgp, k...]. Every temporary is
        // moved into the input's manager (the caller's batch scope): made from the weight, it would otherwise
        // live in the parameters' manager until the network is closed (a leak of a few arrays per call).
        NDManager scope = x.getManager();
        NDArray wp = Nd.padAxis(Nd.padAxis(Nd.in(scope, w.reshape(byGroup(wsh, 0, groups))), 1, ogp), 2, cgp);
        long[] wmerged = wsh.clone();
        wmerged[0] = groups * ogp;
        wmerged[1] = cgp;
        wp = wp.reshape(new Shape(wmerged));
        NDArray bp = bias == null ? null
                : Nd.padAxis(Nd.in(scope, bias.reshape(groups, og)), 1, ogp).reshape(groups * ogp);
        NDArray y = raw(xp, wp, bp, stride, pad, dilation, groups);
        if (ogp == og) {
            return y;
        }
        long[] ys = y.getShape().getShape(); // [B, G·ogp, ...] → keep the first og of each group
        return y.reshape(byGroup(ys, 1, groups)).get(":, :, 0:{}", og).reshape(withChannels(ys, groups * og));
    }

    /** {@code shape} with axis {@code axis} (G·c long) split into [G, c]: e.g. [B, G·c, ...] as [B, G, c, ...]. */
    private static Shape byGroup(long[] shape, int axis, int groups) {
        long[] split = new long[shape.length + 1];
        System.arraycopy(shape, 0, split, 0, axis);
        split[axis] = groups;
        split[axis + 1] = shape[axis] / groups;
        System.arraycopy(shape, axis + 1, split, axis + 2, shape.length - axis - 1);
        return new Shape(split);
    }

    /** {@code shape} with {@code channels} on axis 1. */
    private static Shape withChannels(long[] shape, long channels) {
        long[] s = shape.clone();
        s[1] = channels;
        return new Shape(s);
    }

    private static NDArray raw(NDArray x, NDArray w, NDArray bias, Shape stride, Shape pad, Shape dilation,
            int groups) {
        if (x.getShape().dimension() == 3) {
            return ai.djl.nn.convolutional.Conv1d.conv1d(x, w, bias, stride, pad, dilation, groups)
                    .singletonOrThrow();
        }
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, w, bias, stride, pad, dilation, groups).singletonOrThrow();
    }
}
