package dev.aimc.data;

import dev.aimc.util.ConfigException;
import dev.aimc.util.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point to the data sets: where they live ({@code --data-dir} or {@code AIMC_DATA}), loading by name, the
 * embedded MNIST subset, and a status report.
 *
 * <p>Layout under the data directory: {@code mnist/}, {@code fashion-mnist/} (IDX files as published, raw or
 * ".gz"), {@code cifar10/cifar-10-batches-bin/}, {@code har/UCI HAR Dataset/} and
 * {@code har265/UCI HAR Dataset/} (the UCI HAR windows with the first 265 of the 561 features, X files gzip; see
 * {@link HarReader}).
 */
public final class DataSets {
    /** Environment variable naming the data directory when no {@code --data-dir} is given. */
    public static final String ENV = "AIMC_DATA";
    /** Names accepted by {@link #load}: the embedded subset first, then the data sets of the data directory. */
    public static final List<String> NAMES = List.of("mnist-subset", "mnist", "fashion-mnist", "cifar10", "har",
            "har-signals", "har265");
    /** Digit class names of MNIST. */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Fashion-MNIST class names (Xiao et al. 2017). */
    public static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Class-path folder of the embedded subset. */
    static final String EMBEDDED = "/dev/aimc/data/mnist-subset/";

    private DataSets() {}

    /**
     * The data directory: {@code flag} if non-null, else {@code $AIMC_DATA} if set and non-empty, else null.
     *
     * @param flagOrNull the --data-dir value, or null
     * @return the data directory, or null when neither the flag nor AIMC_DATA is set
     */
    public static Path resolve(String flagOrNull) {
        String v = flagOrNull != null ? flagOrNull : System.getenv(ENV);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /**
     * Loads data set {@code name} from the data directory of {@code $AIMC_DATA} (see {@link #resolve}).
     *
     * @param name a data set name from {@link #NAMES}
     * @param split train or test
     * @return the loaded split
     * @throws ConfigException when AIMC_DATA is unset and the set is not the embedded subset
     * @throws DataFormatException when the files are missing or corrupt
     */
    public static Dataset load(String name, Split split) {
        return load(resolve(null), name, split);
    }

    /**
     * Loads data set {@code name} ({@link #NAMES}); {@code dataDir} may be null for "mnist-subset".
     *
     * @param dataDir the data directory (may be null for "mnist-subset")
     * @param name a data set name from {@link #NAMES}
     * @param split train or test
     * @return the loaded split
     * @throws DataFormatException when the folder or a file is missing or corrupt
     */
    public static Dataset load(Path dataDir, String name, Split split) {
        if ("mnist-subset".equals(checkName(name))) {
            return embeddedMnist(split);
        }
        Path dir = folder(requireDir(dataDir), name);
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir + ": not found (" + howToGet(name, dataDir) + ")");
        }
        switch (name) {
            case "mnist": return IdxReader.load(dir, split, name, DIGITS, Normalization.MNIST);
            case "fashion-mnist": return IdxReader.load(dir, split, name, FASHION, Normalization.FASHION_MNIST);
            case "cifar10": return Cifar10Reader.load(dir, split);
            case "har": return HarReader.features(dir, split);
            case "har265": return HarReader.features(dir, split, name);
            case "har-signals": return HarReader.signals(dir, split);
            default: throw new IllegalStateException(name);
        }
    }

    /**
     * Checks a data set name against {@link #NAMES}; throws {@link ConfigException} otherwise.
     *
     * @param name the name to check
     * @return {@code name}, unchanged
     * @throws ConfigException naming the valid names
     */
    public static String checkName(String name) {
        if (!NAMES.contains(name)) {
            throw new ConfigException("data set must be one of " + String.join(", ", NAMES) + ", got " + name);
        }
        return name;
    }

    /**
     * Folder of data set {@code name} under {@code dataDir}.
     *
     * @param dataDir the data directory
     * @param name a data set name other than "mnist-subset"
     * @return e.g. {@code dataDir/cifar10/cifar-10-batches-bin}, {@code dataDir/har/UCI HAR Dataset} or
     *     {@code dataDir/har265/UCI HAR Dataset}
     */
    public static Path folder(Path dataDir, String name) {
        switch (checkName(name)) {
            case "mnist": return dataDir.resolve("mnist");
            case "fashion-mnist": return dataDir.resolve("fashion-mnist");
            case "cifar10": return dataDir.resolve("cifar10").resolve("cifar-10-batches-bin");
            case "har": case "har-signals": return dataDir.resolve("har").resolve("UCI HAR Dataset");
            case "har265": return dataDir.resolve("har265").resolve("UCI HAR Dataset");
            default: throw new ConfigException("mnist-subset is embedded in aimc and has no folder");
        }
    }

    /**
     * The embedded stratified MNIST subset ("mnist-subset"): the first 1,000 training images of each digit
     * (10,000) and the first 200 test images of each digit (2,000), in file order; see {@link EmbeddedSubsetBuilder}.
     *
     * @param split train (10,000 images) or test (2,000 images)
     * @return the subset with MNIST normalisation
     */
    public static Dataset embeddedMnist(Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        String img = EMBEDDED + prefix + "-images-idx3-ubyte.gz";
        String lbl = EMBEDDED + prefix + "-labels-idx1-ubyte.gz";
        IdxReader.Images images;
        int[] labels;
        try (InputStream a = resource(img); InputStream b = resource(lbl)) {
            images = IdxReader.readImages(a, "classpath:" + img);
            labels = IdxReader.readLabels(b, "classpath:" + lbl, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return IdxReader.combine(images, "classpath:" + img, labels, "classpath:" + lbl, "mnist-subset", DIGITS,
                Normalization.MNIST);
    }

    /**
     * Status of every data set (embedded subset first); reads all files when {@code verify}.
     *
     * @param dataDir the data directory (null: only the embedded subset can be present)
     * @param verify read and parse every file (slow) instead of only checking that it exists
     * @return one status per name in {@link #NAMES}
     */
    public static List<DataStatus> status(Path dataDir, boolean verify) {
        List<DataStatus> out = new ArrayList<>();
        for (String name : NAMES) {
            out.add(status(dataDir, name, verify));
        }
        return out;
    }

    /**
     * Status of one data set.
     *
     * @param dataDir the data directory (may be null)
     * @param name a data set name from {@link #NAMES}
     * @param verify read and parse every file instead of only checking that it exists
     * @return valid, present, missing or corrupt, with the files concerned
     */
    public static DataStatus status(Path dataDir, String name, boolean verify) {
        boolean embedded = "mnist-subset".equals(checkName(name));
        Path dir = embedded || dataDir == null ? null : folder(dataDir, name);
        if (!embedded) {
            if (dataDir == null) {
                return new DataStatus(name, DataStatus.State.MISSING, -1, -1, null,
                        "no data directory (--data-dir or " + ENV + ")");
            }
            if (!Files.isDirectory(dir)) {
                return new DataStatus(name, DataStatus.State.MISSING, -1, -1, dir,
                        "no folder " + dir + " (" + howToGet(name, dataDir) + ")");
            }
            for (String f : requiredFiles(name)) {
                if (Inputs.locate(dir, f) == null) {
                    return new DataStatus(name, DataStatus.State.MISSING, -1, -1, dir, "missing " + f);
                }
            }
            if (!verify) {
                return new DataStatus(name, DataStatus.State.PRESENT, -1, -1, dir, "");
            }
        }
        try {
            int train = load(dataDir, name, Split.TRAIN).size();
            int test = load(dataDir, name, Split.TEST).size();
            return new DataStatus(name, DataStatus.State.VALID, train, test, dir, "");
        } catch (DataFormatException | ConfigException e) {
            return new DataStatus(name, DataStatus.State.CORRUPT, -1, -1, dir, e.getMessage());
        } catch (UncheckedIOException e) {
            return new DataStatus(name, DataStatus.State.CORRUPT, -1, -1, dir, e.getMessage());
        }
    }

    /**
     * Files (relative to {@link #folder}, names without the optional ".gz") a data set needs.
     *
     * @param name a data set name other than "mnist-subset"
     * @return relative paths, e.g. "train-images-idx3-ubyte"
     */
    public static List<String> requiredFiles(String name) {
        List<String> f = new ArrayList<>();
        switch (checkName(name)) {
            case "mnist": case "fashion-mnist":
                for (String p : List.of("train", "t10k")) {
                    f.add(p + "-images-idx3-ubyte");
                    f.add(p + "-labels-idx1-ubyte");
                }
                break;
            case "cifar10":
                f.addAll(Cifar10Reader.files(Split.TRAIN));
                f.addAll(Cifar10Reader.files(Split.TEST));
                break;
            case "har": case "har-signals": case "har265":
                boolean sig = name.equals("har-signals");
                f.addAll(HarReader.commonFiles(sig));
                f.addAll(HarReader.files(Split.TRAIN, sig));
                f.addAll(HarReader.files(Split.TEST, sig));
                break;
            default:
                break;
        }
        return f;
    }

    /** What to run to get a data set: its {@code aimc data fetch} command, or where har265 comes from. */
    static String howToGet(String name, Path dataDir) {
        if (name.equals("har265")) {
            return "har265 is not downloadable: the UCI HAR windows with the first 265 features, rebuilt by the team;"
                    + " copy the folder har265/ into " + dataDir;
        }
        return "run: aimc data fetch " + fetchName(name) + " --data-dir " + dataDir;
    }

    /** The name {@code aimc data fetch} uses for a data set ("har-signals" comes with "har"). */
    static String fetchName(String name) {
        return name.equals("har-signals") ? "har" : name;
    }

    private static Path requireDir(Path dataDir) {
        if (dataDir == null) {
            throw new ConfigException("data directory must be given with --data-dir or " + ENV + ", got none");
        }
        return dataDir;
    }

    private static InputStream resource(String path) {
        InputStream in = DataSets.class.getResourceAsStream(path);
        if (in == null) {
            throw new DataFormatException("classpath:" + path + ": embedded resource not found");
        }
        return in;
    }
}
