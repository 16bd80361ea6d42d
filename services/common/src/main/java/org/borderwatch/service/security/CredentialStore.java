package org.borderwatch.service.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import org.borderwatch.credentials.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of this service, as digests only. Loaded when the service starts ({@link Context}), so a missing
 * or malformed file stops the start with a message instead of leaving an open or unusable API.
 */
@Context
public final class CredentialStore {

    public static final String CREDENTIALS_FILE_PROPERTY = "borderwatch.security.credentials-file";

    private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);

    private final List<Credential> credentials;

    @Inject
    public CredentialStore(@Property(name = CREDENTIALS_FILE_PROPERTY) @Nullable final String credentialsFile) {
        if (credentialsFile == null || credentialsFile.isBlank()) {
            throw new InvalidCredentialsException("no credentials file configured: set " + CREDENTIALS_FILE_PROPERTY
                    + " (environment variable BORDERWATCH_SECURITY_CREDENTIALS_FILE) to a YAML file listing the"
                    + " SHA-256 digests of the API keys");
        }
        this.credentials = CredentialsFile.read(Path.of(credentialsFile));
        LOG.info("Loaded {} credentials from {}", credentials.size(), Path.of(credentialsFile).toAbsolutePath());
    }

    public CredentialStore(final List<Credential> credentials) {
        this.credentials = List.copyOf(credentials);
    }

    /**
     * The principal whose key is {@code presentedKey}, if any. Compares the key's digest with every stored digest
     * in constant time and does not stop at the first match, so the response time says nothing about which, or
     * how many, digests were close.
     */
    public Optional<BorderwatchPrincipal> authenticate(final String presentedKey) {
        return authenticateDigest(ApiKeys.sha256(presentedKey));
    }

    /**
     * The principal whose key has the SHA-256 {@code digest}, compared like {@link #authenticate}. For a credential
     * checked again later without keeping the key itself, e.g. the alert service's console sessions.
     */
    public Optional<BorderwatchPrincipal> authenticateDigest(final byte[] digest) {
        BorderwatchPrincipal match = null;
        for (final Credential credential : credentials) {
            if (credential.matches(digest) && match == null) {
                match = credential.principal();
            }
        }
        return Optional.ofNullable(match);
    }
}
