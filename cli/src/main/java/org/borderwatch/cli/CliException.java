package org.borderwatch.cli;

/**
 * A command cannot go on, for a reason the user can act on: {@link Main} prints the message as one line (no stack
 * trace) and exits with the code. 1: the work could not be done (service unreachable or unavailable, no key);
 * 2: the command line names something unusable (a missing file, a malformed URL).
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(final int exitCode, final String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** No broker answered: the one sentence every command that talks to Kafka directly says. */
    public static CliException kafkaUnreachable(final String bootstrapServers) {
        return new CliException(1, "Cannot reach Kafka at " + bootstrapServers + ": no broker answered in time"
                + " (is it running? ./borderwatch dev starts one; --bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS"
                + " points elsewhere)");
    }

    public int exitCode() {
        return exitCode;
    }
}
