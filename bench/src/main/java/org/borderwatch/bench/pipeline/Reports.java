package org.borderwatch.bench.pipeline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Bodies of the ingest and rules APIs (field names and rules in the ingest and aggregator READMEs). */
public final class Reports {

    /** Any agency id: the admin key publishes for every agency. */
    public static final String AGENCY = "BENCH-AGENCY";

    private Reports() {
    }

    /** An incident for {@code POST /v1/incidents}: a fresh eventId, confirmed, detected by a patrol. */
    public static Map<String, Object> incident(final String region, final String threatType, final Instant occurredAt,
                                               final String severity) {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("eventId", UUID.randomUUID().toString());
        report.put("agencyId", AGENCY);
        report.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
        report.put("region", region);
        report.put("severity", severity);
        report.put("confidence", "CONFIRMED");
        report.put("threatType", threatType);
        report.put("detectedBy", "PATROL");
        return report;
    }

    /** The same incident as one line of {@code POST /v1/batch} (NDJSON, with {@code "type": "incident"}). */
    public static String batchLine(final Map<String, Object> incident) {
        final Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "incident");
        line.putAll(incident);
        return Api.write(line);
    }

    /** A rule for {@code POST /v1/rules} on the event count of {@code window}. */
    public static Map<String, Object> eventCountRule(final String ruleId, final String region,
                                                     final String threatType, final String window,
                                                     final int threshold, final int resolveThreshold,
                                                     final String severity) {
        final Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("ruleId", ruleId);
        rule.put("name", ruleId);
        rule.put("region", region);
        rule.put("threatType", threatType);
        rule.put("window", window);
        rule.put("metric", "EVENT_COUNT");
        rule.put("threshold", threshold);
        rule.put("resolveThreshold", resolveThreshold);
        rule.put("severity", severity);
        return rule;
    }
}
