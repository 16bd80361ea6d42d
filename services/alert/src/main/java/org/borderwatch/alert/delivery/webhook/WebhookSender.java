package org.borderwatch.alert.delivery.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;
import org.borderwatch.alert.subscription.SubscriptionSecrets;
import org.borderwatch.avro.Subscription;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.avro.WebhookDelivery;

/**
 * One webhook attempt: SSRF check of the URL's current addresses, then a signed POST with the per-request timeout;
 * redirects are not followed (a 3xx is a failed attempt).
 */
@Singleton
public final class WebhookSender {

    /** What one attempt came to. */
    public enum Result { DELIVERED, GONE, FAILED }

    /**
     * @param error         why it failed (null when delivered)
     * @param status        the receiver's HTTP status (null when it did not answer)
     * @param latencyMillis from sending the request to its answer or failure (0 when refused before sending)
     */
    public record Outcome(Result result, String error, Integer status, long latencyMillis) {
    }

    public static final String USER_AGENT = "borderwatch-alert/0.1";

    private final HttpClient client;
    private final AddressGuard guard;
    private final WebhookConfig config;
    private final Clock clock;
    private final SubscriptionSecrets secrets;

    public WebhookSender(final WebhookConfig config, final SubscriptionSecrets secrets) {
        this.config = config;
        this.secrets = secrets;
        this.guard = new AddressGuard(config.allowLoopback(), config.allowPrivate());
        this.clock = Clock.systemUTC();
        // No proxy: the guard checks the address we connect to. The JVM's DNS cache (30 s by default) makes the
        // client's own look-up, milliseconds after the guard's, return the same addresses.
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .build();
    }

    public AddressGuard guard() {
        return guard;
    }

    public Outcome send(final Subscription subscription, final WebhookDelivery delivery) {
        final URI uri;
        try {
            uri = guard.check(subscription.getUrl());
        } catch (final AddressGuard.RefusedException e) {
            return new Outcome(Result.FAILED, "refused: " + e.getMessage(), null, 0);
        }
        final List<String> signing;
        try {
            signing = activeSecrets(secrets.open(subscription), subscription, clock.instant());
        } catch (final SecretKeyRing.KeyException e) {
            return new Outcome(Result.FAILED, "not signed: " + e.getMessage(), null, 0);
        }
        final long timestamp = clock.instant().getEpochSecond();
        final byte[] body = bytes(delivery);
        final HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Content-Type", delivery.getContentType())
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", delivery.getWebhookId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(signing, delivery.getWebhookId(), timestamp,
                        body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        final long started = System.nanoTime();
        try {
            final int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            final long latency = millisSince(started);
            if (status >= 200 && status < 300) {
                return new Outcome(Result.DELIVERED, null, status, latency);
            }
            if (status == 410) {
                return new Outcome(Result.GONE, "HTTP 410 Gone", status, latency);
            }
            return new Outcome(Result.FAILED, "HTTP " + status + (status >= 300 && status < 400
                    ? " (redirects are not followed)" : ""), status, latency);
        } catch (final HttpTimeoutException e) {
            return new Outcome(Result.FAILED, "timeout after " + config.requestTimeout().toMillis() + " ms", null,
                    millisSince(started));
        } catch (final IOException e) {
            return new Outcome(Result.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), null,
                    millisSince(started));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Result.FAILED, "interrupted", null, millisSince(started));
        }
    }

    private static long millisSince(final long startedNanos) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** The newest secret, plus the older ones while their rotation grace lasts; decrypted only to sign. */
    static List<String> activeSecrets(final List<String> secrets, final Subscription subscription,
                                      final Instant now) {
        if (secrets.size() <= 1 || subscription.getPreviousSecretExpiresAt() == null
                || !now.isBefore(subscription.getPreviousSecretExpiresAt())) {
            return secrets.isEmpty() ? List.of() : List.of(secrets.get(0));
        }
        return new ArrayList<>(secrets);
    }

    private static byte[] bytes(final WebhookDelivery delivery) {
        final java.nio.ByteBuffer buffer = delivery.getBody().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
