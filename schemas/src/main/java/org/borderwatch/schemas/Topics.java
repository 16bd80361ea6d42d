package org.borderwatch.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertCommand;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.BorderIncident;
import org.borderwatch.avro.Breach;
import org.borderwatch.avro.ConsoleSession;
import org.borderwatch.avro.DrugSeizure;
import org.borderwatch.avro.LateEvent;
import org.borderwatch.avro.Silence;
import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.ThreatAggregate;
import org.borderwatch.avro.WebhookDelivery;
import org.borderwatch.schemas.serde.AvroSerde;

/**
 * The one registry of topics: every producer, consumer, topology and tool takes names and serdes from here.
 * The README's topics table mirrors this class.
 */
public final class Topics {

    public static final Serde<String> KEY = Serdes.String();

    public static final Topic<String, BorderIncident> INCIDENTS = new Topic<>("border.incidents.v1",
            KEY, AvroSerde.of(BorderIncident.class), 6, retention(Duration.ofDays(90)));

    public static final Topic<String, DrugSeizure> SEIZURES = new Topic<>("border.seizures.v1",
            KEY, AvroSerde.of(DrugSeizure.class), 6, retention(Duration.ofDays(90)));

    public static final Topic<String, AlertRule> ALERT_RULES = new Topic<>("border.alert-rules.v1",
            KEY, AvroSerde.of(AlertRule.class), 1, compacted());

    public static final Topic<String, ThreatAggregate> THREAT_AGGREGATES = new Topic<>("border.threat-aggregates.v1",
            KEY, AvroSerde.of(ThreatAggregate.class), 6, Map.of(
                    // One key per window: compaction keeps its latest figure, deletion ages old windows out.
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                            + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(30).toMillis())));

    public static final Topic<String, Breach> BREACHES = new Topic<>("border.breaches.v1",
            KEY, AvroSerde.of(Breach.class), 6, retention(Duration.ofDays(90)));

    public static final Topic<String, Alert> ALERTS = new Topic<>("border.alerts.v1",
            KEY, AvroSerde.of(Alert.class), 6, Map.of(
                    // The audit trail: kept forever, never compacted.
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, "-1"));

    public static final Topic<String, LateEvent> LATE_EVENTS = new Topic<>("border.late-events.v1",
            KEY, AvroSerde.of(LateEvent.class), 3, retention(Duration.ofDays(90)));

    /** Poison records: the original bytes, with headers naming source topic, partition, offset and error. */
    public static final Topic<byte[], byte[]> DEADLETTER = new Topic<>("border.deadletter.v1",
            Serdes.ByteArray(), Serdes.ByteArray(), 1, retention(Duration.ofDays(90)));

    /** Acknowledgements, notes and manual resolves for the alert lifecycle; as many partitions as breaches (same key). */
    public static final Topic<String, AlertCommand> ALERT_COMMANDS = new Topic<>("border.alert-commands.v1",
            KEY, AvroSerde.of(AlertCommand.class), 6, retention(Duration.ofDays(7)));

    public static final Topic<String, Subscription> SUBSCRIPTIONS = new Topic<>("border.subscriptions.v1",
            KEY, AvroSerde.of(Subscription.class), 1, compacted());

    public static final Topic<String, Silence> SILENCES = new Topic<>("border.silences.v1",
            KEY, AvroSerde.of(Silence.class), 1, compacted());

    /** Webhook notifications waiting for their next attempt; read back after a restart. */
    public static final Topic<String, WebhookDelivery> WEBHOOK_RETRIES = new Topic<>("border.webhook-retries.v1",
            KEY, AvroSerde.of(WebhookDelivery.class), 6, retention(Duration.ofDays(7)));

    /**
     * Operations console sessions, read in full by every alert instance so a session works on any of them. Key: the
     * SHA-256 of the session id. Compacted (sign-out is a tombstone) and deleted after a week, longer than any
     * session may live, so expired sessions leave the topic by themselves.
     */
    public static final Topic<String, ConsoleSession> CONSOLE_SESSIONS = new Topic<>("border.console-sessions.v1",
            KEY, AvroSerde.of(ConsoleSession.class), 1, Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                            + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis())));

    public static final List<Topic<?, ?>> ALL = List.of(INCIDENTS, SEIZURES, ALERT_RULES, THREAT_AGGREGATES,
            BREACHES, ALERTS, LATE_EVENTS, DEADLETTER, ALERT_COMMANDS, SUBSCRIPTIONS, SILENCES, WEBHOOK_RETRIES,
            CONSOLE_SESSIONS);

    private Topics() {
    }

    /** The registered topic called {@code name}, or an exception naming the known topics. */
    public static Topic<?, ?> byName(final String name) {
        return ALL.stream()
                .filter(topic -> topic.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown topic " + name + "; known topics: " + ALL));
    }

    private static Map<String, String> retention(final Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }

    private static Map<String, String> compacted() {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }
}
