package dev.aimc.nn.hwa;

import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileGrid;
import dev.aimc.util.RandomStream;
import java.util.Objects;

/**
 * What a hardware-aware twin ({@link HwaLinear}, {@link HwaConv2d}) holds besides its parameters: its settings, its
 * weight-noise model, the tiles of the inference it prepares for (their grid for this layer) and the stream its
 * training noise is drawn from (seed 0 until the trainer sets one per epoch).
 */
public final class HwaState {
    private final HwaConfig config;
    private final WeightNoise noise;
    private final TileConfig tiles;
    private final TileGrid grid;
    private RandomStream noiseStream = RandomStream.of(0);

    /**
     * A layer's state.
     *
     * @param config the HWA settings
     * @param noise the weight-noise model
     * @param tiles the tiles of the inference (size and weight scaling; the converters come from {@code config})
     * @param grid this layer's weight matrix on those tiles
     */
    public HwaState(HwaConfig config, WeightNoise noise, TileConfig tiles, TileGrid grid) {
        this.config = Objects.requireNonNull(config, "config");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.tiles = Objects.requireNonNull(tiles, "tiles");
        this.grid = Objects.requireNonNull(grid, "grid");
    }

    /** @return the HWA settings */
    public HwaConfig config() {
        return config;
    }

    /** @return the weight-noise model of the training forward */
    public WeightNoise noise() {
        return noise;
    }

    /** @return the tiles the training forward is laid out on */
    public TileConfig tiles() {
        return tiles;
    }

    /** @return this layer's weight matrix on the tiles */
    public TileGrid grid() {
        return grid;
    }

    /** @return the stream the training noise is drawn from */
    public RandomStream noiseStream() {
        return noiseStream;
    }

    /**
     * Replaces the noise stream (the trainer does at the start of every epoch).
     *
     * @param rng the new stream, not null
     */
    public void setNoiseStream(RandomStream rng) {
        noiseStream = Objects.requireNonNull(rng, "noise stream");
    }
}
