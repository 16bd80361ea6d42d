package org.borderwatch.service.security;

/** The credentials file is missing or wrong; the message says where and how to fix it. The service does not start. */
public final class InvalidCredentialsException extends IllegalStateException {

    public InvalidCredentialsException(final String message) {
        super(message);
    }
}
