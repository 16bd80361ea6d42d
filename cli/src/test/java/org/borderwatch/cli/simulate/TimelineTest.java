package org.borderwatch.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final Instant START = Instant.parse("2026-12-06T05:00:00Z");
    private static final Scenario SCENARIO = Scenario.builtIn();

    @Test
    void shouldProduceTheSameReportsByteForByteWhenSeedAndStartAreTheSame() {
        final List<String> first = lines(42, START);
        final List<String> second = lines(42, START);

        assertThat(first).hasSizeGreaterThan(100).isEqualTo(second);
        assertThat(lines(43, START)).isNotEqualTo(first);
    }

    @Test
    void shouldDifferOnlyInTimesWhenOnlyTheStartDiffers() {
        final List<Timeline.Report> early = reports(7, START);
        final List<Timeline.Report> later = reports(7, START.plusSeconds(3600));

        assertThat(later).hasSameSizeAs(early);
        for (int i = 0; i < early.size(); i++) {
            final var a = early.get(i).body().deepCopy();
            final var b = later.get(i).body().deepCopy();
            assertThat(Instant.parse(b.get("occurredAt").asText()))
                    .isEqualTo(Instant.parse(a.get("occurredAt").asText()).plusSeconds(3600));
            a.remove("occurredAt");
            b.remove("occurredAt");
            assertThat(b).isEqualTo(a);
        }
    }

    @Test
    void shouldScriptEverySurgeAndKeepAgenciesInTheirOwnCountryWhenRunningTheDefaultScenario() {
        final List<Timeline.Report> reports = reports(1, START);

        // Every surge of every 20-minute repetition in the hour, complete.
        final Map<String, Integer> surges = new HashMap<>();
        reports.stream().filter(r -> r.origin() == Timeline.Origin.SURGE)
                .forEach(r -> surges.merge(r.surge().name() + "#" + r.cycle(), 1, Integer::sum));
        assertThat(surges).hasSize(3 * SCENARIO.surges().size());
        SCENARIO.surges().forEach(surge -> assertThat(surges.get(surge.name() + "#0")).isEqualTo(surge.count()));
        // The armed incursions reach the demo rule's escalation (5 in 5 minutes) within the first three minutes.
        assertThat(reports.stream().filter(r -> r.origin() == Timeline.Origin.SURGE && r.cycle() == 0
                && "ARMED_INCURSION".equals(r.body().path("threatType").asText())
                && r.due().isBefore(START.plus(Duration.ofMinutes(3))))).hasSizeGreaterThanOrEqualTo(5);
        // Late reports, duplicates (same eventId, same body), reports in time order, each agency in its country.
        assertThat(reports).anyMatch(Timeline.Report::late);
        final List<Timeline.Report> duplicates = reports.stream()
                .filter(r -> r.origin() == Timeline.Origin.DUPLICATE).toList();
        assertThat(duplicates).isNotEmpty().allSatisfy(duplicate -> assertThat(reports)
                .filteredOn(r -> r.origin() != Timeline.Origin.DUPLICATE
                        && r.body().get("eventId").equals(duplicate.body().get("eventId")))
                .singleElement().satisfies(original -> {
                    assertThat(original.body()).isEqualTo(duplicate.body());
                    assertThat(original.due()).isBefore(duplicate.due());
                }));
        assertThat(reports).isSortedAccordingTo((a, b) -> a.due().compareTo(b.due()));
        assertThat(reports).allSatisfy(r -> assertThat(r.body().get("region").asText())
                .startsWith(r.body().get("agencyId").asText().substring(0, 3)));
    }

    @Test
    void shouldCompressTheScriptWhenSpedUp() {
        final List<Timeline.Report> fast = new ArrayList<>();
        new Timeline(SCENARIO, 5, 6, 10, START, Duration.ofMinutes(2)).forEachRemaining(fast::add);

        // Two wall-clock minutes at ten times: twenty scenario minutes, every surge of the first repetition.
        assertThat(fast.stream().filter(r -> r.origin() == Timeline.Origin.SURGE && r.cycle() == 0))
                .hasSize(SCENARIO.surges().stream().mapToInt(Scenario.Surge::count).sum());
        assertThat(fast).allSatisfy(r -> assertThat(r.due()).isBetween(START, START.plus(Duration.ofMinutes(2))));
    }

    private static List<String> lines(final long seed, final Instant start) {
        return reports(seed, start).stream().map(Timeline.Report::ndjson).toList();
    }

    private static List<Timeline.Report> reports(final long seed, final Instant start) {
        final List<Timeline.Report> reports = new ArrayList<>();
        new Timeline(SCENARIO, seed, Scenario.perMinute(SCENARIO.rate()), 1, start, Duration.ofHours(1))
                .forEachRemaining(reports::add);
        return reports;
    }
}
