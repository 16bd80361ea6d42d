package org.borderwatch.aggregator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.borderwatch.aggregator.Reports.at;
import static org.borderwatch.aggregator.Reports.incident;
import static org.borderwatch.aggregator.Reports.rule;
import static org.borderwatch.aggregator.Reports.seizure;
import static org.borderwatch.aggregator.Reports.tier;
import static org.borderwatch.avro.ThreatType.DRUG_TRAFFICKING;
import static org.borderwatch.avro.ThreatType.ILLEGAL_CROSSING;

import java.util.List;

import org.borderwatch.aggregator.config.AggregatorConfig;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.BreachStatus;
import org.borderwatch.avro.DrugType;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.junit.jupiter.api.Test;

class BacktestTest {

    private final Backtest backtest = new Backtest(List.of(WindowSpec.tumbling("PT1H"),
            WindowSpec.hopping("PT2H", "PT1H")));

    @Test
    void shouldReportWhenRuleFiredAndResolvedWhenHistoryCrossesThreshold() {
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 3, 1).build();

        final List<Breach> changes = backtest.run(rule, List.of(
                report(incident("TJ-KT", ILLEGAL_CROSSING, "10:20")),
                report(incident("TJ-KT", ILLEGAL_CROSSING, "10:05")),
                report(incident("TJ-KT", ILLEGAL_CROSSING, "10:10")),
                report(incident("UZ-SU", ILLEGAL_CROSSING, "10:15"))));

        assertThat(changes).extracting(Breach::getBreachId, Breach::getStatus, Breach::getUpdatedAt,
                Breach::getObservedValue, Breach::getWindowStart, Breach::getVersion).containsExactly(
                tuple("crossings|TJ-KT|ILLEGAL_CROSSING", BreachStatus.FIRING, at("10:20"), 3.0, at("10:00"), 1L),
                tuple("crossings|TJ-KT|ILLEGAL_CROSSING", BreachStatus.RESOLVED, at("11:00"), 0.0, at("11:00"), 2L));
    }

    @Test
    void shouldCountEventOnceWhenHistoryHoldsRetriedPublishes() {
        final AlertRule rule = rule("crossings", "TJ-KT", ILLEGAL_CROSSING, "PT1H", Metric.EVENT_COUNT, 2, 1).build();
        final BorderIncident retried = incident("TJ-KT", ILLEGAL_CROSSING, "10:05");

        assertThat(backtest.run(rule, List.of(report(retried), report(retried), report(retried)))).isEmpty();
    }

    @Test
    void shouldFireEscalateAndResolveWhenHistoryRisesAndFalls() {
        // Given seizures in a 2 h window hopping by 1 h, with a tier at 200 kg
        final AlertRule rule = rule("kg", "TJ-*", DRUG_TRAFFICKING, "PT2H", Metric.SEIZURE_KG, 100, 50)
                .setEscalations(List.of(tier(200, Severity.CRITICAL))).build();

        final List<Breach> changes = backtest.run(rule, List.of(
                report(seizure("TJ-GB", "08:30", DrugType.OPIUM, 120)),
                report(seizure("TJ-GB", "09:30", DrugType.OPIUM, 90)),
                report(seizure("TJ-GB", "13:00", DrugType.OPIUM, 10))));

        // Then: fires at 120 kg, escalates at 210 kg; at 10:00 the current window 09:00-11:00 holds 90 kg (above
        // the resolve threshold), at 11:00 the window 10:00-12:00 holds nothing: resolved; 10 kg later fires nothing
        assertThat(changes).extracting(Breach::getStatus, Breach::getSeverity, Breach::getUpdatedAt,
                Breach::getObservedValue, Breach::getThreshold).containsExactly(
                tuple(BreachStatus.FIRING, Severity.MEDIUM, at("08:30"), 120.0, 100.0),
                tuple(BreachStatus.ESCALATED, Severity.CRITICAL, at("09:30"), 210.0, 200.0),
                tuple(BreachStatus.RESOLVED, Severity.CRITICAL, at("11:00"), 0.0, 50.0));
    }

    @Test
    void shouldEvaluateCountryRollUpWhenRuleNamesTheCountry() {
        final AlertRule rule = rule("tj", "TJ", null, "PT1H", Metric.EVENT_COUNT, 2, 1).build();

        final List<Breach> changes = backtest.run(rule, List.of(
                report(incident("TJ-KT", ILLEGAL_CROSSING, "10:05")),
                report(incident("TJ-GB", ILLEGAL_CROSSING, "10:25"))));

        assertThat(changes).extracting(Breach::getBreachId, Breach::getStatus, Breach::getUpdatedAt).containsExactly(
                tuple("tj|TJ|ILLEGAL_CROSSING", BreachStatus.FIRING, at("10:25")),
                tuple("tj|TJ|ILLEGAL_CROSSING", BreachStatus.RESOLVED, at("11:00")));
    }

    @Test
    void shouldStayFiringToTheEndWhenResolveThresholdIsZero() {
        final AlertRule rule = rule("any", "TJ-KT", null, "PT1H", Metric.EVENT_COUNT, 1, 0).build();

        assertThat(backtest.run(rule, List.of(report(incident("TJ-KT", ILLEGAL_CROSSING, "10:05")))))
                .extracting(Breach::getStatus).containsExactly(BreachStatus.FIRING);
    }

    @Test
    void shouldRejectRuleWhenItsWindowIsNotConfigured() {
        final AlertRule rule = rule("weekly", "TJ-KT", null, "P7D", Metric.EVENT_COUNT, 1, 1).build();

        assertThatThrownBy(() -> backtest.run(rule, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule weekly watches window P7D, which is not a configured window [PT1H, PT2H]");
        assertThat(new Backtest(AggregatorConfig.DEFAULT_WINDOWS).run(rule, List.of())).isEmpty();
    }

    private static Report report(final BorderIncident incident) {
        return Report.of(incident, new byte[0]);
    }

    private static Report report(final org.borderwatch.avro.DrugSeizure seizure) {
        return Report.of(seizure, new byte[0]);
    }
}
