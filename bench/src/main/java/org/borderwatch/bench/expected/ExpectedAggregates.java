package org.borderwatch.bench.expected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.bench.workload.PublishedReport;

/**
 * What {@code border.threat-aggregates.v1} must finally hold for a set of counted reports (after deduplication, late
 * reports excluded): for every region and its country, every threat type and every configured window that contains
 * at least one counted report, one key {@code code|threatType|window|windowStart} whose last value has exactly these
 * figures. Windows without a report have no key.
 */
public final class ExpectedAggregates {

    private static final int MAX_DETAILS = 15;

    private final List<Window> windows;
    private final Map<String, Figures> byKey = new HashMap<>();
    private long counted;

    public ExpectedAggregates(final List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    /** Counts {@code report} in every window of its region and of its country that contains its occurredAt. */
    public void count(final PublishedReport report) {
        counted++;
        for (final String code : List.of(report.region(), report.country())) {
            for (final Window window : windows) {
                for (final long start : window.startsContaining(report.occurredAt())) {
                    byKey.computeIfAbsent(key(code, report, window, start),
                            key -> new Figures(start, start + window.sizeMs())).add(report);
                }
            }
        }
    }

    /** Expected figures by output key. */
    public Map<String, Figures> byKey() {
        return Collections.unmodifiableMap(byKey);
    }

    /** How many reports were counted. */
    public long counted() {
        return counted;
    }

    /**
     * Every disagreement between these expectations and the last values of the output topic: a key missing, a key
     * that should not exist, a figure that differs. The first few are described in full; the last line counts all.
     */
    public List<String> compare(final Map<String, ThreatAggregate> actual) {
        final List<String> problems = new ArrayList<>();
        int missing = 0;
        int unexpected = 0;
        int wrong = 0;
        for (final String key : new TreeSet<>(byKey.keySet())) {
            final Figures figures = byKey.get(key);
            final ThreatAggregate value = actual.get(key);
            if (value == null) {
                missing++;
                detail(problems, "missing " + key + ", expected " + figures);
                continue;
            }
            final List<String> differences = figures.differences(value);
            if (!differences.isEmpty()) {
                wrong++;
                detail(problems, key + ": " + String.join("; ", differences));
            }
        }
        for (final String key : new TreeSet<>(actual.keySet())) {
            if (!byKey.containsKey(key)) {
                unexpected++;
                detail(problems, "unexpected " + key + " = " + actual.get(key));
            }
        }
        if (!problems.isEmpty()) {
            problems.add(missing + " keys missing, " + unexpected + " unexpected, " + wrong + " with wrong figures (of "
                    + byKey.size() + " expected)");
        }
        return problems;
    }

    /** The aggregator's key format, e.g. {@code TJ-KT|DRUG_TRAFFICKING|PT24H|2026-03-02T10:00:00Z}. */
    static String key(final String code, final PublishedReport report, final Window window, final long start) {
        return code + '|' + report.threatType().name() + '|' + window.name() + '|' + Instant.ofEpochMilli(start);
    }

    private static void detail(final List<String> problems, final String problem) {
        if (problems.size() < MAX_DETAILS) {
            problems.add(problem);
        }
    }
}
