package org.borderwatch.aggregator.window;

import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.Severity;

/**
 * The severity score of one report: a severity weight times a confidence factor, summed over a window.
 *
 * <pre>
 * severity  LOW 1   MEDIUM 3   HIGH 7   CRITICAL 15      (roughly doubling: one CRITICAL outweighs two HIGH)
 * confidence CONFIRMED 1.0   PROBABLE 0.7   POSSIBLE 0.4 (an unconfirmed report still counts, at less than half)
 * </pre>
 */
public final class SeverityScore {

    private SeverityScore() {
    }

    public static double of(final Severity severity, final Confidence confidence) {
        return weight(severity) * factor(confidence);
    }

    public static double weight(final Severity severity) {
        return switch (severity) {
            case LOW -> 1;
            case MEDIUM -> 3;
            case HIGH -> 7;
            case CRITICAL -> 15;
        };
    }

    public static double factor(final Confidence confidence) {
        return switch (confidence) {
            case CONFIRMED -> 1.0;
            case PROBABLE -> 0.7;
            case POSSIBLE -> 0.4;
        };
    }
}
