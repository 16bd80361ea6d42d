package org.borderwatch.ingest.event;

/**
 * Names of the validation rules, as they appear in {@code errors[].rule}. They are part of the API: clients switch
 * on them, the README's table lists them, so they never change meaning.
 */
public final class Rules {

    /** The field is missing, null or blank. */
    public static final String REQUIRED = "required";
    /** The JSON type is wrong (a string where a number belongs, a fraction where a whole number belongs...). */
    public static final String TYPE = "type";
    /** The field is not part of the event; typos must not vanish. */
    public static final String UNKNOWN_FIELD = "unknown-field";
    /** {@code eventId} is not a UUID in its canonical 8-4-4-4-12 hex form. */
    public static final String UUID = "uuid";
    /** Not an ISO-8601 instant such as {@code 2025-03-01T04:30:00Z}. */
    public static final String INSTANT = "instant";
    /** Later than now plus the allowed clock skew. */
    public static final String FUTURE = "future";
    /** Older than the configured maximum age. */
    public static final String TOO_OLD = "too-old";
    /** Not one of the enum's values (case-sensitive). */
    public static final String ENUM = "enum";
    /** Not a region of the reference list. */
    public static final String UNKNOWN_REGION = "unknown-region";
    /** Not an ISO 3166-1 alpha-2 country code. */
    public static final String COUNTRY = "iso-country";
    /** A number outside its range (coordinates, counts, quantities). */
    public static final String RANGE = "range";
    /** A quantity that must be positive is zero or negative. */
    public static final String POSITIVE = "positive";
    /** A text longer than its limit. */
    public static final String MAX_LENGTH = "max-length";
    /** A text with an unpaired UTF-16 surrogate, which no Unicode encoding can carry. */
    public static final String UNICODE = "unicode";
    /** {@code threatType: DRUG_TRAFFICKING} on an incident: drug seizures have their own endpoint and schema. */
    public static final String USE_SEIZURES = "use-seizures-endpoint";
    /** A batch line that is not JSON. */
    public static final String MALFORMED_JSON = "malformed-json";
    /** A batch line that was valid but Kafka did not acknowledge; send it again. */
    public static final String KAFKA_UNAVAILABLE = "kafka-unavailable";
    /** The event names an agency the credential may not publish for. */
    public static final String AGENCY_MISMATCH = "agency-mismatch";

    private Rules() {
    }
}
