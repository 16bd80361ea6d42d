package org.borderwatch.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Valid report bodies, as agencies send them; tests break one field at a time. */
public final class Reports {

    private Reports() {
    }

    /** Now, at millisecond precision, as Avro keeps it. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static Map<String, Object> incident() {
        final Map<String, Object> incident = common();
        incident.put("threatType", "ILLEGAL_CROSSING");
        incident.put("personsInvolved", 3);
        incident.put("detectedBy", "PATROL");
        incident.put("description", "Group of three crossed the Panj at night; boat left on the bank. Ғ ӯ қ 🚤");
        return incident;
    }

    public static Map<String, Object> seizure() {
        final Map<String, Object> seizure = common();
        seizure.put("region", "TJ-GB");
        seizure.put("drugType", "HEROIN");
        seizure.put("quantityKg", 12.75);
        seizure.put("departureCountry", "AF");
        seizure.put("destinationCountry", "RU");
        seizure.put("concealment", "spare tyre");
        seizure.put("arrests", 2);
        return seizure;
    }

    private static Map<String, Object> common() {
        final Instant now = now();
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("eventId", UUID.randomUUID().toString());
        report.put("agencyId", IngestApp.AGENCY);
        report.put("occurredAt", now.minus(2, ChronoUnit.HOURS).toString());
        report.put("reportedAt", now.minus(1, ChronoUnit.HOURS).toString());
        report.put("region", "TJ-KT");
        report.put("borderSection", "Panj river, sector 4");
        report.put("location", new LinkedHashMap<>(Map.of("latitude", 37.2311, "longitude", 69.0871)));
        report.put("severity", "HIGH");
        report.put("confidence", "PROBABLE");
        return report;
    }

    /** A copy of {@code report} with {@code field} set to {@code value} ({@code null} removes it). */
    public static Map<String, Object> with(final Map<String, Object> report, final String field, final Object value) {
        final Map<String, Object> copy = new LinkedHashMap<>(report);
        if (value == null) {
            copy.remove(field);
        } else {
            copy.put(field, value);
        }
        return copy;
    }
}
