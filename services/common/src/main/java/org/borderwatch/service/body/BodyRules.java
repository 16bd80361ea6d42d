package org.borderwatch.service.body;

/**
 * Names of the rules every JSON API of borderwatch shares, as they appear in {@code errors[].rule}. They are part of
 * the API: clients switch on them and the READMEs list them, so they never change meaning. A service adds its own
 * (ingest's {@code uuid}, the alert service's {@code ssrf-guard}...).
 */
public final class BodyRules {

    /** The body is not well-formed UTF-8 (overlong forms, surrogates, truncated sequences, invalid bytes). */
    public static final String UTF_8 = "utf-8";
    /** The body (or a batch line) is not exactly one JSON document. */
    public static final String MALFORMED_JSON = "malformed-json";
    /** The body is empty where a JSON object is required. */
    public static final String EMPTY_BODY = "empty-body";
    /** The field is missing, null or blank. */
    public static final String REQUIRED = "required";
    /** The JSON type is wrong (a string where a number belongs, a fraction where a whole number belongs...). */
    public static final String TYPE = "type";
    /** The field is not part of the request; typos must not vanish. */
    public static final String UNKNOWN_FIELD = "unknown-field";
    /** Not an ISO-8601 instant with a four-digit year, such as {@code 2025-03-01T04:30:00Z}. */
    public static final String INSTANT = "instant";
    /** Not one of the enum's values. */
    public static final String ENUM = "enum";
    /** A number outside its range, or a list with too many items. */
    public static final String RANGE = "range";
    /** A text longer than its limit. */
    public static final String MAX_LENGTH = "max-length";
    /** A text with an unpaired UTF-16 surrogate ({@code \ud800} escaped in JSON), which no Unicode encoding can carry. */
    public static final String UNICODE = "unicode";

    private BodyRules() {
    }
}
