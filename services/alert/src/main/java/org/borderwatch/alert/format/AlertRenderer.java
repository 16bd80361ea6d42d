package org.borderwatch.alert.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.borderwatch.alert.AlertConfig;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.service.region.Regions;

/**
 * Renders an alert change for a subscriber, in one of the three formats:
 * <ul>
 *   <li>{@code JSON}: {@code {"type": "alert.fired", "timestamp": ..., "data": {the alert}}} (the Standard Webhooks
 *       payload shape);</li>
 *   <li>{@code CLOUDEVENTS}: a CloudEvents 1.0 structured-mode JSON event, type {@code org.borderwatch.alert.fired}
 *       etc., subject the alertId;</li>
 *   <li>{@code CAP}: an OASIS CAP 1.2 XML message ({@link CapRenderer}).</li>
 * </ul>
 */
@Singleton
public final class AlertRenderer {

    public static final String JSON = "application/json";
    public static final String CLOUDEVENTS = "application/cloudevents+json";
    public static final String SOURCE = "urn:borderwatch:alert";

    /** A rendered body and its content type. */
    public record Rendered(String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final JsonMapper json;
    private final CapRenderer cap;
    private final AlertLog log;

    public AlertRenderer(final JsonMapper json, final Regions regions, final AlertConfig config, final AlertLog log) {
        this.json = json;
        this.cap = new CapRenderer(regions, config.capSender());
        this.log = log;
    }

    /**
     * @param id a stable id of this change (the webhook-id), used as the CloudEvents id
     */
    public Rendered render(final SubscriptionFormat format, final Alert alert, final String id) {
        return switch (format) {
            case JSON -> new Rendered(JSON, bytes(envelope(alert)));
            case CLOUDEVENTS -> new Rendered(CLOUDEVENTS, bytes(cloudEvent(alert, id)));
            case CAP -> new Rendered(CapRenderer.CONTENT_TYPE, cap(alert).getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * A test notification for {@code subscriptionId} in its format: JSON {@code {"type": "test", ...}}, a CloudEvent
     * of type {@code org.borderwatch.test}, or a CAP message with status Test.
     */
    public Rendered test(final SubscriptionFormat format, final String subscriptionId, final String id,
                         final java.time.Instant at) {
        final Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriptionId", subscriptionId);
        data.put("message", "borderwatch test delivery: this endpoint receives the alerts of subscription "
                + subscriptionId);
        return switch (format) {
            case JSON -> {
                final Map<String, Object> body = new LinkedHashMap<>();
                body.put("type", "test");
                body.put("timestamp", at.toString());
                body.put("data", data);
                yield new Rendered(JSON, bytes(body));
            }
            case CLOUDEVENTS -> {
                final Map<String, Object> event = new LinkedHashMap<>();
                event.put("specversion", "1.0");
                event.put("id", id);
                event.put("source", SOURCE);
                event.put("type", "org.borderwatch.test");
                event.put("subject", subscriptionId);
                event.put("time", at.toString());
                event.put("datacontenttype", JSON);
                event.put("data", data);
                yield new Rendered(CLOUDEVENTS, bytes(event));
            }
            case CAP -> new Rendered(CapRenderer.CONTENT_TYPE, cap.test(subscriptionId, id, at)
                    .getBytes(StandardCharsets.UTF_8));
        };
    }

    /** The alert as plain JSON-ready data, in the schema's field names. */
    public static Map<String, Object> data(final Alert alert) {
        return AvroMaps.toMap(alert);
    }

    /**
     * A stable id of one alert change: the same on every attempt, instance and restart, different for every change.
     * The webhook-id, and the CloudEvents id.
     */
    public static String changeId(final Alert alert) {
        try {
            final byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((alert.getAlertId() + "#" + alert.getVersion()).getBytes(StandardCharsets.UTF_8));
            return "msg_" + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.util.Arrays.copyOf(digest, 18));
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    /** {@code alert.} + the change in lower case; {@code alert.note} and {@code alert.renotified} for those kinds. */
    public static String eventType(final Alert alert) {
        return switch (alert.getKind()) {
            case NOTE -> "alert.note";
            case RENOTIFICATION -> "alert.renotified";
            case STATE, UNKNOWN -> "alert." + alert.getChange().name().toLowerCase(Locale.ROOT);
        };
    }

    public Map<String, Object> envelope(final Alert alert) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", eventType(alert));
        body.put("timestamp", alert.getUpdatedAt().toString());
        body.put("data", data(alert));
        return body;
    }

    public Map<String, Object> cloudEvent(final Alert alert, final String id) {
        final Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", SOURCE);
        event.put("type", "org.borderwatch." + eventType(alert));
        event.put("subject", alert.getAlertId());
        event.put("time", alert.getUpdatedAt().toString());
        event.put("datacontenttype", JSON);
        event.put("data", data(alert));
        return event;
    }

    /**
     * CAP 1.2 XML of this change; an update references the alert's previous change, when this instance holds it
     * (always for a live change; see the README on resumes from before the tail).
     */
    public String cap(final Alert alert) {
        return cap(alert, log.previous(alert).orElse(null));
    }

    /** CAP 1.2 XML of this change, an update referencing {@code previous} (may be null). */
    public String cap(final Alert alert, final Alert previous) {
        return cap.render(alert, previous);
    }

    public byte[] bytes(final Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot render JSON", e);
        }
    }

    public String text(final Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }
}
