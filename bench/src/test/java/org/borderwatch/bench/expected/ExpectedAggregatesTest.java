package org.borderwatch.bench.expected;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.bench.workload.PublishedReport;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.bench.workload.ReportGenerator;
import org.junit.jupiter.api.Test;

class ExpectedAggregatesTest {

    private static final Region KHATLON = Region.CENTRAL_ASIA.stream()
            .filter(region -> region.code().equals("TJ-KT")).findFirst().orElseThrow();
    private static final long AT_1015 = Instant.parse("2026-03-02T10:15:00Z").toEpochMilli();

    private final ReportGenerator generator = new ReportGenerator(11, List.of(KHATLON));

    @Test
    void shouldListEveryWindowStartContainingATimeWhenWindowsHop() {
        final List<Window> windows = Window.parse(Window.DEFAULT_SPEC);

        assertThat(windows).extracting(Window::name).containsExactly("PT1H", "PT24H", "P7D");
        assertThat(windows.get(0).startsContaining(AT_1015)).containsExactly(at("2026-03-02T10:00:00Z"));
        final long[] day = windows.get(1).startsContaining(AT_1015);
        assertThat(day).hasSize(24);
        assertThat(day[0]).isEqualTo(at("2026-03-02T10:00:00Z"));
        assertThat(day[23]).isEqualTo(at("2026-03-01T11:00:00Z"));
        final long[] week = windows.get(2).startsContaining(AT_1015);
        assertThat(week).hasSize(7);
        assertThat(week[0]).isEqualTo(at("2026-03-02T00:00:00Z"));
        assertThat(week[6]).isEqualTo(at("2026-02-24T00:00:00Z"));
    }

    @Test
    void shouldExpectOneKeyPerWindowOfRegionAndCountryWhenOneReportIsCounted() {
        final ExpectedAggregates expected = new ExpectedAggregates(Window.parse(Window.DEFAULT_SPEC));
        final PublishedReport report = generator.incident(KHATLON, AT_1015, AT_1015);

        expected.count(report);

        // 1 + 24 + 7 windows, for TJ-KT and for TJ
        assertThat(expected.byKey()).hasSize(64);
        final String hour = "TJ-KT|" + report.threatType() + "|PT1H|2026-03-02T10:00:00Z";
        assertThat(expected.byKey()).containsKey(hour)
                .containsKey("TJ|" + report.threatType() + "|P7D|2026-02-24T00:00:00Z");
        assertThat(expected.compare(Map.of(hour, aggregate(report, "PT1H", at("2026-03-02T10:00:00Z"),
                3_600_000L, 1)))).last().asString().startsWith("63 keys missing, 0 unexpected, 0 with wrong figures");
    }

    @Test
    void shouldAgreeWhenEveryFigureMatchesAndDisagreeWhenAReportIsCountedTwice() {
        final ExpectedAggregates expected = new ExpectedAggregates(Window.parse("PT1H"));
        final PublishedReport report = generator.seizure(KHATLON, AT_1015, AT_1015);
        expected.count(report);
        final String key = "TJ-KT|DRUG_TRAFFICKING|PT1H|2026-03-02T10:00:00Z";
        final String country = "TJ|DRUG_TRAFFICKING|PT1H|2026-03-02T10:00:00Z";
        final long start = at("2026-03-02T10:00:00Z");
        final Map<String, ThreatAggregate> actual = new HashMap<>(Map.of(
                key, aggregate(report, "PT1H", start, 3_600_000L, 1),
                country, ThreatAggregate.newBuilder(aggregate(report, "PT1H", start, 3_600_000L, 1))
                        .setRegion("TJ").build()));

        assertThat(expected.compare(actual)).isEmpty();

        actual.put(key, aggregate(report, "PT1H", start, 3_600_000L, 2));
        assertThat(expected.compare(actual)).hasSize(2).first().asString()
                .startsWith(key + ": eventCount expected 1 but was 2; seizureKg expected");
    }

    @Test
    void shouldReportAKeyThatShouldNotExistWhenTheOutputHasOne() {
        final ExpectedAggregates expected = new ExpectedAggregates(Window.parse("PT1H"));
        final PublishedReport report = generator.incident(KHATLON, AT_1015, AT_1015);
        final String stray = "TJ-KT|OTHER|PT1H|2026-03-02T09:00:00Z";

        assertThat(expected.compare(Map.of(stray, aggregate(report, "PT1H", at("2026-03-02T09:00:00Z"),
                3_600_000L, 1)))).first().asString().startsWith("unexpected " + stray);
    }

    @Test
    void shouldTolerateOnlyRoundingWhenComparingSeverityScoresAndSeverities() {
        final ExpectedAggregates expected = new ExpectedAggregates(Window.parse("PT1H"));
        final PublishedReport report = generator.incident(KHATLON, AT_1015, AT_1015);
        expected.count(report);
        final long start = at("2026-03-02T10:00:00Z");
        final ThreatAggregate exact = aggregate(report, "PT1H", start, 3_600_000L, 1);
        final Figures figures = expected.byKey().get("TJ-KT|" + report.threatType() + "|PT1H|2026-03-02T10:00:00Z");

        assertThat(figures.differences(ThreatAggregate.newBuilder(exact)
                .setSeverityScore(exact.getSeverityScore() + 1e-12).build())).isEmpty();
        assertThat(figures.differences(ThreatAggregate.newBuilder(exact)
                .setSeverityScore(exact.getSeverityScore() + 0.4).build())).hasSize(1);
        assertThat(figures.differences(ThreatAggregate.newBuilder(exact)
                .setMaxSeverity(report.severity() == Severity.LOW ? Severity.MEDIUM : Severity.LOW).build()))
                .hasSize(1);
    }

    /** What the aggregator would emit for {@code report} counted {@code times} times. */
    private static ThreatAggregate aggregate(final PublishedReport report, final String window, final long start,
                                             final long size, final int times) {
        final double kg = report.quantityKg() * times;
        return ThreatAggregate.newBuilder()
                .setRegion(report.region())
                .setThreatType(report.threatType())
                .setWindow(window)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(start + size))
                .setEventCount(times)
                .setSeizureKg(kg)
                .setSeizureKgByDrug(report.drugType() == null ? Map.of() : Map.of(report.drugType().name(), kg))
                .setSeverityScore(times * Figures.weight(report.severity()) * Figures.factor(report.confidence()))
                .setMaxSeverity(report.severity())
                .setDistinctAgencies(1)
                .setLastEventAt(Instant.ofEpochMilli(report.occurredAt()))
                .build();
    }

    private static long at(final String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
