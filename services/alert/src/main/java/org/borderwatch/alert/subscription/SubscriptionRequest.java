package org.borderwatch.alert.subscription;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import org.borderwatch.avro.Severity;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/subscriptions} ({@link #read}) and of {@code PATCH /v1/subscriptions/{id}}
 * ({@link #readPatch}): every field typed and checked, unknown fields refused. Enum values are accepted in any case
 * ({@code "webhook"}).
 *
 * @param regions        region codes or prefixes within the caller's regions; empty or absent = all of them
 * @param threatTypes    empty or absent = every threat type
 * @param minSeverity    LOW (default), MEDIUM, HIGH or CRITICAL
 * @param channel        {@code webhook} or {@code sse} (required on create; cannot be changed)
 * @param format         {@code json} (default), {@code cloudevents} or {@code cap}
 * @param url            the webhook endpoint (channel webhook only)
 * @param repeatInterval ISO-8601 duration after which a firing, unacknowledged alert is sent again; null = absent
 *                       (never, on create); {@code PT0S} = never
 */
public record SubscriptionRequest(List<String> regions, List<ThreatType> threatTypes, Severity minSeverity,
                                  SubscriptionChannel channel, SubscriptionFormat format, String url,
                                  Duration repeatInterval) {

    /** The fields a subscription request may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("regions", "threatTypes", "minSeverity", "channel", "format",
            "url", "repeatInterval");

    static final int MAX_ITEMS = 100;
    static final int MAX_PATTERN = 20;
    static final int MAX_URL = 2000;
    static final int MAX_DURATION_TEXT = 40;
    static final Duration MAX_REPEAT_INTERVAL = Duration.ofDays(30);

    /** Reads the request; broken rules are left in {@code fields}' violations, with null for the broken values. */
    public static SubscriptionRequest read(final JsonFields fields) {
        final SubscriptionChannel channel = fields.require("channel", "channel is required: webhook or sse")
                ? fields.enumIgnoringCase("channel", SubscriptionChannel.class, null) : null;
        return read(fields, channel, Severity.LOW, SubscriptionFormat.JSON);
    }

    /**
     * Reads an edit: only the fields present (and not null) change; the channel cannot ({@code immutable}). Absent
     * fields are null here, except lists, which are empty: ask {@code fields.has(name)}.
     */
    public static SubscriptionRequest readPatch(final JsonFields fields) {
        if (fields.has("channel")) {
            fields.violation("immutable", "channel", "the channel of a subscription cannot be changed; create a new"
                    + " subscription instead");
        }
        return read(fields, null, null, null);
    }

    private static SubscriptionRequest read(final JsonFields fields, final SubscriptionChannel channel,
                                            final Severity defaultSeverity, final SubscriptionFormat defaultFormat) {
        final List<String> regions = fields.textList("regions", MAX_ITEMS, MAX_PATTERN);
        final List<ThreatType> threatTypes = fields.enumList("threatTypes", ThreatType.class, MAX_ITEMS);
        final Severity minSeverity = fields.enumIgnoringCase("minSeverity", Severity.class, defaultSeverity);
        final SubscriptionFormat format = fields.enumIgnoringCase("format", SubscriptionFormat.class, defaultFormat);
        final String url = fields.text("url", false, MAX_URL);
        final Duration repeatInterval = duration(fields, "repeatInterval");
        return new SubscriptionRequest(regions, threatTypes, minSeverity, channel, format, url, repeatInterval);
    }

    /**
     * Checks a repeat interval against the allowed range: zero (never), or between {@code min} and 30 days.
     */
    static void checkRepeatInterval(final JsonFields fields, final Duration interval, final Duration min) {
        if (interval == null || interval.isZero()) {
            return;
        }
        if (interval.isNegative() || interval.compareTo(min) < 0 || interval.compareTo(MAX_REPEAT_INTERVAL) > 0) {
            fields.violation("range", "repeatInterval", "repeatInterval must be PT0S (never) or between " + min
                    + " and " + MAX_REPEAT_INTERVAL + "; got " + interval);
        }
    }

    private static Duration duration(final JsonFields fields, final String name) {
        final String text = fields.text(name, false, MAX_DURATION_TEXT);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text.strip());
        } catch (final DateTimeParseException e) {
            fields.violation("duration", name, name + " '" + JsonFields.echo(text) + "' is not an ISO-8601 duration"
                    + " such as PT30M or PT2H");
            return null;
        }
    }
}
