package org.borderwatch.ingest.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.io.NumberInput;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.GeoPoint;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.ingest.IngestConfig;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.body.BodyRules;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.body.MalformedBodyException;
import org.borderwatch.service.body.StrictJson;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.region.Regions;

/**
 * Turns the JSON of one report into the Avro record to publish, checking every rule of the API and reporting all
 * broken rules at once (the README's validation table lists them). Nothing that breaks a rule becomes an
 * {@link Event}, so nothing invalid can reach Kafka.
 */
@Singleton
public final class EventReader {

    static final int MAX_TEXT = 200;
    static final int MAX_DESCRIPTION = 4000;

    private static final BigDecimal MIN_LATITUDE = BigDecimal.valueOf(-90);
    private static final BigDecimal MAX_LATITUDE = BigDecimal.valueOf(90);
    private static final BigDecimal MIN_LONGITUDE = BigDecimal.valueOf(-180);
    private static final BigDecimal MAX_LONGITUDE = BigDecimal.valueOf(180);
    /** Whole numbers of up to 53 bits and the powers of ten up to 10^22 are exact doubles. */
    private static final int EXACT_BITS = 53;
    private static final double[] EXACT_POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
        1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> LOCATION_FIELDS = Set.of("latitude", "longitude");

    private final Regions regions;
    private final IngestConfig config;
    private final Clock clock;

    public EventReader(final Regions regions, final IngestConfig config, final Clock clock) {
        this.regions = regions;
        this.config = config;
        this.clock = clock;
    }

    /** Parses one JSON document (see {@link StrictJson} for how strictly). */
    public JsonNode parse(final byte[] bytes) throws MalformedBodyException {
        return StrictJson.parse(bytes);
    }

    /** Parses the JSON document in {@code bytes[from, to)}: one line of a batch. */
    public JsonNode parse(final byte[] bytes, final int from, final int to) throws MalformedBodyException {
        return StrictJson.parse(bytes, from, to);
    }

    /**
     * Checks {@code node} as a report of {@code type}.
     *
     * @param batchLine whether the node is a batch line, which also has {@link EventType#TYPE_FIELD}
     */
    public Reading read(final EventType type, final JsonNode node, final boolean batchLine) {
        final List<Violation> violations = new ArrayList<>();
        if (!node.isObject()) {
            violations.add(new Violation("", BodyRules.TYPE, "an event must be a JSON object"));
            return new Reading(null, violations, null, null, null);
        }
        final JsonFields fields = new JsonFields(node, "", violations);
        fields.refuseUnknown(batchLine ? type.batchFields() : type.fields(), "an " + type.id());

        final String eventIdText = fields.text("eventId", true, MAX_TEXT);
        final UUID eventId = eventId(eventIdText, fields);
        final String agencyId = fields.text("agencyId", true, MAX_TEXT);
        final Instant now = clock.instant();
        final Instant occurredAt = notTooOld(notInFuture(fields.instant("occurredAt", true), "occurredAt", now,
                fields), now, fields);
        final Instant reportedAt = notInFuture(fields.instant("reportedAt", false), "reportedAt", now, fields);
        final String region = region(fields);
        final String borderSection = fields.text("borderSection", false, MAX_TEXT);
        final GeoPoint location = location(node, violations);
        final Severity severity = fields.enumValue("severity", Severity.class);
        final Confidence confidence = fields.enumValue("confidence", Confidence.class);

        final Event<?> event = switch (type) {
            case INCIDENT -> {
                final ThreatType threatType = fields.enumValue("threatType", ThreatType.class);
                if (threatType == ThreatType.DRUG_TRAFFICKING) {
                    fields.violation(Rules.USE_SEIZURES, "threatType", "drug seizures are reported to"
                            + " POST /v1/seizures (type 'seizure' in a batch), with drugType and quantityKg");
                }
                final Integer persons = fields.wholeNumber("personsInvolved", 0, config.maxPersons(), 0);
                final DetectionMethod detectedBy = fields.enumValue("detectedBy", DetectionMethod.class);
                final String description = fields.text("description", false, MAX_DESCRIPTION);
                yield !violations.isEmpty() ? null : new Event<>(type, Topics.INCIDENTS, eventId, region,
                        BorderIncident.newBuilder()
                                .setEventId(eventId).setAgencyId(agencyId)
                                .setOccurredAt(millis(occurredAt)).setReportedAt(millis(reportedAt, now))
                                .setRegion(region).setBorderSection(borderSection).setLocation(location)
                                .setSeverity(severity).setConfidence(confidence)
                                .setThreatType(threatType).setPersonsInvolved(persons).setDetectedBy(detectedBy)
                                .setDescription(description)
                                .build());
            }
            case SEIZURE -> {
                final DrugType drugType = fields.enumValue("drugType", DrugType.class);
                final Double quantityKg = quantityKg(fields);
                final String departure = country("departureCountry", fields);
                final String destination = country("destinationCountry", fields);
                final String concealment = fields.text("concealment", false, MAX_TEXT);
                final Integer arrests = fields.wholeNumber("arrests", 0, config.maxPersons(), 0);
                yield !violations.isEmpty() ? null : new Event<>(type, Topics.SEIZURES, eventId, region,
                        DrugSeizure.newBuilder()
                                .setEventId(eventId).setAgencyId(agencyId)
                                .setOccurredAt(millis(occurredAt)).setReportedAt(millis(reportedAt, now))
                                .setRegion(region).setBorderSection(borderSection).setLocation(location)
                                .setSeverity(severity).setConfidence(confidence)
                                .setDrugType(drugType).setQuantityKg(quantityKg)
                                .setDepartureCountry(departure).setDestinationCountry(destination)
                                .setConcealment(concealment).setArrests(arrests)
                                .build());
            }
        };
        return new Reading(event, violations, eventIdText, agencyId, region);
    }

    private static UUID eventId(final String text, final JsonFields fields) {
        if (text == null) {
            return null;
        }
        if (!isCanonicalUuid(text)) {
            fields.violation(Rules.UUID, "eventId", "eventId '" + JsonFields.echo(text)
                    + "' is not a UUID such as 3f2b8c1e-7d4a-4e7b-9a51-0c6f2d9e8b17");
            return null;
        }
        return UUID.fromString(text);
    }

    /**
     * {@code 8-4-4-4-12} hex digits, either case. By hand rather than a regular expression: the match was a quarter
     * of the reader's time in a batch-ingest profile.
     */
    static boolean isCanonicalUuid(final String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            final char c = text.charAt(i);
            final boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Instant notInFuture(final Instant instant, final String name, final Instant now,
                                final JsonFields fields) {
        if (instant != null && instant.isAfter(now.plus(config.clockSkew()))) {
            fields.violation(Rules.FUTURE, name, name + " " + instant + " lies in the future; at most "
                    + human(config.clockSkew()) + " of clock skew is allowed");
            return null;
        }
        return instant;
    }

    private Instant notTooOld(final Instant instant, final Instant now, final JsonFields fields) {
        if (instant != null && instant.isBefore(now.minus(config.maxAge()))) {
            fields.violation(Rules.TOO_OLD, "occurredAt", "occurredAt " + instant + " is more than "
                    + human(config.maxAge()) + " ago");
            return null;
        }
        return instant;
    }

    private String region(final JsonFields fields) {
        final String region = fields.text("region", true, MAX_TEXT);
        if (region != null && !regions.contains(region)) {
            fields.violation(Rules.UNKNOWN_REGION, "region", "region '" + JsonFields.echo(region)
                    + "' is not in the region reference list (ISO 3166-2 first-level codes such as TJ-KT)");
            return null;
        }
        return region;
    }

    private static GeoPoint location(final JsonNode event, final List<Violation> violations) {
        final JsonNode node = event.get("location");
        if (node == null || node.isNull()) {
            return null;
        }
        final JsonFields fields = new JsonFields(node, "location.", violations);
        if (!node.isObject()) {
            violations.add(new Violation("location", BodyRules.TYPE,
                    "location must be an object {\"latitude\": ..., \"longitude\": ...}"));
            return null;
        }
        fields.refuseUnknown(LOCATION_FIELDS, "location");
        final BigDecimal latitude = fields.number("latitude", true);
        final BigDecimal longitude = fields.number("longitude", true);
        final boolean latitudeOk = latitude != null
                && fields.inRange("latitude", latitude, MIN_LATITUDE, MAX_LATITUDE);
        final boolean longitudeOk = longitude != null
                && fields.inRange("longitude", longitude, MIN_LONGITUDE, MAX_LONGITUDE);
        return latitudeOk && longitudeOk ? new GeoPoint(toDouble(latitude), toDouble(longitude)) : null;
    }

    private Double quantityKg(final JsonFields fields) {
        final BigDecimal quantity = fields.number("quantityKg", true);
        if (quantity == null) {
            return null;
        }
        // Also on the double that is published: 1e-400 is positive as written but 0 as a double.
        final double kg = toDouble(quantity);
        if (quantity.signum() <= 0 || kg <= 0) {
            fields.violation(Rules.POSITIVE, "quantityKg", "quantityKg must be more than 0; got "
                    + JsonFields.echo(quantity.toString()));
            return null;
        }
        return fields.inRange("quantityKg", quantity, BigDecimal.ZERO, BigDecimal.valueOf(config.maxQuantityKg()))
                ? kg : null;
    }

    private static String country(final String name, final JsonFields fields) {
        final String country = fields.text(name, false, MAX_TEXT);
        if (country != null && !COUNTRIES.contains(country)) {
            fields.violation(Rules.COUNTRY, name, name + " '" + JsonFields.echo(country)
                    + "' is not an ISO 3166-1 alpha-2 country code such as AF or TJ");
            return null;
        }
        return country;
    }

    /**
     * The double nearest to {@code value}, as {@link BigDecimal#doubleValue()} (both round correctly: the same
     * double). Java 17's {@code doubleValue} formats the decimal and parses the text with {@code Double.parseDouble}:
     * 1.3 % of the service's CPU under batch load, for two coordinates a line (perf, December 2026). A decimal of up
     * to 53 bits with a scale of 0 to 22 is divided exactly instead; Jackson's fast parser reads the text of others.
     */
    static double toDouble(final BigDecimal value) {
        final int scale = value.scale();
        if (scale >= 0 && scale < EXACT_POWERS_OF_TEN.length) {
            final BigInteger unscaled = value.unscaledValue();
            if (unscaled.bitLength() <= EXACT_BITS) {
                // Both operands are exact doubles, so the one division rounds correctly (Clinger's fast path).
                return unscaled.longValue() / EXACT_POWERS_OF_TEN[scale];
            }
        }
        return NumberInput.parseDouble(value.toString(), true);
    }

    /** Avro keeps milliseconds; truncating here makes the published record exactly what consumers read. */
    private static Instant millis(final Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millis(final Instant instant, final Instant fallback) {
        return millis(instant != null ? instant : fallback);
    }

    private static String human(final Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
