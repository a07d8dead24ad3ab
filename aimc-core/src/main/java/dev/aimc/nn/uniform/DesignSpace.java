package dev.aimc.nn.uniform;

import dev.aimc.search.ParetoEvolution;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The space of the architecture search ({@link ParetoEvolution}) over widths and per-layer sign modes
 * ({@link SearchDesign}): every width gene is drawn from its own list of choices, every layer takes one of the
 * allowed sign modes. Genes: one width index per searched width and one sign per layer. Mutation changes one gene:
 * a width moves to a neighbouring choice (half the time) or to any other choice, a sign to another allowed mode;
 * genes with one choice are never drawn. Crossover takes each gene from either parent with equal probability. The
 * objective is given as a function, so the space can be searched with a short training (the
 * {@code aimc arch-search} command) or a synthetic objective (tests). Spaces: {@link #mlp} and {@link #lenet}.
 *
 * @param <D> the candidates
 */
public final class DesignSpace<D extends SearchDesign> implements ParetoEvolution.Problem<D> {
    private final int[][] choices;
    private final int layers;
    private final String modes;
    private final BiFunction<int[], String, D> make;
    private final Function<D, ParetoEvolution.Score> objective;
    private Function<List<D>, List<ParetoEvolution.Score>> batchObjective;

    private DesignSpace(int[][] choices, int layers, String modes, BiFunction<int[], String, D> make,
            Function<D, ParetoEvolution.Score> objective) {
        this.choices = choices;
        this.layers = layers;
        this.modes = checkModes(modes);
        this.make = make;
        this.objective = objective;
    }

    /**
     * The MLPs {@code inputs − h_1 − … − h_H − classes} ({@link MlpDesign}), every hidden width among the same
     * choices.
     *
     * @param inputs input features
     * @param classes outputs
     * @param hiddenLayers hidden layers H, in [1, 8]
     * @param widthChoices the widths a hidden layer may take, distinct, each ≥ 1 (sorted here)
     * @param modes the allowed sign modes, a non-empty subset of "+-0" ({@link SearchDesign#SIGN_CHARS})
     * @param objective cost and value of a candidate
     * @return the space
     * @throws ConfigException naming --hidden-layers, --widths or --sign-modes
     */
    public static DesignSpace<MlpDesign> mlp(int inputs, int classes, int hiddenLayers, int[] widthChoices,
            String modes, Function<MlpDesign, ParetoEvolution.Score> objective) {
        Check.range("--hidden-layers", hiddenLayers, 1, 8);
        int[] w = choices("--widths", widthChoices);
        int[][] c = new int[hiddenLayers][];
        Arrays.fill(c, w);
        return new DesignSpace<>(c, hiddenLayers + 1, modes, (h, s) -> new MlpDesign(inputs, h, classes, s),
                objective);
    }

    /**
     * The LeNet-5s of {@link LeNetDesign}: both convolutions' channels among {@code convChoices}, both hidden fully
     * connected widths among {@code fcChoices}.
     *
     * @param shape a design giving the images' channels, size, first padding and the classes (its widths and
     *     signs are not used)
     * @param convChoices channels a convolution may take, distinct, each ≥ 1
     * @param fcChoices widths a hidden fully connected layer may take, distinct, each ≥ 1
     * @param modes the allowed sign modes
     * @param objective cost and value of a candidate
     * @return the space
     * @throws ConfigException naming --conv-widths, --fc-widths or --sign-modes
     */
    public static DesignSpace<LeNetDesign> lenet(LeNetDesign shape, int[] convChoices, int[] fcChoices, String modes,
            Function<LeNetDesign, ParetoEvolution.Score> objective) {
        int[] c = choices("--conv-widths", convChoices);
        int[] f = choices("--fc-widths", fcChoices);
        return new DesignSpace<>(new int[][] {c, c, f, f}, 5, modes, (w, s) -> new LeNetDesign(shape.inChannels(),
                shape.imageSize(), shape.pad(), w, shape.classes(), s), objective);
    }

    /**
     * Checks and sorts the choices of a width.
     *
     * @param option the option named in an error
     * @param widths the widths, distinct, each in [1, 65536]
     * @return a sorted copy
     * @throws ConfigException naming {@code option} when empty, out of range or repeated
     */
    public static int[] choices(String option, int[] widths) {
        if (widths == null || widths.length == 0) {
            throw new ConfigException(option + " must give at least one width, got none");
        }
        int[] w = widths.clone();
        Arrays.sort(w);
        for (int i = 0; i < w.length; i++) {
            Check.range(option, w[i], 1, 1 << 16);
            Check.that(i == 0 || w[i] != w[i - 1], option, "must be distinct", w[i]);
        }
        return w;
    }

    /**
     * Checks a set of sign modes before anything else is done with them (the command checks its options before it
     * reads data).
     *
     * @param modes the modes a layer may take, one character each ({@link SearchDesign#SIGN_CHARS})
     * @return {@code modes}
     * @throws ConfigException naming --sign-modes when empty, unknown or repeated
     */
    public static String checkModes(String modes) {
        if (modes == null || modes.isEmpty() || modes.chars().anyMatch(c -> SearchDesign.SIGN_CHARS.indexOf(c) < 0)
                || modes.chars().distinct().count() != modes.length()) {
            throw new ConfigException("--sign-modes must be distinct modes among +, - and bipolar, got " + modes);
        }
        return modes;
    }

    /**
     * The size of the space.
     *
     * @return Π choices · modes^layers
     */
    public double size() {
        double n = Math.pow(modes.length(), layers);
        for (int[] c : choices) {
            n *= c.length;
        }
        return n;
    }

    /**
     * The number of width genes.
     *
     * @return the length of a design's {@link SearchDesign#searchedWidths()}
     */
    public int widthGenes() {
        return choices.length;
    }

    /**
     * The all-bipolar design of given widths (the baseline of a search, bipolar even where the allowed modes
     * exclude it).
     *
     * @param widths the searched widths, each among its gene's choices
     * @return the design, every layer '0'
     * @throws ConfigException naming --baseline when a width is outside the space
     */
    public D baseline(int[] widths) {
        checkWidths("--baseline", widths);
        return make.apply(widths.clone(), "0".repeat(layers));
    }

    private void checkWidths(String option, int[] widths) {
        Check.that(widths.length == choices.length, option, "must give " + choices.length + " widths",
                Arrays.toString(widths));
        for (int i = 0; i < widths.length; i++) {
            Check.that(Arrays.binarySearch(choices[i], widths[i]) >= 0, option, "width " + (i + 1)
                    + " must be one of the searched widths " + Arrays.toString(choices[i]), widths[i]);
        }
    }

    /**
     * A candidate of this space.
     *
     * @param widths the searched widths (each among its gene's choices)
     * @param signs one allowed mode per layer
     * @return the candidate
     * @throws ConfigException when a width or sign is outside the space
     */
    public D design(int[] widths, String signs) {
        checkWidths("widths", widths);
        for (char c : signs.toCharArray()) {
            Check.that(modes.indexOf(c) >= 0, "sign mode", "must be one of the allowed modes " + modes, c);
        }
        return make.apply(widths.clone(), signs);
    }

    @Override
    public D random(SplittableRandom r) {
        int[] w = new int[choices.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = choices[i][r.nextInt(choices[i].length)];
        }
        StringBuilder s = new StringBuilder();
        for (int l = 0; l < layers; l++) {
            s.append(modes.charAt(r.nextInt(modes.length())));
        }
        return make.apply(w, s.toString());
    }

    @Override
    public D mutate(D g, SplittableRandom r) {
        int[] w = g.searchedWidths();
        char[] s = g.signs().toCharArray();
        int[] open = java.util.stream.IntStream.range(0, choices.length).filter(i -> choices[i].length > 1)
                .toArray();
        boolean signs = modes.length() > 1;
        if (open.length == 0 && !signs) {
            return g;
        }
        int gene = r.nextInt(open.length + (signs ? s.length : 0));
        if (gene < open.length) {
            int[] c = choices[open[gene]];
            int i = Arrays.binarySearch(c, w[open[gene]]);
            int j;
            if (r.nextBoolean()) {
                j = i == 0 ? 1 : i == c.length - 1 ? i - 1 : i + (r.nextBoolean() ? 1 : -1);
            } else {
                j = (i + 1 + r.nextInt(c.length - 1)) % c.length;
            }
            w[open[gene]] = c[j];
        } else {
            int l = gene - open.length;
            int k = modes.indexOf(s[l]);
            s[l] = modes.charAt((k + 1 + r.nextInt(modes.length() - 1)) % modes.length());
        }
        return make.apply(w, new String(s));
    }

    @Override
    public D crossover(D a, D b, SplittableRandom r) {
        int[] wa = a.searchedWidths();
        int[] wb = b.searchedWidths();
        int[] w = new int[choices.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextBoolean() ? wa[i] : wb[i];
        }
        char[] s = new char[layers];
        for (int l = 0; l < s.length; l++) {
            s[l] = r.nextBoolean() ? a.signs().charAt(l) : b.signs().charAt(l);
        }
        return make.apply(w, new String(s));
    }

    @Override
    public String key(D g) {
        return g.label();
    }

    @Override
    public ParetoEvolution.Score evaluate(D g) {
        return objective.apply(g);
    }

    /**
     * Scores each batch of candidates with {@code batch} (e.g. as the tasks of a cluster job) instead of the
     * objective one after the other; it must give what the objective gives for each.
     *
     * @param batch (candidates → their scores, in order)
     */
    public void evaluateWith(Function<List<D>, List<ParetoEvolution.Score>> batch) {
        this.batchObjective = batch;
    }

    @Override
    public List<ParetoEvolution.Score> evaluateAll(List<D> gs) {
        return batchObjective == null ? ParetoEvolution.Problem.super.evaluateAll(gs) : batchObjective.apply(gs);
    }
}
