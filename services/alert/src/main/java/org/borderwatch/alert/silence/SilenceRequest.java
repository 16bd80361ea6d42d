package org.borderwatch.alert.silence;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.borderwatch.avro.ThreatType;
import org.borderwatch.service.body.JsonFields;

/**
 * Body of {@code POST /v1/silences} ({@link #read}) and {@code PATCH /v1/silences/{id}} ({@link #readPatch}): every field typed and checked, unknown fields
 * refused. Matchers left empty match everything within the creator's regions.
 *
 * @param regions     region codes or prefixes, within the creator's regions
 * @param threatTypes threat types (any case)
 * @param ruleIds     rule ids
 * @param startsAt    ISO-8601 instant; absent or in the past = now
 * @param endsAt      ISO-8601 instant, after startsAt (required)
 * @param comment     why (at most 1000 characters)
 */
public record SilenceRequest(List<String> regions, List<ThreatType> threatTypes, List<String> ruleIds,
                             Instant startsAt, Instant endsAt, String comment) {

    /** The fields a silence request may have; any other is refused ({@code unknown-field}). */
    public static final Set<String> FIELDS = Set.of("regions", "threatTypes", "ruleIds", "startsAt", "endsAt",
            "comment");

    static final int MAX_ITEMS = 100;
    static final int MAX_PATTERN = 20;
    static final int MAX_RULE_ID = 200;
    static final int MAX_COMMENT = 1000;

    /** Reads the request; broken rules are left in {@code fields}' violations, with null for the broken values. */
    public static SilenceRequest read(final JsonFields fields) {
        return read(fields, true);
    }

    /** Reads an edit ({@code PATCH}): every field optional; ask {@code fields.has(name)} which were sent. */
    public static SilenceRequest readPatch(final JsonFields fields) {
        return read(fields, false);
    }

    private static SilenceRequest read(final JsonFields fields, final boolean endRequired) {
        final List<String> regions = fields.textList("regions", MAX_ITEMS, MAX_PATTERN);
        final List<ThreatType> threatTypes = fields.enumList("threatTypes", ThreatType.class, MAX_ITEMS);
        final List<String> ruleIds = fields.textList("ruleIds", MAX_ITEMS, MAX_RULE_ID);
        final Instant startsAt = fields.instant("startsAt", false);
        final Instant endsAt = fields.instant("endsAt", endRequired);
        final String comment = fields.text("comment", false, MAX_COMMENT);
        return new SilenceRequest(regions, threatTypes, ruleIds, startsAt, endsAt, comment);
    }
}
