package dev.aimc.cli;

import dev.aimc.robust.CompensationTrainer;
import picocli.CommandLine.Option;

/**
 * The training options of learned error compensation ({@code aimc variation --compensate},
 * {@code aimc place-compensation}), mixed into a command with {@code @CommandLine.Mixin CompensationOptions comp;}.
 * The training-set limit is the command's own, since the two commands default it differently.
 */
public final class CompensationOptions {
    @Option(names = "--comp-rank", defaultValue = "4", description = "rank of the compensation of fully connected "
            + "layers (default: ${DEFAULT-VALUE})") int rank;
    @Option(names = "--comp-epochs", defaultValue = "1", description = "compensation training epochs (default: "
            + "${DEFAULT-VALUE})") int epochs;
    @Option(names = "--comp-lr", defaultValue = "0.003", description = "Adam learning rate of the compensation "
            + "(default: ${DEFAULT-VALUE})") double lr;
    @Option(names = "--comp-batch", defaultValue = "64", description = "compensation batch, one chip per batch "
            + "(default: ${DEFAULT-VALUE})") int batch;
    @Option(names = "--comp-val-limit", defaultValue = "0", description = "hold out the last N training samples from "
            + "the compensation's training and keep the state (its zero initialization, which changes nothing, or an "
            + "epoch) most accurate on them over --comp-val-chips chips; 0 = keep the last epoch (default: "
            + "${DEFAULT-VALUE})") int valLimit;
    @Option(names = "--comp-val-chips", defaultValue = "5", description = "validation chips of --comp-val-limit "
            + "(default: ${DEFAULT-VALUE})") int valChips;

    /**
     * The validated training settings.
     *
     * @param seed seed of the chips and of the shuffling
     * @param trainLimit train on the first N training samples (0: all)
     * @return the settings (a ConfigException names the option of a bad value)
     */
    CompensationTrainer.Settings settings(long seed, int trainLimit) {
        return new CompensationTrainer.Settings(epochs, batch, lr, seed, trainLimit, valLimit, valChips);
    }
}
