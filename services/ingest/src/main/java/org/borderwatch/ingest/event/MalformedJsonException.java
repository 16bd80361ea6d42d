package org.borderwatch.ingest.event;

/** The bytes are not one JSON document; the message says where, for the client. */
public final class MalformedJsonException extends Exception {

    public MalformedJsonException(final String message) {
        super(message, null, false, false);
    }
}
