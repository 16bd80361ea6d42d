package org.borderwatch.ingest.event;

import org.borderwatch.service.body.BodyRules;

/**
 * Names of ingest's own validation rules, as they appear in {@code errors[].rule}; the rules every JSON API shares
 * ({@code required}, {@code type}, {@code unknown-field}...) are in {@link BodyRules}. They are part of the API:
 * clients switch on them, the README's table lists them, so they never change meaning.
 */
public final class Rules {

    /** {@code eventId} is not a UUID in its canonical 8-4-4-4-12 hex form. */
    public static final String UUID = "uuid";
    /** Later than now plus the allowed clock skew. */
    public static final String FUTURE = "future";
    /** Older than the configured maximum age. */
    public static final String TOO_OLD = "too-old";
    /** Not a region of the reference list. */
    public static final String UNKNOWN_REGION = "unknown-region";
    /** Not an ISO 3166-1 alpha-2 country code. */
    public static final String COUNTRY = "iso-country";
    /** A quantity that must be positive is zero or negative. */
    public static final String POSITIVE = "positive";
    /** {@code threatType: DRUG_TRAFFICKING} on an incident: drug seizures have their own endpoint and schema. */
    public static final String USE_SEIZURES = "use-seizures-endpoint";
    /** A batch line that was valid but Kafka did not acknowledge; send it again. */
    public static final String KAFKA_UNAVAILABLE = "kafka-unavailable";
    /** The event names an agency the credential may not publish for. */
    public static final String AGENCY_MISMATCH = "agency-mismatch";

    private Rules() {
    }
}
