package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.ConfigException;
import dev.aimc.util.RandomStream;
import java.util.List;

/**
 * The programming algorithms as {@link TileProgrammer}s for
 * {@link AnalogMatrix#program(DeviceModel, TileProgrammer, RandomStream)}:
 * the one-shot statistical model ({@link OneShot}) and the pulse algorithms ({@link OpenLoop}, {@link ProgramVerify},
 * {@link Gdp}, each a {@link CrossbarProgrammer} record of its parameters) run tile by tile on a
 * {@link SimulatedCrossbar} by {@link Process} (a Java loop over the R × C tiles; each tile's reads go through the
 * layer's own tile configuration, its targets are the tile's {@link AnalogMatrix#targetConductances}; tile (r, c)
 * draws from child r·C + c of the programming stream). Every programmer reports its pulses per device
 * ({@link TileProgrammer#pulseCounts()}).
 */
public final class Programmers {
    private Programmers() {}

    /** Accepted names. */
    public static final List<String> NAMES = List.of("oneshot", "openloop", "verify", "gdp");

    /**
     * The programmer called {@code name} with default parameters (history tracking off).
     *
     * @param option the option named in the error, e.g. "--method"
     * @param name "oneshot", "openloop", "verify" or "gdp"
     * @return the programmer
     * @throws ConfigException naming {@code option} for an unknown name
     */
    public static TileProgrammer parse(String option, String name) {
        return switch (name == null ? "" : name) {
            case "oneshot" -> oneShot();
            case "openloop" -> tiled(new OpenLoop());
            case "verify" -> tiled(ProgramVerify.defaults().withHistoryInputs(0));
            case "gdp" -> tiled(Gdp.defaults().withHistoryInputs(0));
            default -> throw new ConfigException(option + " must be one of " + String.join(", ", NAMES) + ", got "
                    + name);
        };
    }

    /**
     * The device model's one-shot programming (same state as {@link AnalogMatrix#program(DeviceModel, RandomStream)}
     * with the same chip stream).
     *
     * @return the one-shot programmer
     */
    public static OneShot oneShot() {
        return new OneShot();
    }

    /**
     * {@code algorithm} run on every tile of a matrix.
     *
     * @param algorithm the per-crossbar algorithm
     * @return the tiled process
     */
    public static Process tiled(CrossbarProgrammer algorithm) {
        return new Process(algorithm);
    }

    /**
     * {@link #tiled(CrossbarProgrammer)} whose single-cell reads pass the column ADC with its errors
     * ({@link Periphery#cellReadsThroughAdc()}) or not.
     *
     * @param algorithm the per-crossbar algorithm
     * @param cellReadsThroughAdc whether the verify reads see the column ADC's gain, offset and noise
     * @return the tile programmer
     */
    public static Process tiled(CrossbarProgrammer algorithm, boolean cellReadsThroughAdc) {
        return new Process(algorithm, cellReadsThroughAdc);
    }

    /**
     * The device model's statistical one-shot programming ({@code device.program(targets, rng)}: σ_prog as after an ideal
     * closed loop). Counted as one programming operation, i.e. exactly one pulse, per device.
     */
    public static final class OneShot implements TileProgrammer {
        private PulseCounts counts = PulseCounts.NONE;

        @Override
        public ProgrammedState program(AnalogMatrix matrix, DeviceModel device, RandomStream rng) {
            NDArray target = matrix.targetConductances(device);
            long n = target.getShape().size();
            ProgrammedState s = device.program(target, rng);
            if (s.gProg() != target) {
                target.close();
            }
            counts = new PulseCounts(counts.pulses() + n, counts.devices() + n, 1,
                    counts.tiles() + matrix.rowTiles() * matrix.colTiles());
            return s;
        }

        @Override
        public String name() {
            return "oneshot";
        }

        @Override
        public PulseCounts pulseCounts() {
            return counts;
        }
    }

    /** Programming by pulses, tile by tile; counts pulses and time over all calls. */
    public static final class Process implements TileProgrammer {
        private final CrossbarProgrammer algorithm;
        private final boolean cellReadsThroughAdc;
        private PulseCounts counts = PulseCounts.NONE;
        private double seconds;
        private int maxIterations;
        private double[] lastHistory = new double[0];

        /**
         * Runs {@code algorithm} (its parameters) on every tile.
         *
         * @param algorithm the per-crossbar algorithm
         */
        public Process(CrossbarProgrammer algorithm) {
            this(algorithm, false);
        }

        /**
         * A tile programmer running {@code algorithm} on every tile.
         *
         * @param algorithm the per-crossbar algorithm, not null
         * @param cellReadsThroughAdc whether single-cell reads see the column ADC's gain, offset and noise
         */
        public Process(CrossbarProgrammer algorithm, boolean cellReadsThroughAdc) {
            this.algorithm = java.util.Objects.requireNonNull(algorithm, "algorithm");
            this.cellReadsThroughAdc = cellReadsThroughAdc;
        }

        /**
         * The per-crossbar algorithm and its parameters.
         *
         * @return the algorithm
         */
        public CrossbarProgrammer algorithm() {
            return algorithm;
        }

        /**
         * Whether the single-cell (verify) reads pass the column ADC with its gain, offset and noise.
         *
         * @return true when they do
         */
        public boolean cellReadsThroughAdc() {
            return cellReadsThroughAdc;
        }

        @Override
        public String name() {
            return algorithm.name();
        }

        @Override
        public PulseCounts pulseCounts() {
            return counts;
        }

        @Override
        public ProgrammedState program(AnalogMatrix matrix, DeviceModel device, RandomStream rng) {
            TileConfig cfg = matrix.config();
            if (cfg.mapping() != TileConfig.Mapping.DIFFERENTIAL) {
                throw new ConfigException("--programming " + name() + " needs the differential mapping, got "
                        + cfg.mapping().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            Programming.withoutProgrammingNoise(device); // fails early for devices without a process model
            int rt = matrix.rowTiles();
            int ct = matrix.colTiles();
            int rows = matrix.tileRows();
            int cols = matrix.tileCols();
            Periphery p = Periphery.of(cfg).withCellReadsThroughAdc(cellReadsThroughAdc);
            NDArray[] adc = matrix.adcMismatch(); // the chip's column ADCs, also during programming
            PulseModel pm = PulseModel.calibrated(device.gMaxMicroSiemens());
            long t0 = System.nanoTime();
            try (NDManager work = matrix.manager().newSubManager()) {
                NDArray targets = matrix.targetConductances(device); // [R, C, 2, rows, cols] µS, the tile's mapping
                targets.attach(work);
                NDList g = new NDList();
                NDList nu = new NDList();
                for (int r = 0; r < rt; r++) { // a loop over tiles: each tile is programmed on its own
                    for (int c = 0; c < ct; c++) {
                        NDArray t = targets.get(r, c);
                        t.attach(work);
                        try (SimulatedCrossbar xb = new SimulatedCrossbar(work, rows, cols, device, pm, p,
                                rng.split((long) r * ct + c))) {
                            if (adc != null) {
                                xb.useAdcMismatch(adc[0].get(r, c), adc[1].get(r, c));
                            }
                            try (ProgramResult res = algorithm.run(device, xb, t)) {
                                NDArray gs = res.state().gProg().duplicate();
                                NDArray ns = res.state().nu().duplicate();
                                gs.attach(work);
                                ns.attach(work);
                                g.add(gs);
                                nu.add(ns);
                                counts = counts.plus(res.pulses(), 2L * rows * cols, res.pulsesPerDeviceMax());
                                maxIterations = Math.max(maxIterations, res.iterations());
                                lastHistory = res.history();
                            }
                        }
                    }
                }
                NDArray gAll = NDArrays.stack(g).reshape(rt, ct, 2, rows, cols);
                NDArray nuAll = NDArrays.stack(nu).reshape(rt, ct, 2, rows, cols);
                gAll.attach(matrix.manager());
                nuAll.attach(matrix.manager());
                seconds += (System.nanoTime() - t0) / 1e9;
                return new ProgrammedState(gAll, nuAll);
            }
        }

        /**
         * Pulses applied so far (all calls).
         *
         * @return the pulse count
         */
        public long pulses() {
            return counts.pulses();
        }

        /**
         * Mean pulses per device so far (padding devices of edge tiles included).
         *
         * @return mean pulses per device
         */
        public double pulsesPerDevice() {
            return counts.meanPerDevice();
        }

        /**
         * Most pulses any device received.
         *
         * @return the maximum count
         */
        public double maxPulsesPerDevice() {
            return counts.maxPerDevice();
        }

        /**
         * Most iterations any tile ran.
         *
         * @return the maximum
         */
        public int maxIterations() {
            return maxIterations;
        }

        /**
         * Wall time spent programming so far, seconds.
         *
         * @return seconds
         */
        public double seconds() {
            return seconds;
        }

        /**
         * Tiles programmed so far.
         *
         * @return the tile count
         */
        public int tiles() {
            return counts.tiles();
        }

        /**
         * ε history of the last tile programmed (empty unless the algorithm tracks it).
         *
         * @return ε after each iteration, or an empty array
         */
        public double[] lastHistory() {
            return lastHistory;
        }
    }
}
