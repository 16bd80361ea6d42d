package org.borderwatch.aggregator;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DetectionMethod;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.EscalationTier;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/** Test data: reports and rules on 2 March 2026 (UTC), with readable times. */
public final class Reports {

    public static final String DAY = "2026-03-02";
    private static final AtomicLong IDS = new AtomicLong();

    private Reports() {
    }

    /** {@code at("10:15")} is 2026-03-02T10:15:00Z; {@code at("10:59:59.999")} works too. */
    public static Instant at(final String time) {
        return Instant.parse(DAY + "T" + (time.length() == 5 ? time + ":00" : time) + "Z");
    }

    public static UUID nextId() {
        return new UUID(0xB0BDE4L, IDS.incrementAndGet());
    }

    public static BorderIncident incident(final String region, final ThreatType threatType, final String time) {
        return incident(region, threatType, time, Severity.HIGH, Confidence.CONFIRMED, "tj-border-guard");
    }

    public static BorderIncident incident(final String region, final ThreatType threatType, final String time,
                                          final Severity severity, final Confidence confidence,
                                          final String agencyId) {
        final Instant occurredAt = at(time);
        return BorderIncident.newBuilder()
                .setEventId(nextId())
                .setAgencyId(agencyId)
                .setOccurredAt(occurredAt)
                .setReportedAt(occurredAt)
                .setRegion(region)
                .setSeverity(severity)
                .setConfidence(confidence)
                .setThreatType(threatType)
                .setDetectedBy(DetectionMethod.PATROL)
                .build();
    }

    public static DrugSeizure seizure(final String region, final String time, final DrugType drugType,
                                      final double kg) {
        return seizure(region, time, drugType, kg, "tj-drug-control");
    }

    public static DrugSeizure seizure(final String region, final String time, final DrugType drugType,
                                      final double kg, final String agencyId) {
        final Instant occurredAt = at(time);
        return DrugSeizure.newBuilder()
                .setEventId(nextId())
                .setAgencyId(agencyId)
                .setOccurredAt(occurredAt)
                .setReportedAt(occurredAt)
                .setRegion(region)
                .setSeverity(Severity.MEDIUM)
                .setConfidence(Confidence.CONFIRMED)
                .setDrugType(drugType)
                .setQuantityKg(kg)
                .build();
    }

    public static AlertRule.Builder rule(final String ruleId, final String region, final ThreatType threatType,
                                         final String window, final Metric metric, final double threshold,
                                         final double resolveThreshold) {
        return AlertRule.newBuilder()
                .setRuleId(ruleId)
                .setName("rule " + ruleId)
                .setRegion(region)
                .setThreatType(threatType)
                .setWindow(window)
                .setMetric(metric)
                .setThreshold(threshold)
                .setResolveThreshold(resolveThreshold)
                .setSeverity(Severity.MEDIUM)
                .setEscalations(List.of())
                .setEnabled(true);
    }

    public static EscalationTier tier(final double threshold, final Severity severity) {
        return new EscalationTier(threshold, severity);
    }
}
