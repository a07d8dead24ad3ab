package dev.aimc.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer or a network: named trainable parameters, named buffers (e.g. batch-norm running statistics)
 * and named child modules, with a forward pass.
 *
 * <p>Memory rule: {@link #forward} attaches every array it creates to the input's manager
 * ({@code x.getManager()}), so a per-batch sub-manager frees them; an array computed from parameters only
 * (which DJL would attach to the parameters' manager) must be attached to {@code x.getManager()} explicitly.
 * Parameters and buffers live in the manager the network was built with.
 *
 * <p>Modules are addressed by dotted paths ({@code "features.0"}), so a Linear or Conv2d layer can be
 * swapped for its analog twin with {@link #replace} and batch-norm layers found by name.
 */
public abstract class Module {
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    /**
     * Runs the layer on a batch.
     *
     * @param x input, batch first
     * @param training true in a training step (batch statistics, noise injection), false for inference
     * @return the output, attached to {@code x.getManager()}
     */
    public abstract NDArray forward(NDArray x, boolean training);

    /**
     * Registers a child module under {@code name} and returns it.
     *
     * @param <M> the child's type
     * @param name the child's name, one segment of dotted paths (e.g. "0" or "conv1")
     * @param module the child
     * @return {@code module}
     */
    protected <M extends Module> M addChild(String name, M module) {
        children.put(name, module);
        return module;
    }

    /**
     * Registers a trainable parameter (gradient required) and returns it.
     *
     * @param name the parameter's name, e.g. "weight"
     * @param array the values
     * @return {@code array}, now requiring a gradient
     */
    protected NDArray addParameter(String name, NDArray array) {
        array.setRequiresGradient(true);
        parameters.put(name, array);
        return array;
    }

    /**
     * Takes over {@code src}'s own parameter arrays (shared, not copied) in place of this module's parameters of the
     * same names, closing the ones replaced: a twin of {@code src} (same parameter names and shapes) trains
     * {@code src}'s arrays. Parameters this module lacks are not taken.
     *
     * @param src the module whose own parameters are taken over
     */
    protected void adoptParameters(Module src) {
        src.ownParameters().forEach((name, array) -> {
            NDArray replaced = parameters.get(name);
            if (replaced != null) {
                addParameter(name, array);
                replaced.close();
            }
        });
    }

    /**
     * Registers a non-trainable buffer that is saved with the model and returns it.
     *
     * @param name the buffer's name, e.g. "runningMean"
     * @param array the values
     * @return {@code array}
     */
    protected NDArray addBuffer(String name, NDArray array) {
        buffers.put(name, array);
        return array;
    }

    /**
     * Returns this module's own parameter {@code name}.
     *
     * @param name the parameter's name
     * @return the array
     * @throws IllegalArgumentException when there is none of that name
     */
    public NDArray parameter(String name) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter " + name);
        }
        return a;
    }

    /**
     * Returns this module's own buffer {@code name}.
     *
     * @param name the buffer's name
     * @return the array
     * @throws IllegalArgumentException when there is none of that name
     */
    public NDArray buffer(String name) {
        NDArray a = buffers.get(name);
        if (a == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer " + name);
        }
        return a;
    }

    /**
     * Direct children in registration order (unmodifiable).
     *
     * @return children by name
     */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * This module's own parameters (unmodifiable).
     *
     * @return parameters by name
     */
    public Map<String, NDArray> ownParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /**
     * This module's own buffers (unmodifiable).
     *
     * @return buffers by name
     */
    public Map<String, NDArray> ownBuffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /**
     * All modules below this one (this one included, as ""), by dotted path, depth first.
     *
     * @return a new insertion-ordered map
     */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out) {
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.children.entrySet()) {
            collectModules(join(prefix, e.getKey()), e.getValue(), out);
        }
    }

    /**
     * All trainable parameters below this module by dotted path ({@code "features.0.weight"}).
     *
     * @return a new insertion-ordered map
     */
    public Map<String, NDArray> namedParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.parameters.forEach((n, a) -> out.put(join(path, n), a)));
        return out;
    }

    /**
     * All buffers below this module by dotted path ({@code "features.1.runningMean"}).
     *
     * @return a new insertion-ordered map
     */
    public Map<String, NDArray> namedBuffers() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.buffers.forEach((n, a) -> out.put(join(path, n), a)));
        return out;
    }

    /**
     * Number of trainable scalars below this module.
     *
     * @return the sum of the parameters' sizes
     */
    public long parameterCount() {
        return namedParameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /**
     * Returns the module at a dotted path ("" is this module).
     *
     * @param path a dotted path, e.g. "features.3"
     * @return the module
     * @throws IllegalArgumentException when no module has that path
     */
    public Module module(String path) {
        if (path.isEmpty()) {
            return this;
        }
        Module m = this;
        for (String part : path.split("\\.")) {
            Module next = m.children.get(part);
            if (next == null) {
                throw new IllegalArgumentException("no module at path " + path);
            }
            m = next;
        }
        return m;
    }

    /**
     * Replaces the module at a dotted path (not "") by {@code replacement}; returns the old one.
     *
     * @param path a dotted path other than "", e.g. "classifier.0"
     * @param replacement the new module
     * @return the module replaced
     */
    public Module replace(String path, Module replacement) {
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : module(path.substring(0, dot));
        String name = path.substring(dot + 1);
        if (!parent.children.containsKey(name)) {
            throw new IllegalArgumentException("no module at path " + path);
        }
        return parent.children.put(name, replacement);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }
}
