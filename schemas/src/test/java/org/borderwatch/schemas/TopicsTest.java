package org.borderwatch.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldRegisterThePublicTopicNamesOfTheDesign() {
        assertThat(Topics.ALL).extracting(Topic::name).containsExactly(
                "border.incidents.v1", "border.seizures.v1", "border.alert-rules.v1", "border.threat-aggregates.v1",
                "border.breaches.v1", "border.alerts.v1", "border.late-events.v1", "border.deadletter.v1",
                "border.alert-commands.v1", "border.subscriptions.v1", "border.silences.v1",
                "border.webhook-retries.v1", "border.console-sessions.v1");
    }

    @Test
    void shouldCompactTheRulesTopicAndKeepTheAuditTrailForever() {
        assertThat(Topics.ALERT_RULES.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.ALERTS.configs()).containsEntry("retention.ms", "-1").containsEntry("cleanup.policy", "delete");
    }

    @Test
    void shouldCoPartitionIncidentsAndSeizuresBecauseTheAggregatorJoinsThemByRegion() {
        assertThat(Topics.INCIDENTS.partitions()).isEqualTo(Topics.SEIZURES.partitions());
    }

    @Test
    void shouldCompactSubscriptionsAndSilencesBecauseOnlyTheirLatestStateMatters() {
        assertThat(Topics.SUBSCRIPTIONS.configs()).containsEntry("cleanup.policy", "compact");
        assertThat(Topics.SILENCES.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldCompactConsoleSessionsAndDeleteThemAfterTheLongestSessionLifetime() {
        assertThat(Topics.CONSOLE_SESSIONS.configs()).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", Long.toString(java.time.Duration.ofDays(7).toMillis()));
    }

    @Test
    void shouldCoPartitionAlertCommandsWithBreachesBecauseTheAlertLifecycleJoinsThemByAlertId() {
        assertThat(Topics.ALERT_COMMANDS.partitions()).isEqualTo(Topics.BREACHES.partitions());
        assertThat(Topics.ALERTS.partitions()).isEqualTo(Topics.BREACHES.partitions());
    }

    @Test
    void shouldNameTheKnownTopicsWhenAskedForAnUnknownOne() {
        assertThat(Topics.byName("border.breaches.v1")).isSameAs(Topics.BREACHES);
        assertThatThrownBy(() -> Topics.byName("border.nope")).hasMessageContaining("border.incidents.v1");
    }
}
