package dev.aimc.nn;

import ai.djl.ndarray.NDArray;

/** Modules applied one after the other; children are named "0", "1", .... */
public final class Sequential extends Module {
    private int count;

    /**
     * Appends a module and returns this.
     *
     * @param m the module, named by its index
     * @return this
     */
    public Sequential add(Module m) {
        addChild(Integer.toString(count++), m);
        return this;
    }

    @Override
    public NDArray forward(NDArray x, boolean training) {
        NDArray h = x;
        for (Module m : children().values()) {
            NDArray next = m.forward(h, training);
            if (h != x) {
                h.close();
            }
            h = next;
        }
        return h;
    }
}
