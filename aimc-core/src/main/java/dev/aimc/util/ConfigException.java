package dev.aimc.util;

/**
 * An invalid configuration value: the message names the option, the rule and the value found.
 * The CLI prints the message on one line and exits with status 2.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message "option must be RULE, got VALUE" */
    public ConfigException(String message) {
        super(message);
    }
}
