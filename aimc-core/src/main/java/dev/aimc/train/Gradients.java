package dev.aimc.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording on the calling thread, for one forward and backward pass: what DJL's PyTorch gradient
 * collector does (gradient mode on while open, back to what it was on close, backward from a target with a gradient
 * of ones), with the same engine calls and so the same gradients, but without its process-wide flag that allows one
 * collector at a time in a JVM (ours). PyTorch's gradient mode is a setting of each thread and independent graphs
 * may run backward side by side, so networks can train in parallel threads of one JVM: the candidates of a design
 * search on Spark's {@code local[N]} task threads.
 */
public final class Gradients implements AutoCloseable {
    private final boolean before;

    private Gradients() {
        before = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /**
     * Starts recording on this thread.
     *
     * @return the recording, to close after {@link #backward}
     */
    public static Gradients record() {
        return new Gradients();
    }

    /**
     * Back-propagates from {@code target} (its gradient taken as ones), accumulating into the gradients of the
     * arrays that require them.
     *
     * @param target the loss, a PyTorch array recorded on this thread
     */
    public void backward(NDArray target) {
        NDArray ones = target.getManager().ones(target.getShape(), target.getDataType()).toDevice(target.getDevice(),
                false);
        JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }

    /** Sets this thread's gradient mode back to what it was when recording started (off stays off). */
    @Override
    public void close() {
        if (!before) {
            JniUtils.setGradMode(false);
        }
    }
}
