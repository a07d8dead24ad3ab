package dev.aimc.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.aimc.device.DeviceModel;
import dev.aimc.device.DeviceModels;
import dev.aimc.device.ProgrammedState;
import dev.aimc.util.Check;
import dev.aimc.util.RandomStream;
import dev.aimc.util.Rng;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aimc device}: inspect device models. */
@Command(
        name = "device",
        mixinStandardHelpOptions = true,
        description = "Inspect device models (pcm, pcm-table:FILE, rram, ideal) and list their parameters.",
        subcommands = {DeviceCommand.Stats.class})
public final class DeviceCommand implements Runnable {

    CommandSpec spec;

    /** Receives the command's spec and adds the device-parameter table to its help ({@code aimc device --help}). */
    @Spec
    void spec(CommandSpec s) {
        spec = s;
        s.usageMessage().footer(footer());
    }

    /** {@link DeviceModels#help()} as picocli footer lines (blank line first, '%' escaped). */
    static String[] footer() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("");
        for (String l : DeviceModels.help()) {
            lines.add(l.replace("%", "%%"));
        }
        return lines.toArray(new String[0]);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code aimc device stats}: Monte-Carlo statistics of programmed conductance, drift exponent and one read
     * per (relative target, time) as CSV with header {@value #HEADER}.
     */
    @Command(
            name = "stats",
            mixinStandardHelpOptions = true,
            description = "Monte-Carlo statistics of programming, drift exponent and a read at each time, as CSV.")
    public static final class Stats implements Callable<Integer> {

        /** The CSV header line. */
        public static final String HEADER = "g_rel,time_s,prog_mean_us,prog_std_us,nu_mean,nu_std,g_mean_us,g_std_us";

        @Spec
        CommandSpec spec;

        @Option(names = "--device", defaultValue = "pcm",
                description = DeviceModels.OPTION_HELP + " (default: ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--g-rel", split = ",", defaultValue = "0.1,0.5,1.0",
                description = "Targets relative to g_max, in [0, 1], comma-separated (default: ${DEFAULT-VALUE}).")
        List<Double> gRel;

        @Option(names = "--time", split = ",", defaultValue = "0,3600,86400,31536000", converter = TimeConverter.class,
                description = "Times since programming in seconds, >= 0, comma-separated (default: ${DEFAULT-VALUE}).")
        List<Double> times;

        @Option(names = "--samples", defaultValue = "100000", description = "Devices per target (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--prog-noise-scale", defaultValue = "1", description = "Factor on programming noise "
                + "(pcm: prog-noise-scale, rram: sigma; an error if --device sets that key) (default: ${DEFAULT-VALUE}).")
        double progNoiseScale;

        @Option(names = "--drift-scale", defaultValue = "1", description = "Factor on the drift exponent "
                + "(pcm's drift-scale key; an error if --device sets it) (default: ${DEFAULT-VALUE}).")
        double driftScale;

        @Option(names = "--read-noise-scale", defaultValue = "1", description = "Factor on read noise "
                + "(pcm: read-noise-scale, rram: read-noise; an error if --device sets it) (default: ${DEFAULT-VALUE}).")
        double readNoiseScale;

        @Option(names = "--g-max", description = "g_max in µS, the same as the --device key g-max (default: the "
                + "model's; an error if --device sets it).")
        Double gMax;

        @Override
        public Integer call() {
            Check.that(samples >= 1, "--samples", "must be >= 1", samples);
            for (double g : gRel) {
                Check.range("--g-rel", g, 0, 1);
            }
            for (double t : times) {
                Check.nonNegative("--time", t);
            }
            DeviceModel model = DeviceModels.parse(device, new DeviceModels.Options(
                    gMax == null ? Double.NaN : gMax, progNoiseScale, driftScale, readNoiseScale));
            PrintWriter out = spec.commandLine().getOut();
            out.println(HEADER);
            try (NDManager manager = NDManager.newBaseManager()) {
                for (double g : gRel) {
                    long gSeed = Rng.derive(seed, Double.doubleToLongBits(g));
                    try (NDManager m = manager.newSubManager()) {
                        NDArray target = m.full(new Shape(samples), (float) (g * model.gMaxMicroSiemens()));
                        try (ProgrammedState s = model.program(target, RandomStream.of(gSeed))) {
                            double[] prog = meanStd(s.gProg());
                            double[] nu = meanStd(s.nu());
                            for (double t : times) {
                                RandomStream reads = RandomStream.of(Rng.derive(gSeed, Double.doubleToLongBits(t)));
                                double[] read;
                                try (NDArray gd = model.drift(s, t); NDArray gr = model.read(s, gd, t, reads)) {
                                    read = meanStd(gr);
                                }
                                out.println(plain(g) + "," + plain(t) + "," + num(prog[0]) + "," + num(prog[1]) + ","
                                        + num(nu[0]) + "," + num(nu[1]) + "," + num(read[0]) + "," + num(read[1]));
                            }
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }

        /** Mean and population standard deviation, accumulated in float64. */
        static double[] meanStd(NDArray x) {
            try (NDManager tmp = x.getManager().newSubManager()) {
                NDArray d = x.toType(DataType.FLOAT64, true);
                d.attach(tmp);
                double mean = d.mean().getDouble();
                double var = d.sub(mean).square().mean().getDouble();
                return new double[] {mean, Math.sqrt(var)};
            }
        }

        private static String plain(double v) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }

        private static String num(double v) {
            return String.format(Locale.ROOT, "%.6g", v);
        }
    }
}
