package dev.aimc.nn.uniform;

import dev.aimc.search.ParetoEvolution;
import dev.aimc.util.Check;
import dev.aimc.util.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The space of the architecture search ({@link ParetoEvolution}): MLPs {@code inputs − h_1 − … − h_H − classes} whose
 * hidden widths h_i are drawn from a list of choices, and whose layers each take one of the allowed sign modes
 * ({@link MlpDesign}). Genes: one width index per hidden layer and one sign per layer. Mutation changes one gene: a
 * width moves to a neighbouring choice (half the time) or to any other choice, a sign to another allowed mode.
 * Crossover takes each gene from either parent with equal probability. The objective is given as a function, so the
 * space can be searched with a short training (the {@code aimc arch-search} command) or a synthetic objective
 * (tests).
 */
public final class MlpSearchSpace implements ParetoEvolution.Problem<MlpDesign> {
    private final int inputs;
    private final int classes;
    private final int hiddenLayers;
    private final int[] widthChoices;
    private final String modes;
    private final Function<MlpDesign, ParetoEvolution.Score> objective;
    private Function<List<MlpDesign>, List<ParetoEvolution.Score>> batchObjective;

    /**
     * A space.
     *
     * @param inputs input features
     * @param classes outputs
     * @param hiddenLayers hidden layers H, in [1, 8]
     * @param widthChoices the widths a hidden layer may take, distinct, each ≥ 1 (sorted here)
     * @param modes the allowed sign modes, a non-empty subset of "+-0" ({@link MlpDesign#SIGN_CHARS})
     * @param objective cost and value of a candidate
     * @throws ConfigException naming --hidden-layers, --widths or --sign-modes
     */
    public MlpSearchSpace(int inputs, int classes, int hiddenLayers, int[] widthChoices, String modes,
            Function<MlpDesign, ParetoEvolution.Score> objective) {
        this.inputs = inputs;
        this.classes = classes;
        this.hiddenLayers = Check.range("--hidden-layers", hiddenLayers, 1, 8);
        if (widthChoices == null || widthChoices.length == 0) {
            throw new ConfigException("--widths must give at least one width, got none");
        }
        this.widthChoices = widthChoices.clone();
        Arrays.sort(this.widthChoices);
        for (int i = 0; i < this.widthChoices.length; i++) {
            Check.range("--widths", this.widthChoices[i], 1, 1 << 16);
            Check.that(i == 0 || this.widthChoices[i] != this.widthChoices[i - 1], "--widths", "must be distinct",
                    this.widthChoices[i]);
        }
        this.modes = checkModes(modes);
        this.objective = objective;
    }

    /**
     * Checks a set of sign modes before anything else is done with them (the command checks its options before it
     * reads data).
     *
     * @param modes the modes a layer may take, one character each ({@link MlpDesign#SIGN_CHARS})
     * @return {@code modes}
     * @throws ConfigException naming --sign-modes when empty, unknown or repeated
     */
    public static String checkModes(String modes) {
        if (modes == null || modes.isEmpty() || modes.chars().anyMatch(c -> MlpDesign.SIGN_CHARS.indexOf(c) < 0)
                || modes.chars().distinct().count() != modes.length()) {
            throw new ConfigException("--sign-modes must be distinct modes among +, - and bipolar, got " + modes);
        }
        return modes;
    }

    /**
     * The size of the space.
     *
     * @return widths^H · modes^(H+1)
     */
    public double size() {
        return Math.pow(widthChoices.length, hiddenLayers) * Math.pow(modes.length(), hiddenLayers + 1);
    }

    /**
     * A candidate of this space.
     *
     * @param hidden the hidden widths (each among the choices)
     * @param signs one allowed mode per layer
     * @return the candidate
     * @throws ConfigException when a width or sign is outside the space
     */
    public MlpDesign design(int[] hidden, String signs) {
        Check.that(hidden.length == hiddenLayers, "hidden widths", "must give " + hiddenLayers + " widths",
                hidden.length);
        for (int h : hidden) {
            Check.that(Arrays.binarySearch(widthChoices, h) >= 0, "hidden width", "must be one of "
                    + Arrays.toString(widthChoices), h);
        }
        for (char c : signs.toCharArray()) {
            Check.that(modes.indexOf(c) >= 0, "sign mode", "must be one of the allowed modes " + modes, c);
        }
        return new MlpDesign(inputs, hidden, classes, signs);
    }

    @Override
    public MlpDesign random(SplittableRandom r) {
        int[] h = new int[hiddenLayers];
        for (int i = 0; i < h.length; i++) {
            h[i] = widthChoices[r.nextInt(widthChoices.length)];
        }
        StringBuilder s = new StringBuilder();
        for (int l = 0; l <= hiddenLayers; l++) {
            s.append(modes.charAt(r.nextInt(modes.length())));
        }
        return new MlpDesign(inputs, h, classes, s.toString());
    }

    @Override
    public MlpDesign mutate(MlpDesign g, SplittableRandom r) {
        int[] h = g.hidden();
        char[] s = g.signs().toCharArray();
        boolean widths = widthChoices.length > 1;
        boolean signs = modes.length() > 1;
        if (!widths && !signs) {
            return g;
        }
        int gene = r.nextInt((widths ? hiddenLayers : 0) + (signs ? s.length : 0));
        if (widths && gene < hiddenLayers) {
            int i = Arrays.binarySearch(widthChoices, h[gene]);
            int j;
            if (r.nextBoolean()) {
                j = i == 0 ? 1 : i == widthChoices.length - 1 ? i - 1 : i + (r.nextBoolean() ? 1 : -1);
            } else {
                j = (i + 1 + r.nextInt(widthChoices.length - 1)) % widthChoices.length;
            }
            h[gene] = widthChoices[j];
        } else {
            int l = widths ? gene - hiddenLayers : gene;
            int k = modes.indexOf(s[l]);
            s[l] = modes.charAt((k + 1 + r.nextInt(modes.length() - 1)) % modes.length());
        }
        return new MlpDesign(inputs, h, classes, new String(s));
    }

    @Override
    public MlpDesign crossover(MlpDesign a, MlpDesign b, SplittableRandom r) {
        int[] ha = a.hidden();
        int[] hb = b.hidden();
        int[] h = new int[hiddenLayers];
        for (int i = 0; i < h.length; i++) {
            h[i] = r.nextBoolean() ? ha[i] : hb[i];
        }
        char[] s = new char[hiddenLayers + 1];
        for (int l = 0; l < s.length; l++) {
            s[l] = r.nextBoolean() ? a.signs().charAt(l) : b.signs().charAt(l);
        }
        return new MlpDesign(inputs, h, classes, new String(s));
    }

    @Override
    public String key(MlpDesign g) {
        return g.label();
    }

    @Override
    public ParetoEvolution.Score evaluate(MlpDesign g) {
        return objective.apply(g);
    }

    /**
     * Scores each batch of candidates with {@code batch} (e.g. as the tasks of a cluster job) instead of the
     * objective one after the other; it must give what the objective gives for each.
     *
     * @param batch (candidates → their scores, in order)
     */
    public void evaluateWith(Function<List<MlpDesign>, List<ParetoEvolution.Score>> batch) {
        this.batchObjective = batch;
    }

    @Override
    public List<ParetoEvolution.Score> evaluateAll(List<MlpDesign> gs) {
        return batchObjective == null ? ParetoEvolution.Problem.super.evaluateAll(gs) : batchObjective.apply(gs);
    }
}
