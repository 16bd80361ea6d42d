package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.aggregator.Expected.aggregate;
import static org.borderwatch.aggregator.Expected.keyed;
import static org.borderwatch.aggregator.Expected.regionAndCountry;
import static org.borderwatch.aggregator.Reports.at;
import static org.borderwatch.aggregator.Reports.incident;
import static org.borderwatch.aggregator.Reports.seizure;
import static org.borderwatch.avro.ThreatType.DRUG_TRAFFICKING;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatAggregate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed aggregates: emission cadence, window boundaries, out-of-order reports, hopping windows, roll-ups. */
class AggregatesTest {

    /** Small windows keep whole outputs readable: 1 h tumbling, 2 h hopping by 1 h. */
    static final List<WindowSpec> SMALL_WINDOWS = List.of(WindowSpec.tumbling("PT1H"),
            WindowSpec.hopping("PT2H", "PT1H"));

    @TempDir
    Path stateDir;
    AggregatorDriver aggregator;

    @AfterEach
    void stop() {
        if (aggregator != null) {
            aggregator.close();
        }
    }

    private void start(final List<WindowSpec> windows) {
        aggregator = new AggregatorDriver(AggregatorConfig.defaults().withApplicationId("aggregates-test")
                .withWindows(windows), stateDir);
    }

    @Test
    void shouldEmitRegionWindowsThenCountryWindowsWhenPunctuationsFire() {
        start(SMALL_WINDOWS);
        final BorderIncident incident = incident("TJ-KT", ILLEGAL_CROSSING, "10:15");

        aggregator.publish(incident);
        assertThat(aggregator.aggregates.isEmpty()).as("nothing is emitted per event").isTrue();

        final ThreatAggregate hour = aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "10:00", "11:00")
                .setEventCount(1).setSeverityScore(7.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                .setLastEventAt(at("10:15")).build();
        final ThreatAggregate twoHoursFrom9 = ThreatAggregate.newBuilder(hour).setWindow("PT2H")
                .setWindowStart(at("09:00")).setWindowEnd(at("11:00")).build();
        final ThreatAggregate twoHoursFrom10 = ThreatAggregate.newBuilder(hour).setWindow("PT2H")
                .setWindowStart(at("10:00")).setWindowEnd(at("12:00")).build();
        aggregator.tick();
        assertThat(aggregator.aggregates.readKeyValuesToMap())
                .isEqualTo(keyed(hour, twoHoursFrom9, twoHoursFrom10));
        aggregator.tick();
        final Map<String, ThreatAggregate> country = regionAndCountry(hour, twoHoursFrom9, twoHoursFrom10);
        country.keySet().removeIf(key -> key.startsWith("TJ-KT|"));
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(country);
        aggregator.tick();
        assertThat(aggregator.aggregates.isEmpty()).as("unchanged windows are not re-emitted").isTrue();
    }

    @Test
    void shouldPutReportInNextWindowWhenItOccursAtTheWindowEnd() {
        start(List.of(WindowSpec.tumbling("PT1H")));

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:59:59.999"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "11:00:00.000"));
        aggregator.flush();

        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(
                aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "10:00", "11:00").setEventCount(1)
                        .setSeverityScore(7.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                        .setLastEventAt(at("10:59:59.999")).build(),
                aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "11:00", "12:00").setEventCount(1)
                        .setSeverityScore(7.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                        .setLastEventAt(at("11:00")).build()));
    }

    @Test
    void shouldSumScoresAndKeepMaxSeverityWhenReportsDifferInSeverityAndConfidence() {
        start(List.of(WindowSpec.tumbling("PT1H")));

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:05", Severity.LOW, Confidence.POSSIBLE, "a"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10", Severity.CRITICAL, Confidence.PROBABLE, "b"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:20", Severity.MEDIUM, Confidence.CONFIRMED, "a"));
        aggregator.flush();

        // 1 x 0.4 + 15 x 0.7 + 3 x 1.0
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(
                aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "10:00", "11:00").setEventCount(3)
                        .setSeverityScore(0.4 + 10.5 + 3.0).setMaxSeverity(Severity.CRITICAL).setDistinctAgencies(2)
                        .setLastEventAt(at("10:20")).build()));
    }

    @Test
    void shouldCountOutOfOrderReportInItsOwnWindowsWhenItIsWithinGrace() {
        start(SMALL_WINDOWS);

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:15"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "08:30"));
        aggregator.flush();

        final ThreatAggregate at0830 = aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "08:00", "09:00")
                .setEventCount(1).setSeverityScore(7.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                .setLastEventAt(at("08:30")).build();
        final ThreatAggregate at1015 = ThreatAggregate.newBuilder(at0830).setWindowStart(at("10:00"))
                .setWindowEnd(at("11:00")).setLastEventAt(at("10:15")).build();
        // The changed range 08:00..10:00 re-emits every 2 h window touching it, including 09:00-11:00.
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(at0830, at1015,
                window(at0830, "PT2H", "07:00", "09:00"),
                window(at0830, "PT2H", "08:00", "10:00"),
                window(at1015, "PT2H", "09:00", "11:00"),
                window(at1015, "PT2H", "10:00", "12:00")));
        assertThat(aggregator.lateEvents.isEmpty()).isTrue();
    }

    @Test
    void shouldCountReportWhenItOccursExactlyGraceBeforeStreamTime() {
        start(List.of(WindowSpec.tumbling("PT1H")));

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "17:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "11:00"));
        aggregator.flush();

        assertThat(aggregator.aggregates.readKeyValuesToMap()).containsOnlyKeys(
                "TJ-KT|ILLEGAL_CROSSING|PT1H|2026-03-02T11:00:00Z", "TJ-KT|ILLEGAL_CROSSING|PT1H|2026-03-02T17:00:00Z",
                "TJ|ILLEGAL_CROSSING|PT1H|2026-03-02T11:00:00Z", "TJ|ILLEGAL_CROSSING|PT1H|2026-03-02T17:00:00Z");
        assertThat(aggregator.lateEvents.isEmpty()).isTrue();
    }

    @Test
    void shouldSumTwoHourWindowsFromHourlyBucketsWhenReportsSpanHours() {
        start(SMALL_WINDOWS);

        aggregator.publish(seizure("TJ-KT", "10:10", DrugType.HEROIN, 10.0, "a"));
        aggregator.publish(seizure("TJ-KT", "11:10", DrugType.OPIUM, 4.5, "b"));
        aggregator.flush();

        final ThreatAggregate hour10 = aggregate("TJ-KT", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00")
                .setEventCount(1).setSeizureKg(10.0).setSeizureKgByDrug(Map.of("HEROIN", 10.0))
                .setSeverityScore(3.0).setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(1)
                .setLastEventAt(at("10:10")).build();
        final ThreatAggregate hour11 = aggregate("TJ-KT", DRUG_TRAFFICKING, "PT1H", "11:00", "12:00")
                .setEventCount(1).setSeizureKg(4.5).setSeizureKgByDrug(Map.of("OPIUM", 4.5))
                .setSeverityScore(3.0).setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(1)
                .setLastEventAt(at("11:10")).build();
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(hour10, hour11,
                window(hour10, "PT2H", "09:00", "11:00"),
                aggregate("TJ-KT", DRUG_TRAFFICKING, "PT2H", "10:00", "12:00").setEventCount(2)
                        .setSeizureKg(14.5).setSeizureKgByDrug(Map.of("HEROIN", 10.0, "OPIUM", 4.5))
                        .setSeverityScore(6.0).setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(2)
                        .setLastEventAt(at("11:10")).build(),
                window(hour11, "PT2H", "11:00", "13:00")));
    }

    @Test
    void shouldSumDailyHoppingWindowsFromDailyBucketsWhenReportsSpanDays() {
        start(List.of(WindowSpec.hopping("P2D", "P1D")));

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "23:30"));
        aggregator.incidents.pipeInput("TJ-KT", onNextDay(incident("TJ-KT", ILLEGAL_CROSSING, "00:30")),
                Instant.parse("2026-03-03T00:30:00Z"));
        aggregator.flush();

        final ThreatAggregate.Builder oneEvent = aggregate("TJ-KT", ILLEGAL_CROSSING, "P2D", "00:00", "00:00")
                .setEventCount(1).setSeverityScore(7.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1);
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(regionAndCountry(
                ThreatAggregate.newBuilder(oneEvent.build()).setWindowStart(Instant.parse("2026-03-01T00:00:00Z"))
                        .setWindowEnd(Instant.parse("2026-03-03T00:00:00Z")).setLastEventAt(at("23:30")).build(),
                ThreatAggregate.newBuilder(oneEvent.build()).setWindowStart(Instant.parse("2026-03-02T00:00:00Z"))
                        .setWindowEnd(Instant.parse("2026-03-04T00:00:00Z")).setEventCount(2)
                        .setSeverityScore(14.0).setLastEventAt(Instant.parse("2026-03-03T00:30:00Z")).build(),
                ThreatAggregate.newBuilder(oneEvent.build()).setWindowStart(Instant.parse("2026-03-03T00:00:00Z"))
                        .setWindowEnd(Instant.parse("2026-03-05T00:00:00Z"))
                        .setLastEventAt(Instant.parse("2026-03-03T00:30:00Z")).build()));
    }

    @Test
    void shouldEmitEveryDefaultWindowContainingTheReportWhenDefaultWindowsAreUsed() {
        start(AggregatorConfig.DEFAULT_WINDOWS);

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:15"));
        aggregator.flush();

        // 1 hourly window, 24 windows of 24 h (hourly starts), 7 windows of 7 days (daily starts); region and country.
        final Set<String> expectedKeys = new HashSet<>();
        for (final String code : List.of("TJ-KT", "TJ")) {
            final String prefix = code + "|ILLEGAL_CROSSING|";
            expectedKeys.add(prefix + "PT1H|2026-03-02T10:00:00Z");
            for (int hoursBack = 0; hoursBack < 24; hoursBack++) {
                expectedKeys.add(prefix + "PT24H|" + at("10:00").minus(Duration.ofHours(hoursBack)));
            }
            for (int daysBack = 0; daysBack < 7; daysBack++) {
                expectedKeys.add(prefix + "P7D|" + at("00:00").minus(Duration.ofDays(daysBack)));
            }
        }
        final Map<String, ThreatAggregate> emitted = aggregator.aggregates.readKeyValuesToMap();
        assertThat(emitted).hasSize(64);
        assertThat(emitted.keySet()).isEqualTo(expectedKeys);
        assertThat(emitted.values()).allSatisfy(aggregate -> {
            assertThat(aggregate.getEventCount()).isEqualTo(1);
            assertThat(aggregate.getWindowEnd()).isAfter(at("10:15"));
            assertThat(aggregate.getWindowStart()).isBeforeOrEqualTo(at("10:15"));
        });
    }

    @Test
    void shouldRollUpEveryRegionOfACountryWhenSeveralRegionsReport() {
        start(List.of(WindowSpec.tumbling("PT1H")));

        aggregator.publish(seizure("TJ-KT", "10:05", DrugType.HEROIN, 10.0, "tj-drug-control"));
        aggregator.publish(seizure("TJ-GB", "10:20", DrugType.OPIUM, 5.0, "tj-border-guard"));
        aggregator.publish(seizure("TJ-GB", "10:40", DrugType.HEROIN, 2.0, "tj-drug-control"));
        aggregator.publish(seizure("UZ-SU", "10:50", DrugType.HASHISH, 1.0, "uz-customs"));
        aggregator.flush();

        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(keyed(
                aggregate("TJ-KT", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00").setEventCount(1).setSeizureKg(10.0)
                        .setSeizureKgByDrug(Map.of("HEROIN", 10.0)).setSeverityScore(3.0)
                        .setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(1).setLastEventAt(at("10:05")).build(),
                aggregate("TJ-GB", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00").setEventCount(2).setSeizureKg(7.0)
                        .setSeizureKgByDrug(Map.of("HEROIN", 2.0, "OPIUM", 5.0)).setSeverityScore(6.0)
                        .setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(2).setLastEventAt(at("10:40")).build(),
                aggregate("UZ-SU", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00").setEventCount(1).setSeizureKg(1.0)
                        .setSeizureKgByDrug(Map.of("HASHISH", 1.0)).setSeverityScore(3.0)
                        .setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(1).setLastEventAt(at("10:50")).build(),
                aggregate("TJ", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00").setEventCount(3).setSeizureKg(17.0)
                        .setSeizureKgByDrug(Map.of("HEROIN", 12.0, "OPIUM", 5.0)).setSeverityScore(9.0)
                        .setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(2).setLastEventAt(at("10:40")).build(),
                aggregate("UZ", DRUG_TRAFFICKING, "PT1H", "10:00", "11:00").setEventCount(1).setSeizureKg(1.0)
                        .setSeizureKgByDrug(Map.of("HASHISH", 1.0)).setSeverityScore(3.0)
                        .setMaxSeverity(Severity.MEDIUM).setDistinctAgencies(1).setLastEventAt(at("10:50")).build()));
    }

    @Test
    void shouldUpdateCountryWithLatestRegionFiguresWhenRegionChangesAgain() {
        start(List.of(WindowSpec.tumbling("PT1H")));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:05"));
        aggregator.publish(incident("TJ-GB", ILLEGAL_CROSSING, "10:06"));
        aggregator.flush();
        aggregator.aggregates.readKeyValuesToMap();

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:07"));
        aggregator.flush();

        // The second TJ-KT snapshot replaces the first; TJ-GB's earlier snapshot still counts.
        assertThat(aggregator.aggregates.readKeyValuesToMap()).isEqualTo(keyed(
                aggregate("TJ-KT", ILLEGAL_CROSSING, "PT1H", "10:00", "11:00").setEventCount(2)
                        .setSeverityScore(14.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                        .setLastEventAt(at("10:07")).build(),
                aggregate("TJ", ILLEGAL_CROSSING, "PT1H", "10:00", "11:00").setEventCount(3)
                        .setSeverityScore(21.0).setMaxSeverity(Severity.HIGH).setDistinctAgencies(1)
                        .setLastEventAt(at("10:07")).build()));
    }

    private static ThreatAggregate window(final ThreatAggregate figures, final String window, final String start,
                                          final String end) {
        return ThreatAggregate.newBuilder(figures).setWindow(window).setWindowStart(at(start))
                .setWindowEnd(at(end)).build();
    }

    private static BorderIncident onNextDay(final BorderIncident incident) {
        final Instant nextDay = incident.getOccurredAt().plus(Duration.ofDays(1));
        return BorderIncident.newBuilder(incident).setOccurredAt(nextDay).setReportedAt(nextDay).build();
    }
}
