package org.borderwatch.aggregator.deadletter;

/**
 * A report that decoded but cannot be counted (a tombstone, a key that is not its region, an impossible quantity).
 * Thrown before any state is touched, so {@link InvalidReportHandler} can send the record to the dead-letter topic
 * and let processing continue.
 */
public final class InvalidReportException extends RuntimeException {

    public InvalidReportException(final String message) {
        super(message);
    }
}
