package org.borderwatch.alert.api;

import java.util.Set;

import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/alerts/{id}/notes}, as read by {@link #read}.
 *
 * @param text the note: required, not blank, at most 2000 characters
 */
public record NoteRequest(String text) {

    /** The fields a note may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("text");

    static final int MAX_TEXT = 2000;

    public static NoteRequest read(final JsonFields fields) {
        final String text = fields.text("text", true, MAX_TEXT);
        return new NoteRequest(text == null ? null : text.strip());
    }
}
