package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A grouped 2-D convolution (ONNX Conv with {@code group} G &gt; 1; depthwise when G equals the input channels): the
 * input channels are split into G equal groups and group g is convolved only with its own filters. It is G
 * independent {@link Conv2d}s, children {@code "0"} … {@code "G-1"}, each [out/G, in/G, k, k], whose outputs are
 * concatenated along the channel axis.
 *
 * <p>On analog hardware each group is its own analog layer on its own tiles, which is what a mapper does: a group's
 * (in/G)·k² × out/G matrix uses exactly its cells. (A block-diagonal in·k² × out matrix on shared tiles would hold the
 * same conductances plus (G−1)/G of zero cells that still add read noise and take ADC range; aimc does not simulate
 * that.) A depthwise 3×3 convolution thus becomes G layers of 9 rows by 1 column.
 */
public final class GroupedConv2d extends Module {
    private final int groups;

    /**
     * Creates the groups with PyTorch's default initialisation, parameters in {@code m}.
     *
     * @param m the manager of the parameters
     * @param inChannels input channels, divisible by {@code groups}
     * @param outChannels output channels, divisible by {@code groups}
     * @param groups number of groups G ≥ 1
     * @param kernel square kernel size in pixels
     * @param stride stride in pixels
     * @param padding zero padding in pixels on each side
     * @param bias whether each output channel has a learned bias
     * @throws IllegalArgumentException when the channels are not divisible by {@code groups}
     */
    public GroupedConv2d(NDManager m, int inChannels, int outChannels, int groups, int kernel, int stride,
            int padding, boolean bias) {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("grouped convolution: " + inChannels + " input and " + outChannels
                    + " output channels in " + groups + " groups");
        }
        this.groups = groups;
        for (int g = 0; g < groups; g++) {
            addChild(Integer.toString(g), new Conv2d(m, inChannels / groups, outChannels / groups, kernel, stride,
                    padding, bias));
        }
    }

    /**
     * Number of groups.
     *
     * @return G
     */
    public int groups() {
        return groups;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDList parts = x.split(groups, 1);
        NDList outs = new NDList(groups);
        try {
            for (int g = 0; g < groups; g++) {
                outs.add(children().get(Integer.toString(g)).forward(parts.get(g), training));
            }
            return NDArrays.concat(outs, 1);
        } finally {
            parts.close();
            outs.close();
        }
    }
}
