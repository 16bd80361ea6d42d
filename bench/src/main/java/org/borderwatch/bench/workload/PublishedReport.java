package org.borderwatch.bench.workload;

import java.util.UUID;

import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * One generated report exactly as it is published (topic, key, encoded value, record timestamp), plus the fields the
 * expected aggregates are computed from, so the verifier never has to decode its own input.
 *
 * @param drugType   null for an incident
 * @param quantityKg 0 for an incident; a multiple of 0.25 for a seizure, so sums are exact in binary floating point
 *                   whatever the order of addition
 * @param timestamp  the record timestamp: when the agency reported it ({@code reportedAt})
 */
public record PublishedReport(String topic, String key, byte[] value, long timestamp, UUID eventId, String region,
                              ThreatType threatType, long occurredAt, Severity severity, Confidence confidence,
                              String agencyId, DrugType drugType, double quantityKg) {

    public String country() {
        return region.substring(0, region.indexOf('-'));
    }
}
