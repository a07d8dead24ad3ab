package dev.aimc.program;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.ProgrammedState;
import dev.aimc.tile.AnalogMatrix;
import dev.aimc.tile.TileConfig;
import dev.aimc.tile.TileProgrammer;
import dev.aimc.util.ConfigException;
import java.util.List;

/**
 * {@link TileProgrammer}s for {@link AnalogMatrix#program(DeviceModel, TileProgrammer)}: the one-shot statistical
 * model and the process algorithms (open loop, program-and-verify, GDP) run tile by tile on a
 * {@link SimulatedCrossbar} (a Java loop over the R × C tiles; each tile's reads go through the layer's own tile
 * configuration). Every algorithm uses its defaults; nothing is tuned per matrix.
 */
public final class Programmers {
    private Programmers() {}

    /** Accepted names. */
    public static final List<String> NAMES = List.of("oneshot", "openloop", "verify", "gdp");

    /**
     * The programmer called {@code name} with default parameters (history tracking off).
     *
     * @throws ConfigException naming {@code option} for an unknown name
     */
    public static TileProgrammer parse(String option, String name) {
        return switch (name == null ? "" : name) {
            case "oneshot" -> oneShot();
            case "openloop" -> new Process("openloop", null, null);
            case "verify" -> new Process("verify", ProgramVerify.defaults().withHistoryInputs(0), null);
            case "gdp" -> new Process("gdp", null, Gdp.defaults().withHistoryInputs(0));
            default -> throw new ConfigException(option + " must be one of " + String.join(", ", NAMES) + ", got "
                    + name);
        };
    }

    /** The device model's one-shot programming (same as {@link AnalogMatrix#program(DeviceModel)}). */
    public static TileProgrammer oneShot() {
        return new TileProgrammer() {
            @Override
            public ProgrammedState program(AnalogMatrix matrix, DeviceModel device) {
                NDArray target = matrix.targetConductances(device);
                ProgrammedState s = device.program(target);
                if (s.gProg() != target) {
                    target.close();
                }
                return s;
            }

            @Override
            public String name() {
                return "oneshot";
            }
        };
    }

    /** Programming by pulses, tile by tile; counts pulses and time over all calls. */
    public static final class Process implements TileProgrammer {
        private final String method;
        private final ProgramVerify verify;
        private final Gdp gdp;
        private long pulses;
        private long devices;
        private double seconds;
        private double maxPerDevice;
        private int maxIterations;
        private int tiles;
        private double[] lastHistory = new double[0];

        /**
         * @param method "openloop", "verify" or "gdp"
         * @param verify parameters for "verify"
         * @param gdp parameters for "gdp"
         */
        public Process(String method, ProgramVerify verify, Gdp gdp) {
            if (!List.of("openloop", "verify", "gdp").contains(method)
                    || (method.equals("verify") && verify == null) || (method.equals("gdp") && gdp == null)) {
                throw new IllegalArgumentException("bad process programmer " + method);
            }
            this.method = method;
            this.verify = verify;
            this.gdp = gdp;
        }

        @Override
        public String name() {
            return method;
        }

        @Override
        public ProgrammedState program(AnalogMatrix matrix, DeviceModel device) {
            TileConfig cfg = matrix.config();
            if (cfg.mapping() != TileConfig.Mapping.DIFFERENTIAL) {
                throw new ConfigException("--programming " + method + " needs the differential mapping, got "
                        + cfg.mapping().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            Programming.withoutProgrammingNoise(device); // fails early for devices without a process model
            NDArray nt = matrix.normalizedTargets(); // [R, C, 2, rows, cols]
            int rt = matrix.rowTiles();
            int ct = matrix.colTiles();
            int rows = matrix.tileRows();
            int cols = matrix.tileCols();
            Periphery p = Periphery.of(cfg);
            PulseModel pm = PulseModel.calibrated(device.gMaxMicroSiemens());
            long t0 = System.nanoTime();
            try (NDManager work = matrix.manager().newSubManager()) {
                NDList g = new NDList();
                NDList nu = new NDList();
                for (int r = 0; r < rt; r++) { // a loop over tiles: each tile is programmed on its own
                    for (int c = 0; c < ct; c++) {
                        NDArray t = nt.get(r, c);
                        t.attach(work);
                        NDArray wn = t.get(0).sub(t.get(1));
                        try (SimulatedCrossbar xb = new SimulatedCrossbar(work, rows, cols, device, pm, p);
                                ProgramResult res = run(device, xb, wn)) {
                            NDArray gs = res.state().gProg().duplicate();
                            NDArray ns = res.state().nu().duplicate();
                            gs.attach(work);
                            ns.attach(work);
                            g.add(gs);
                            nu.add(ns);
                            pulses += res.pulses();
                            devices += 2L * rows * cols;
                            maxPerDevice = Math.max(maxPerDevice, res.pulsesPerDeviceMax());
                            maxIterations = Math.max(maxIterations, res.iterations());
                            lastHistory = res.history();
                            tiles++;
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

        private ProgramResult run(DeviceModel device, SimulatedCrossbar xb, NDArray wn) {
            return switch (method) {
                case "openloop" -> Programming.openLoop(device, xb, Targets.conductances(wn, xb.gMax()));
                case "verify" -> verify.run(device, xb, wn);
                default -> gdp.run(device, xb, wn);
            };
        }

        /** Pulses applied so far (all calls). */
        public long pulses() {
            return pulses;
        }

        /** Mean pulses per device so far (padding devices of edge tiles included). */
        public double pulsesPerDevice() {
            return devices == 0 ? 0 : pulses / (double) devices;
        }

        /** Most pulses any device received. */
        public double maxPulsesPerDevice() {
            return maxPerDevice;
        }

        /** Most iterations any tile ran. */
        public int maxIterations() {
            return maxIterations;
        }

        /** Wall time spent programming so far, seconds. */
        public double seconds() {
            return seconds;
        }

        /** Tiles programmed so far. */
        public int tiles() {
            return tiles;
        }

        /** ε history of the last tile programmed (empty unless the algorithm tracks it). */
        public double[] lastHistory() {
            return lastHistory;
        }
    }
}
