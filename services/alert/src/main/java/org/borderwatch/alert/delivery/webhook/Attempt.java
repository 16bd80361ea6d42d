package org.borderwatch.alert.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What one webhook attempt came to, as Kafka headers on the record of {@code border.webhook-retries.v1} that follows
 * it: the retry record after a failed attempt, the tombstone after the last one. A tombstone has no value to hold it,
 * and the retry record's value is the next attempt, so the outcome of the attempt just made travels in headers on
 * both; every instance reads them back for the delivery status of a subscription ({@link DeliveryLog}).
 *
 * @param subscriptionId the subscription
 * @param webhookId      the notification's webhook-id
 * @param alertId        the alert (empty for a test delivery)
 * @param alertVersion   the alert change's version (0 for a test delivery)
 * @param attempt        the number of this attempt (1 = first); 0 when none was made (dropped)
 * @param result         {@code DELIVERED}, {@code FAILED}, {@code GONE}, or {@code DROPPED} (subscription deleted
 *                       or disabled: nothing sent)
 * @param status         the receiver's HTTP status (null when there was no answer)
 * @param latencyMillis  from sending the request to the answer or the failure
 * @param error          why it failed (null when delivered)
 * @param test           whether it was a test delivery ({@code POST /v1/subscriptions/{id}/test})
 * @param at             when it was made (the record's timestamp)
 */
public record Attempt(String subscriptionId, String webhookId, String alertId, long alertVersion, int attempt,
                      String result, Integer status, long latencyMillis, String error, boolean test, Instant at) {

    static final String PREFIX = "borderwatch-";
    public static final String DROPPED = "DROPPED";

    Headers headers() {
        final Headers headers = new RecordHeaders();
        put(headers, "subscription-id", subscriptionId);
        put(headers, "webhook-id", webhookId);
        put(headers, "alert-id", alertId);
        put(headers, "alert-version", Long.toString(alertVersion));
        put(headers, "attempt", Integer.toString(attempt));
        put(headers, "result", result);
        put(headers, "status", status == null ? null : status.toString());
        put(headers, "latency-ms", Long.toString(latencyMillis));
        put(headers, "error", error);
        put(headers, "test", Boolean.toString(test));
        return headers;
    }

    /** The attempt described by a record's headers; null for a record without them (written by an older release). */
    static Attempt of(final Headers headers, final Instant at) {
        final String result = get(headers, "result");
        final String subscriptionId = get(headers, "subscription-id");
        if (result == null || subscriptionId == null) {
            return null;
        }
        final String status = get(headers, "status");
        try {
            return new Attempt(subscriptionId, get(headers, "webhook-id"), orEmpty(get(headers, "alert-id")),
                    parseLong(get(headers, "alert-version")), (int) parseLong(get(headers, "attempt")), result,
                    status == null ? null : Integer.valueOf(status), parseLong(get(headers, "latency-ms")),
                    get(headers, "error"), Boolean.parseBoolean(get(headers, "test")), at);
        } catch (final NumberFormatException e) {
            return null;
        }
    }

    private static void put(final Headers headers, final String name, final String value) {
        if (value != null) {
            headers.add(PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String get(final Headers headers, final String name) {
        final Header header = headers.lastHeader(PREFIX + name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long parseLong(final String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String orEmpty(final String value) {
        return value == null ? "" : value;
    }
}
