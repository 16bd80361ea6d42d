package org.borderwatch.service.body;

/**
 * The bytes cannot be read as what the endpoint takes (not UTF-8, not one JSON document, empty); the message says
 * where, for the client, and {@link #rule()} names the rule as {@code errors[].rule} does.
 */
public final class MalformedBodyException extends Exception {

    private final String rule;

    public MalformedBodyException(final String rule, final String message) {
        super(message, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
