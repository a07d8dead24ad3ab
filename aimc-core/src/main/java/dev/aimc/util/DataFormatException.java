package dev.aimc.util;

/**
 * A file that cannot be read as what it claims to be (bad magic number, truncated, wrong shape).
 * The message names the file and what is wrong; the CLI prints it on one line and exits with status 2.
 */
public class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message "FILE: what is wrong" */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * @param message "FILE: what is wrong"; @param cause the underlying I/O error
     * @param cause the underlying I/O error
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
