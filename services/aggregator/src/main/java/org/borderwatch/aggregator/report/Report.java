package org.borderwatch.aggregator.report;

import java.util.UUID;

import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * One agency report (an incident or a drug seizure) reduced to what the aggregates need, plus the bytes it was
 * published as (a late report is forwarded with its original payload).
 *
 * @param drugType   null for incidents
 * @param quantityKg 0 for incidents
 * @param payload    the record value exactly as read from the topic
 */
public record Report(UUID eventId, String agencyId, long occurredAt, String region, ThreatType threatType,
                     Severity severity, Confidence confidence, DrugType drugType, double quantityKg,
                     byte[] payload) {

    public static Report of(final BorderIncident incident, final byte[] payload) {
        return new Report(incident.getEventId(), incident.getAgencyId(), incident.getOccurredAt().toEpochMilli(),
                incident.getRegion(), incident.getThreatType(), incident.getSeverity(), incident.getConfidence(),
                null, 0.0, payload);
    }

    public static Report of(final DrugSeizure seizure, final byte[] payload) {
        return new Report(seizure.getEventId(), seizure.getAgencyId(), seizure.getOccurredAt().toEpochMilli(),
                seizure.getRegion(), ThreatType.DRUG_TRAFFICKING, seizure.getSeverity(), seizure.getConfidence(),
                seizure.getDrugType(), seizure.getQuantityKg(), payload);
    }

    /** The ISO 3166-1 country of an ISO 3166-2 region code: the part before the '-' ({@code TJ-KT} → {@code TJ}). */
    public static String countryOf(final String region) {
        final int dash = region.indexOf('-');
        return dash < 0 ? region : region.substring(0, dash);
    }
}
