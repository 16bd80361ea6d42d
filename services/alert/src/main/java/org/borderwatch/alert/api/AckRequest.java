package org.borderwatch.alert.api;

import java.util.Set;

import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/alerts/{id}/ack}, as read by {@link #read}; the body may be empty.
 *
 * @param comment optional, at most 1000 characters; blank = none
 */
public record AckRequest(String comment) {

    /** The fields an acknowledgement may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("comment");

    static final int MAX_COMMENT = 1000;

    public static AckRequest read(final JsonFields fields) {
        final String comment = fields.text("comment", false, MAX_COMMENT);
        return new AckRequest(comment == null || comment.isBlank() ? null : comment.strip());
    }
}
