package org.borderwatch.alert.subscription;

import java.util.List;
import java.util.Set;

import org.borderwatch.avro.Severity;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/subscriptions}, as read by {@link #read}: every field typed and checked, unknown fields
 * refused. Enum values are accepted in any case ({@code "webhook"}).
 *
 * @param regions     region codes or prefixes within the caller's regions; empty or absent = all of them
 * @param threatTypes empty or absent = every threat type
 * @param minSeverity LOW (default), MEDIUM, HIGH or CRITICAL
 * @param channel     {@code webhook} or {@code sse} (required)
 * @param format      {@code json} (default), {@code cloudevents} or {@code cap}
 * @param url         the webhook endpoint (channel webhook only)
 */
public record SubscriptionRequest(List<String> regions, List<ThreatType> threatTypes, Severity minSeverity,
                                  SubscriptionChannel channel, SubscriptionFormat format, String url) {

    /** The fields a subscription request may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("regions", "threatTypes", "minSeverity", "channel", "format",
            "url");

    static final int MAX_ITEMS = 100;
    static final int MAX_PATTERN = 20;
    static final int MAX_URL = 2000;

    /** Reads the request; broken rules are left in {@code fields}' violations, with null for the broken values. */
    public static SubscriptionRequest read(final JsonFields fields) {
        final List<String> regions = fields.textList("regions", MAX_ITEMS, MAX_PATTERN);
        final List<ThreatType> threatTypes = fields.enumList("threatTypes", ThreatType.class, MAX_ITEMS);
        final Severity minSeverity = fields.enumIgnoringCase("minSeverity", Severity.class, Severity.LOW);
        final SubscriptionChannel channel = fields.require("channel", "channel is required: webhook or sse")
                ? fields.enumIgnoringCase("channel", SubscriptionChannel.class, null) : null;
        final SubscriptionFormat format = fields.enumIgnoringCase("format", SubscriptionFormat.class,
                SubscriptionFormat.JSON);
        final String url = fields.text("url", false, MAX_URL);
        return new SubscriptionRequest(regions, threatTypes, minSeverity, channel, format, url);
    }
}
