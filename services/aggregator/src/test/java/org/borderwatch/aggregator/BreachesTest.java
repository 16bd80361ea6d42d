package org.borderwatch.aggregator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.tuple;
import static org.borderwatch.aggregator.Reports.at;
import static org.borderwatch.aggregator.Reports.incident;
import static org.borderwatch.aggregator.Reports.rule;
import static org.borderwatch.aggregator.Reports.seizure;
import static org.borderwatch.aggregator.Reports.tier;
import static org.borderwatch.avro.ThreatType.ARMED_INCURSION;
import static org.borderwatch.avro.ThreatType.DRUG_TRAFFICKING;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules and the breach lifecycle in the TopologyTestDriver. Wall-clock time starts long before the test day, so the
 * evaluation time is stream time until a test moves the wall clock onto the test day (a quiet border).
 */
class BreachesTest {

    @TempDir
    Path stateDir;
    AggregatorDriver aggregator;

    @BeforeEach
    void start() {
        aggregator = new AggregatorDriver(AggregatorConfig.defaults().withApplicationId("breaches-test")
                .withWindows(List.of(WindowSpec.tumbling("PT1H"), WindowSpec.hopping("PT2H", "PT1H"))), stateDir);
    }

    @AfterEach
    void stop() {
        aggregator.close();
    }

    @Test
    void shouldFireOnceBeforeTheWindowClosesWhenThresholdIsReachedInOverlappingWindows() {
        // Given a rule on 2 h windows hopping by 1 h: every report lies in two windows
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT2H", Metric.EVENT_COUNT, 3, 1).build();
        aggregator.publish(rule);

        // When the third report of the window arrives
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:20"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:30"));
        aggregator.flush();

        // Then one FIRING, at 10:30, for the current window 09:00-11:00 (not when a window closes)
        assertThat(aggregator.breaches.readKeyValuesToList()).containsExactly(KeyValue.pair(
                "crossings|TJ-KT|ILLEGAL_CROSSING", breach(rule, "TJ-KT", ILLEGAL_CROSSING, BreachStatus.FIRING,
                        Severity.MEDIUM, 3, 3, "PT2H", "09:00", "11:00", "10:30", "10:30", 1, 0,
                        "EVENT_COUNT reached 3, threshold 3")));

        // And more reports, in both windows and the next hour, fire nothing more
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:40"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "11:10"));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).isTrue();
    }

    @Test
    void shouldFireAndEscalateAtTheCrossingReportWhenNoPunctuationRunsInBetween() {
        // Given a rule the tasks have read (one punctuation), firing at 3 and escalating at 5
        final AlertRule rule = rule("surge", "TJ-KT", ARMED_INCURSION, "PT2H", Metric.EVENT_COUNT, 3, 1)
                .setEscalations(List.of(tier(5, Severity.CRITICAL))).build();
        aggregator.publish(rule);
        aggregator.tick();

        // When a surge arrives and the wall clock stands still (no punctuation)
        aggregator.publish(incident("TJ-KT", ARMED_INCURSION, "10:10"));
        aggregator.publish(incident("TJ-KT", ARMED_INCURSION, "10:20"));
        assertThat(aggregator.breaches.isEmpty()).as("below the threshold").isTrue();
        aggregator.publish(incident("TJ-KT", ARMED_INCURSION, "10:30"));

        // Then the third report fires it at once; no window has been emitted yet, so no punctuation did it
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", ARMED_INCURSION,
                BreachStatus.FIRING, Severity.MEDIUM, 3, 3, "PT2H", "09:00", "11:00", "10:30", "10:30", 1, 0,
                "EVENT_COUNT reached 3, threshold 3"));
        assertThat(aggregator.aggregates.isEmpty()).isTrue();

        // And the fifth escalates it, again without a punctuation; the fourth changes nothing
        aggregator.publish(incident("TJ-KT", ARMED_INCURSION, "10:40"));
        assertThat(aggregator.breaches.isEmpty()).isTrue();
        aggregator.publish(incident("TJ-KT", ARMED_INCURSION, "10:50"));
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", ARMED_INCURSION,
                BreachStatus.ESCALATED, Severity.CRITICAL, 5, 5, "PT2H", "09:00", "11:00", "10:30", "10:50", 2, 1,
                "EVENT_COUNT rose to 5, past escalation tier 1 (threshold 5)"));

        // And the punctuation that follows emits the windows but no second breach change
        aggregator.flush();
        assertThat(aggregator.aggregates.isEmpty()).isFalse();
        assertThat(aggregator.breaches.isEmpty()).isTrue();
    }

    @Test
    void shouldFireForEveryMatchingAggregateWhenRulesUseWildcardsAndCountryCodes() {
        // Given a prefix rule for Tajikistan's regions, a rule for every region, and a rule on the TJ roll-up
        aggregator.publish(rule("tj-regions", "TJ-*", null, "PT1H", Metric.EVENT_COUNT, 1, 1).build());
        aggregator.publish(rule("incursions", "*", ARMED_INCURSION, "PT1H", Metric.EVENT_COUNT, 1, 1).build());
        aggregator.publish(rule("tj-country", "TJ", null, "PT1H", Metric.EVENT_COUNT, 2, 1).build());

        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:05"));
        aggregator.publish(incident("TJ-GB", ILLEGAL_CROSSING, "10:08"));
        aggregator.publish(incident("TJ-GB", ARMED_INCURSION, "10:10"));
        aggregator.publish(incident("UZ-SU", ARMED_INCURSION, "10:15"));
        aggregator.flush();

        // Then: tj-regions for each TJ region and type; incursions for every region but no roll-up; tj-country
        // only where the country's figure (two TJ crossings) reaches 2
        final Map<String, Breach> fired = aggregator.breaches.readKeyValuesToMap();
        assertThat(fired).containsOnlyKeys(
                "tj-regions|TJ-KT|ILLEGAL_CROSSING", "tj-regions|TJ-GB|ILLEGAL_CROSSING",
                "tj-regions|TJ-GB|ARMED_INCURSION",
                "incursions|TJ-GB|ARMED_INCURSION", "incursions|UZ-SU|ARMED_INCURSION",
                "tj-country|TJ|ILLEGAL_CROSSING");
        assertThat(fired.values()).extracting(Breach::getStatus).containsOnly(BreachStatus.FIRING);
        assertThat(fired.get("tj-country|TJ|ILLEGAL_CROSSING")).isEqualTo(breach(
                rule("tj-country", "TJ", null, "PT1H", Metric.EVENT_COUNT, 2, 1).build(), "TJ", ILLEGAL_CROSSING,
                BreachStatus.FIRING, Severity.MEDIUM, 2, 2, "PT1H", "10:00", "11:00", "10:15", "10:15", 1, 0,
                        "EVENT_COUNT reached 2, threshold 2"));
    }

    @Test
    void shouldResolveOnlyBelowResolveThresholdWhenValueFallsBack() {
        // Given a seizure rule: fire at 100 kg in 2 h, resolve below 50 kg
        final AlertRule rule = rule("heroin-kg", "TJ-KT", DRUG_TRAFFICKING, "PT2H", Metric.SEIZURE_KG, 100, 50)
                .build();
        aggregator.publish(rule);
        aggregator.publish(seizure("TJ-KT", "10:10", DrugType.HEROIN, 60));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).isTrue();
        aggregator.publish(seizure("TJ-KT", "11:10", DrugType.HEROIN, 60));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", DRUG_TRAFFICKING,
                BreachStatus.FIRING, Severity.MEDIUM, 120, 100, "PT2H", "10:00", "12:00", "11:10", "11:10", 1, 0,
                        "SEIZURE_KG reached 120, threshold 100"));

        // When time moves on and the current window holds 60 kg: below the threshold, above the resolve threshold
        aggregator.advanceWallClockTo(at("12:30"));
        assertThat(aggregator.breaches.isEmpty()).isTrue();

        // Then it resolves only once the window holds less than 50 kg
        aggregator.advanceWallClockTo(at("13:30"));
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", DRUG_TRAFFICKING,
                BreachStatus.RESOLVED, Severity.MEDIUM, 0, 50, "PT2H", "12:00", "14:00", "11:10", "13:30", 2, 0,
                        "SEIZURE_KG is 0, below the resolve threshold 50"));
    }

    @Test
    void shouldEscalateOncePerTierWhenHigherTiersAreCrossed() {
        // Given tiers at 200 kg (HIGH) and 500 kg (CRITICAL), listed out of order
        final AlertRule rule = rule("seizures", "TJ-KT", DRUG_TRAFFICKING, "PT1H", Metric.SEIZURE_KG, 100, 50)
                .setEscalations(List.of(tier(500, Severity.CRITICAL), tier(200, Severity.HIGH))).build();
        aggregator.publish(rule);

        aggregator.publish(seizure("TJ-KT", "10:05", DrugType.OPIUM, 150));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", DRUG_TRAFFICKING,
                BreachStatus.FIRING, Severity.MEDIUM, 150, 100, "PT1H", "10:00", "11:00", "10:05", "10:05", 1, 0,
                        "SEIZURE_KG reached 150, threshold 100"));

        aggregator.publish(seizure("TJ-KT", "10:10", DrugType.OPIUM, 100));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", DRUG_TRAFFICKING,
                BreachStatus.ESCALATED, Severity.HIGH, 250, 200, "PT1H", "10:00", "11:00", "10:05", "10:10", 2, 1,
                        "SEIZURE_KG rose to 250, past escalation tier 1 (threshold 200)"));

        aggregator.publish(seizure("TJ-KT", "10:15", DrugType.OPIUM, 50));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).as("no new tier crossed").isTrue();

        aggregator.publish(seizure("TJ-KT", "10:20", DrugType.OPIUM, 300));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", DRUG_TRAFFICKING,
                BreachStatus.ESCALATED, Severity.CRITICAL, 600, 500, "PT1H", "10:00", "11:00", "10:05", "10:20", 3, 2,
                        "SEIZURE_KG rose to 600, past escalation tier 2 (threshold 500)"));
    }

    @Test
    void shouldResolveWhenBorderGoesQuiet() {
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 2, 1).build();
        aggregator.publish(rule);
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:20"));
        aggregator.flush();
        assertThat(aggregator.breaches.readValuesToList()).extracting(Breach::getStatus)
                .containsExactly(BreachStatus.FIRING);

        // When no report arrives at all, only the wall clock moves: stream time stays at 10:20
        aggregator.advanceWallClockTo(at("10:59:59"));
        assertThat(aggregator.breaches.isEmpty()).as("the window 10:00-11:00 is still current").isTrue();
        aggregator.advanceWallClockTo(at("11:00"));

        // Then the wall-clock punctuation resolves it against the new current window
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", ILLEGAL_CROSSING,
                BreachStatus.RESOLVED, Severity.MEDIUM, 0, 1, "PT1H", "11:00", "12:00", "10:20", "11:00", 2, 0,
                        "EVENT_COUNT is 0, below the resolve threshold 1"));
        aggregator.advanceWallClockTo(at("12:00"));
        assertThat(aggregator.breaches.isEmpty()).isTrue();
    }

    @Test
    void shouldFireAgainWithNextVersionWhenIdentityBreachesAfterResolving() {
        aggregator.publish(rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 1, 1).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.flush();
        aggregator.advanceWallClockTo(at("11:00"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "11:30"));
        aggregator.flush();

        assertThat(aggregator.breaches.readValuesToList())
                .extracting(Breach::getStatus, Breach::getVersion, Breach::getStartsAt)
                .containsExactly(
                        tuple(BreachStatus.FIRING, 1L, at("10:10")),
                        tuple(BreachStatus.RESOLVED, 2L, at("10:10")),
                        tuple(BreachStatus.FIRING, 3L, at("11:30")));
    }

    @Test
    void shouldApplyChangedRuleFromThenOnWhenRuleIsUpdatedMidStream() {
        // Given 3 crossings and a rule that needs 5
        aggregator.publish(rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 5, 2).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:05"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:15"));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).isTrue();

        // When the threshold is lowered to 3: it fires at the next punctuation, with no new report
        final AlertRule lowered = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 3, 2)
                .build();
        aggregator.publish(lowered);
        aggregator.tick();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(lowered, "TJ-KT", ILLEGAL_CROSSING,
                BreachStatus.FIRING, Severity.MEDIUM, 3, 3, "PT1H", "10:00", "11:00", "10:15", "10:15", 1, 0,
                        "EVENT_COUNT reached 3, threshold 3"));

        // When it is raised to 10, resolving below 8: it resolves
        final AlertRule raised = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 10, 8)
                .build();
        aggregator.publish(raised);
        aggregator.tick();
        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(raised, "TJ-KT", ILLEGAL_CROSSING,
                BreachStatus.RESOLVED, Severity.MEDIUM, 3, 8, "PT1H", "10:00", "11:00", "10:15", "10:15", 2, 0,
                        "EVENT_COUNT is 3, below the resolve threshold 8"));
    }

    @Test
    void shouldResolveActiveBreachWhenRuleIsDisabled() {
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 2, 1).build();
        aggregator.publish(rule);
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:20"));
        aggregator.flush();
        aggregator.breaches.readValuesToList();

        aggregator.publish(AlertRule.newBuilder(rule).setEnabled(false).build());
        aggregator.tick();

        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", ILLEGAL_CROSSING,
                BreachStatus.RESOLVED, Severity.MEDIUM, 2, 1, "PT1H", "10:00", "11:00", "10:20", "10:20", 2, 0,
                "rule crossings was disabled"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:30"));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).as("a disabled rule does not fire").isTrue();
    }

    @Test
    void shouldResolveActiveBreachWhenRuleIsDeleted() {
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 2, 1).build();
        aggregator.publish(rule);
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:20"));
        aggregator.flush();
        aggregator.breaches.readValuesToList();

        aggregator.deleteRule("crossings");
        aggregator.tick();

        assertThat(aggregator.breaches.readValuesToList()).containsExactly(breach(rule, "TJ-KT", ILLEGAL_CROSSING,
                BreachStatus.RESOLVED, Severity.MEDIUM, 2, 1, "PT1H", "10:00", "11:00", "10:20", "10:20", 2, 0,
                "rule crossings was deleted"));
    }

    @Test
    void shouldNotEvaluateRuleUntilItsWindowIsOneOfTheConfiguredWindows() {
        final AlertRule sixHours = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT6H", Metric.EVENT_COUNT, 1, 1)
                .build();
        aggregator.publish(sixHours);
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.flush();
        assertThat(aggregator.breaches.isEmpty()).isTrue();

        aggregator.publish(AlertRule.newBuilder(sixHours).setWindow("PT2H").build());
        aggregator.tick();
        assertThat(aggregator.breaches.readValuesToList()).extracting(Breach::getWindow).containsExactly("PT2H");
    }

    @Test
    void shouldSkipUndecodableRuleAndKeepEvaluatingWhenRulesTopicHasPoison() {
        assertThatNoException().isThrownBy(() ->
                aggregator.rawRules.pipeInput("broken", "{\"ruleId\": \"broken\"}".getBytes(UTF_8)));

        aggregator.publish(rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 1, 1).build());
        aggregator.publish(incident("TJ-KT", ILLEGAL_CROSSING, "10:10"));
        aggregator.flush();

        assertThat(aggregator.breaches.readKeyValuesToMap()).containsOnlyKeys("crossings|TJ-KT|ILLEGAL_CROSSING");
        assertThat(aggregator.deadLetters.isEmpty()).as("global stores have no dead-letter queue in 4.3").isTrue();
    }

    private static Breach breach(final AlertRule rule, final String region, final ThreatType threatType,
                                 final BreachStatus status, final Severity severity, final double value,
                                 final double threshold, final String window, final String windowStart,
                                 final String windowEnd, final String startsAt, final String updatedAt,
                                 final long version, final int escalationLevel, final String reason) {
        return Breach.newBuilder()
                .setBreachId(rule.getRuleId() + "|" + region + "|" + threatType)
                .setRuleId(rule.getRuleId())
                .setRuleName(rule.getName())
                .setRegion(region)
                .setThreatType(threatType)
                .setStatus(status)
                .setSeverity(severity)
                .setMetric(rule.getMetric())
                .setObservedValue(value)
                .setThreshold(threshold)
                .setWindow(window)
                .setWindowStart(at(windowStart))
                .setWindowEnd(at(windowEnd))
                .setStartsAt(at(startsAt))
                .setUpdatedAt(at(updatedAt))
                .setVersion(version)
                .setEscalationLevel(escalationLevel)
                .setReason(reason)
                .build();
    }
}
