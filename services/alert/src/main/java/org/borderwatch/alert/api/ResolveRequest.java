package org.borderwatch.alert.api;

import java.util.Set;

import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/alerts/{id}/resolve}, as read by {@link #read}.
 *
 * @param reason why the alert is resolved by hand: required, not blank, at most 1000 characters
 */
public record ResolveRequest(String reason) {

    /** The fields a manual resolve may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("reason");

    static final int MAX_REASON = 1000;

    public static ResolveRequest read(final JsonFields fields) {
        final String reason = fields.text("reason", true, MAX_REASON);
        return new ResolveRequest(reason == null ? null : reason.strip());
    }
}
