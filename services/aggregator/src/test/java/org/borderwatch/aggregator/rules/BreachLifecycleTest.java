package org.borderwatch.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.borderwatch.aggregator.Reports.rule;
import static org.borderwatch.aggregator.Reports.tier;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.util.List;
import java.util.Optional;

import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.Figure;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.Confidence;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.junit.jupiter.api.Test;

class BreachLifecycleTest {

    private static final WindowSpec HOUR = WindowSpec.tumbling("PT1H");
    private static final AlertRule RULE = rule("r", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 3, 2)
            .setEscalations(List.of(tier(10, Severity.CRITICAL), tier(5, Severity.HIGH))).build();

    @Test
    void shouldFireAtHighestCrossedTierWhenFirstValueAlreadyCrossesTiers() {
        final Transition fired = evaluate(RULE, null, 7).orElseThrow();

        assertThat(fired.breach().getStatus()).isEqualTo(BreachStatus.FIRING);
        assertThat(fired.breach().getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(fired.breach().getThreshold()).isEqualTo(5.0);
        assertThat(fired.state().escalationLevel()).isEqualTo(1);
        assertThat(fired.breach().getEscalationLevel()).isEqualTo(1);
        assertThat(fired.breach().getReason()).isEqualTo("EVENT_COUNT reached 7, past escalation tier 1 (threshold 5)");
    }

    @Test
    void shouldNotChangeWhenValueMovesBetweenResolveThresholdAndNextTier() {
        final BreachState firing = evaluate(RULE, null, 3).orElseThrow().state();

        assertThat(evaluate(RULE, firing, 2)).isEmpty();
        assertThat(evaluate(RULE, firing, 4)).isEmpty();
        assertThat(evaluate(RULE, firing, 1)).get().extracting(t -> t.breach().getStatus())
                .isEqualTo(BreachStatus.RESOLVED);
    }

    @Test
    void shouldNotDeEscalateWhenValueFallsBackUnderATier() {
        final BreachState critical = evaluate(RULE, null, 12).orElseThrow().state();

        assertThat(evaluate(RULE, critical, 6)).isEmpty();
    }

    @Test
    void shouldResolveBelowThresholdWhenResolveThresholdIsMisconfiguredAboveIt() {
        final AlertRule misconfigured = rule("r", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 3, 10)
                .build();
        final BreachState firing = evaluate(misconfigured, null, 3).orElseThrow().state();

        assertThat(evaluate(misconfigured, firing, 3)).as("not resolved at the threshold itself").isEmpty();
        assertThat(evaluate(misconfigured, firing, 2)).get().extracting(t -> t.breach().getThreshold())
                .isEqualTo(3.0);
    }

    private static Optional<Transition> evaluate(final AlertRule rule, final BreachState state, final int events) {
        final Bucket bucket = new Bucket();
        for (int i = 0; i < events; i++) {
            bucket.add(new Report(org.borderwatch.aggregator.Reports.nextId(), "agency", 1_000, "TJ-KT",
                    ILLEGAL_CROSSING, Severity.LOW, Confidence.CONFIRMED, null, 0, new byte[0]));
        }
        return BreachLifecycle.evaluate(rule, state, "TJ-KT", ILLEGAL_CROSSING, new Figure(HOUR, 0, 3_600_000,
                bucket), 2_000);
    }
}
