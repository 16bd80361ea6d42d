package org.borderwatch.alert.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.avro.ConsoleSession;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.CredentialStore;

/**
 * Console sessions, kept in the compacted {@code border.console-sessions.v1} and read in full by every instance, so
 * a browser signed in on one instance is signed in on all of them (behind a load balancer, after a restart). Records
 * are keyed by the SHA-256 of the session id: whoever reads the topic learns no usable session. A session holds the
 * digest of the key that signed in, and every request resolves the principal from the current credentials with it,
 * so a session is exactly as strong, and lives exactly as long, as the key behind it.
 */
@Context
public final class SessionStore implements AutoCloseable {

    /** 32 random bytes, like an API key: a session id cannot be guessed. */
    private static final int SESSION_ID_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A live session: its id (only ever in the cookie), its principal and when it ends. */
    public record Session(String id, BorderwatchPrincipal principal, Instant expiresAt) {

        /** The CSRF token of this session (see {@link SessionStore#csrfToken}). */
        public String csrfToken() {
            return SessionStore.csrfToken(id);
        }
    }

    private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();
    private final TopicMirror<ConsoleSession> mirror;
    private final AcknowledgedWriter writer;
    private final CredentialStore credentials;
    private final ConsoleConfig config;
    private final Duration writeTimeout;

    public SessionStore(final KafkaClients kafka, final AcknowledgedWriter writer, final CredentialStore credentials,
                        final ConsoleConfig config, final AlertConfig alertConfig) {
        this.writer = writer;
        this.credentials = credentials;
        this.config = config;
        this.writeTimeout = alertConfig.writeTimeout();
        this.mirror = new TopicMirror<>(Topics.CONSOLE_SESSIONS, kafka, (record, session) -> {
            if (session == null) {
                sessions.remove(record.key());
            } else {
                sessions.put(record.key(), session);
            }
        }).start();
    }

    /**
     * Starts a session for the holder of {@code apiKey}, already authenticated as {@code principal}, and waits until
     * this instance sees it.
     */
    public Session create(final String apiKey, final BorderwatchPrincipal principal) {
        final byte[] id = new byte[SESSION_ID_BYTES];
        RANDOM.nextBytes(id);
        final String sessionId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        final Instant now = Instant.now();
        final Instant expiresAt = now.plus(config.sessionTtl());
        final ConsoleSession record = ConsoleSession.newBuilder()
                .setPrincipal(principal.name())
                .setKeySha256(ApiKeys.sha256Hex(apiKey))
                .setCreatedAt(now)
                .setExpiresAt(expiresAt)
                .build();
        awaitVisible(writer.write(Topics.CONSOLE_SESSIONS, ApiKeys.sha256Hex(sessionId), record));
        return new Session(sessionId, principal, expiresAt);
    }

    /**
     * The live session with this id: known, not expired, and its key still in the credentials under the same
     * principal name.
     */
    public Optional<Session> find(final String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            return Optional.empty();
        }
        final ConsoleSession record = sessions.get(ApiKeys.sha256Hex(sessionId));
        if (record == null || !Instant.now().isBefore(record.getExpiresAt())) {
            return Optional.empty();
        }
        final byte[] digest;
        try {
            digest = HexFormat.of().parseHex(record.getKeySha256());
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
        return credentials.authenticateDigest(digest)
                .filter(principal -> principal.name().equals(record.getPrincipal()))
                .map(principal -> new Session(sessionId, principal, record.getExpiresAt()));
    }

    /** Ends the session everywhere (a tombstone); returns once this instance no longer knows it. */
    public void end(final String sessionId) {
        final String key = ApiKeys.sha256Hex(sessionId);
        if (sessions.containsKey(key)) {
            awaitVisible(writer.write(Topics.CONSOLE_SESSIONS, key, null));
        }
    }

    /**
     * The CSRF token of a session: derived from the session id (a digest with its own prefix), so every instance
     * checks it without storing it, and knowing it reveals nothing about the id. Only script of the console's own
     * origin can read it (from the sign-in and session answers), never a cross-site page.
     */
    static String csrfToken(final String sessionId) {
        return ApiKeys.sha256Hex("borderwatch-console-csrf|" + sessionId);
    }

    private void awaitVisible(final RecordMetadata written) {
        mirror.awaitPosition(written.partition(), written.offset(), writeTimeout);
    }

    public boolean isCaughtUp() {
        return mirror.isCaughtUp();
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        return mirror.awaitCaughtUp(timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
