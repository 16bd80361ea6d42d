package org.borderwatch.bench.expected;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.bench.workload.PublishedReport;

/**
 * The expected figures of one output key, accumulated report by report, independently of the aggregator's code:
 * its README and the issue are the specification (score = severity weight × confidence factor).
 */
public final class Figures {

    /**
     * Severity scores are sums of products such as 15 × 0.7, which are not exact in binary, and the aggregator adds
     * them in another order (per bucket, then buckets per window); a lost or doubled report moves the sum by at
     * least 0.4, far above this.
     */
    static final double SCORE_TOLERANCE = 1e-6;

    private final long windowStart;
    private final long windowEnd;
    private long eventCount;
    private double seizureKg;
    private final Map<String, Double> kgByDrug = new TreeMap<>();
    private double severityScore;
    private Severity maxSeverity;
    private final Set<String> agencies = new HashSet<>();
    private long lastEventAt = Long.MIN_VALUE;

    Figures(final long windowStart, final long windowEnd) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    void add(final PublishedReport report) {
        eventCount++;
        if (report.drugType() != null) {
            seizureKg += report.quantityKg();
            kgByDrug.merge(report.drugType().name(), report.quantityKg(), Double::sum);
        }
        severityScore += weight(report.severity()) * factor(report.confidence());
        if (maxSeverity == null || report.severity().compareTo(maxSeverity) > 0) {
            maxSeverity = report.severity();
        }
        agencies.add(report.agencyId());
        lastEventAt = Math.max(lastEventAt, report.occurredAt());
    }

    public long eventCount() {
        return eventCount;
    }

    /** What differs between these figures and {@code actual}, field by field; empty when they agree. */
    public List<String> differences(final ThreatAggregate actual) {
        final List<String> differences = new ArrayList<>();
        compare(differences, "windowStart", windowStart, actual.getWindowStart().toEpochMilli());
        compare(differences, "windowEnd", windowEnd, actual.getWindowEnd().toEpochMilli());
        compare(differences, "eventCount", eventCount, actual.getEventCount());
        compare(differences, "seizureKg", seizureKg, actual.getSeizureKg());
        compare(differences, "seizureKgByDrug", kgByDrug, new TreeMap<>(actual.getSeizureKgByDrug()));
        if (Math.abs(severityScore - actual.getSeverityScore()) > SCORE_TOLERANCE) {
            differences.add("severityScore expected " + severityScore + " but was " + actual.getSeverityScore());
        }
        compare(differences, "maxSeverity", maxSeverity, actual.getMaxSeverity());
        compare(differences, "distinctAgencies", agencies.size(), actual.getDistinctAgencies());
        compare(differences, "lastEventAt", lastEventAt,
                actual.getLastEventAt() == null ? null : actual.getLastEventAt().toEpochMilli());
        return differences;
    }

    /** LOW 1, MEDIUM 3, HIGH 7, CRITICAL 15 (aggregator README, "Severity score"). */
    static double weight(final Severity severity) {
        return switch (severity) {
            case LOW -> 1;
            case MEDIUM -> 3;
            case HIGH -> 7;
            case CRITICAL -> 15;
        };
    }

    /** CONFIRMED 1.0, PROBABLE 0.7, POSSIBLE 0.4. */
    static double factor(final Confidence confidence) {
        return switch (confidence) {
            case CONFIRMED -> 1.0;
            case PROBABLE -> 0.7;
            case POSSIBLE -> 0.4;
        };
    }

    private static void compare(final List<String> differences, final String field, final Object expected,
                                final Object actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(field + " expected " + expected + " but was " + actual);
        }
    }

    @Override
    public String toString() {
        return "{events=" + eventCount + ", kg=" + seizureKg + ", score=" + severityScore + ", max=" + maxSeverity
                + ", agencies=" + agencies.size() + "}";
    }
}
