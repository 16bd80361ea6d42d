package org.borderwatch.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.borderwatch.aggregator.Reports.at;
import static org.borderwatch.aggregator.Reports.incident;
import static org.borderwatch.aggregator.Reports.rule;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.ThreatAggregate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windows of whole minutes (minutely buckets) in the TopologyTestDriver: aggregates, and rules that fire and, with
 * the wall-clock punctuation alone, resolve about a minute after a border goes quiet.
 */
class MinuteWindowsTest {

    static final List<WindowSpec> WINDOWS = List.of(WindowSpec.tumbling("PT1M"), WindowSpec.hopping("PT10M", "PT1M"),
            WindowSpec.tumbling("PT1H"));

    @TempDir
    Path stateDir;
    AggregatorDriver aggregator;

    @BeforeEach
    void start() {
        aggregator = new AggregatorDriver(AggregatorConfig.defaults().withApplicationId("minutes-test")
                .withWindows(WINDOWS), stateDir);
    }

    @AfterEach
    void stop() {
        aggregator.close();
    }

    @Test
    void shouldEmitMinuteWindowsForRegionsAndCountriesWhenReportsArrive() {
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:05"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:59.999"));
        aggregator.publish(incident("TJ-GB", ILLEGAL_CROSSING, "10:11"));
        aggregator.flush();

        final Map<String, ThreatAggregate> emitted = aggregator.aggregates.readKeyValuesToMap();
        assertThat(emitted.get("TJ-KT|ILLEGAL_CROSSING|PT1M|2026-03-02T10:10:00Z").getEventCount()).isEqualTo(2);
        assertThat(emitted.get("TJ-KT|ILLEGAL_CROSSING|PT1M|2026-03-02T10:10:00Z").getWindowEnd())
                .isEqualTo(at("10:11"));
        assertThat(emitted).doesNotContainKey("TJ-KT|ILLEGAL_CROSSING|PT1M|2026-03-02T10:11:00Z");
        assertThat(emitted.get("TJ-GB|ILLEGAL_CROSSING|PT1M|2026-03-02T10:11:00Z").getEventCount()).isEqualTo(1);
        // The country roll-up sums both regions per minute
        assertThat(emitted.get("TJ|ILLEGAL_CROSSING|PT1M|2026-03-02T10:10:00Z").getEventCount()).isEqualTo(2);
        assertThat(emitted.get("TJ|ILLEGAL_CROSSING|PT1M|2026-03-02T10:11:00Z").getEventCount()).isEqualTo(1);
        // 10 minutes hopping by 1 minute: the windows starting 10:02..10:11 hold the 10:11 report of the country
        assertThat(emitted.get("TJ|ILLEGAL_CROSSING|PT10M|2026-03-02T10:02:00Z").getEventCount()).isEqualTo(3);
        assertThat(emitted.get("TJ|ILLEGAL_CROSSING|PT10M|2026-03-02T10:11:00Z").getEventCount()).isEqualTo(1);
        assertThat(emitted.keySet().stream().filter(key -> key.startsWith("TJ-KT|ILLEGAL_CROSSING|PT10M|")))
                .hasSize(10);
        // Hourly windows are still summed from hourly buckets
        assertThat(emitted.get("TJ|ILLEGAL_CROSSING|PT1H|2026-03-02T10:00:00Z").getEventCount()).isEqualTo(3);
    }

    @Test
    void shouldFireThenResolveAboutAMinuteLaterWhenBorderGoesQuietUnderAOneMinuteRule() {
        aggregator.publish(rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1M", Metric.EVENT_COUNT, 2, 1).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:05"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:20"));
        aggregator.flush();

        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getWindow, Breach::getWindowStart, Breach::getWindowEnd,
                        Breach::getObservedValue, Breach::getUpdatedAt)
                .containsExactly(tuple(BreachStatus.FIRING, "PT1M", at("10:10"), at("10:11"), 2.0,
                        at("10:10:20")));

        // When no report arrives, only the wall clock moves (stream time stays at 10:10:20)
        aggregator.advanceWallClockTo(at("10:10:59"));
        assertThat(aggregator.breaches.isEmpty()).as("the minute 10:10 is still current").isTrue();
        aggregator.advanceWallClockTo(at("10:11"));

        // Then the wall-clock punctuation resolves it against the next minute
        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getWindowStart, Breach::getWindowEnd,
                        Breach::getObservedValue, Breach::getUpdatedAt, Breach::getVersion)
                .containsExactly(tuple(BreachStatus.RESOLVED, at("10:11"), at("10:12"), 0.0, at("10:11"), 2L));
        aggregator.advanceWallClockTo(at("10:12"));
        assertThat(aggregator.breaches.isEmpty()).isTrue();
    }

    @Test
    void shouldResolveOnceTheLastReportLeavesTheWindowWhenAHoppingMinuteRuleGoesQuiet() {
        aggregator.publish(rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT10M", Metric.EVENT_COUNT, 2, 1).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:05"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:12:30"));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getWindowStart, Breach::getWindowEnd)
                .containsExactly(tuple(BreachStatus.FIRING, at("10:03"), at("10:13")));

        // 10:20: the current window 10:11-10:21 still holds the 10:12:30 report, 1 is not below the resolve threshold
        aggregator.advanceWallClockTo(at("10:20"));
        assertThat(aggregator.breaches.isEmpty()).isTrue();
        // 10:22: 10:13-10:23 holds nothing
        aggregator.advanceWallClockTo(at("10:22"));
        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getWindowStart, Breach::getObservedValue)
                .containsExactly(tuple(BreachStatus.RESOLVED, at("10:13"), 0.0));
    }

    @Test
    void shouldFireOnTheCountryRollUpWhenARuleNamesTheCountryWithAMinuteWindow() {
        aggregator.publish(rule("tj-minute", "TJ", ILLEGAL_CROSSING, "PT1M", Metric.EVENT_COUNT, 2, 1).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10:05"));
        aggregator.publish(incident("TJ-GB", ILLEGAL_CROSSING, "10:10:20"));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getRegion, Breach::getWindowStart)
                .containsExactly(tuple(BreachStatus.FIRING, "TJ", at("10:10")));

        aggregator.advanceWallClockTo(at("10:11"));
        assertThat(aggregator.breaches.readValuesToList()).extracting(Breach::getStatus, Breach::getRegion)
                .containsExactly(tuple(BreachStatus.RESOLVED, "TJ"));
    }
}
