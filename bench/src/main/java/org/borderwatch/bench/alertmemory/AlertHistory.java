package org.borderwatch.bench.alertmemory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.borderwatch.avro.Acknowledgement;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.AlertChange;
import org.borderwatch.avro.AlertChangeKind;
import org.borderwatch.avro.AlertNote;
import org.borderwatch.avro.AlertStatus;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.schemas.Topics;

/**
 * A long alert history written straight to Kafka as the alert service's lifecycle would have written it: every
 * change to {@code border.alerts.v1} (Avro of the schema in use, keyed by alertId, timestamped with its
 * {@code updatedAt}), and each alert's last state to the lifecycle store's changelog
 * ({@code <application.id>-alert-state-changelog}, compacted), which is what the lifecycle would hold after it.
 *
 * <p>Each alert has {@value #CHANGES_PER_ALERT} changes: episodes of fired, escalated, an operator note,
 * acknowledged and resolved; one alert in {@value #FIRING_EVERY} ends with its last episode still open (firing).
 * Alerts take turns, so the changes of all alerts interleave over {@code span} up to now, as on a busy border.
 */
public final class AlertHistory {

    public static final int CHANGES_PER_ALERT = 50;
    public static final int FIRING_EVERY = 50;
    private static final int EPISODE = 5;
    private static final ThreatType[] THREATS = ThreatType.values();

    private AlertHistory() {
    }

    /** What was written. */
    public record Written(long changes, int alerts, int firing, Map<Integer, Long> endOffsets, double seconds) {
    }

    /** Creates the lifecycle's changelog the way Kafka Streams would (6 partitions like its inputs, compacted). */
    public static void createChangelog(final String bootstrapServers, final String changelog) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(changelog, Topics.ALERTS.partitions(), (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        } catch (final java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot create " + changelog, e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Written write(final String bootstrapServers, final String changelog, final long changes,
                         final Duration span) {
        final int alerts = (int) Math.max(1, changes / CHANGES_PER_ALERT);
        final Instant end = Instant.now().minusSeconds(1);
        final Instant start = end.minus(span);
        final long step = Math.max(1, span.toMillis() / changes);
        final Alert[] last = new Alert[alerts];
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // On a busy shared machine a fresh broker can take minutes to take every write; never drop one.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
        final Map<Integer, Long> endOffsets = new HashMap<>();
        final java.util.concurrent.atomic.AtomicReference<Exception> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        // Right after the topics were created an idempotent producer retrying through NOT_LEADER_OR_FOLLOWER was seen
        // to loop on OutOfOrderSequenceException (Kafka 4.3.1; ClusterOffsets#awaitLeaders): write once leaders answer.
        try (ClusterOffsets topics = new ClusterOffsets(bootstrapServers)) {
            topics.awaitLeaders(List.of(Topics.ALERTS.name(), changelog));
        }
        final long begun = System.nanoTime();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(config, Topics.ALERTS.keySerde().serializer(),
                Topics.ALERTS.valueSerde().serializer())) {
            for (long i = 0; i < changes; i++) {
                final int alert = (int) (i % alerts);
                final long version = i / alerts + 1;
                final Instant at = start.plusMillis(i * step);
                final Alert change = change(alert, version, last[alert], at);
                last[alert] = change;
                producer.send(new ProducerRecord<>(Topics.ALERTS.name(), null, at.toEpochMilli(),
                        change.getAlertId(), change), (metadata, error) -> {
                            if (error != null) {
                                failed.compareAndSet(null, error);
                                return;
                            }
                            synchronized (endOffsets) {
                                endOffsets.merge(metadata.partition(), metadata.offset() + 1, Math::max);
                            }
                        });
            }
            int firing = 0;
            for (final Alert state : last) {
                if (state != null) {
                    producer.send(new ProducerRecord<>(changelog, state.getAlertId(), state));
                    firing += state.getStatus() == AlertStatus.FIRING ? 1 : 0;
                }
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("writing the alert history failed; the run is void", failed.get());
            }
            return new Written(changes, alerts, firing, endOffsets, (System.nanoTime() - begun) / 1e9);
        }
    }

    /** Change {@code version} of alert number {@code alert}, following {@code previous}. */
    public static Alert change(final int alert, final long version, final Alert previous, final Instant at) {
        final List<Region> regions = Region.CENTRAL_ASIA;
        final Region region = regions.get(alert % regions.size());
        final ThreatType threat = THREATS[(alert / regions.size()) % THREATS.length];
        final String ruleId = "rule-" + alert / (regions.size() * THREATS.length);
        final int phase = (int) ((version - 1) % EPISODE);
        // The last episode of every FIRING_EVERY-th alert stays open: a second note instead of the resolve.
        final boolean lastOfOpen = alert % FIRING_EVERY == 0 && version % CHANGES_PER_ALERT == 0;
        final boolean resolves = phase == EPISODE - 1 && !lastOfOpen;
        final Instant startsAt = phase == 0 || previous == null ? at : previous.getStartsAt();
        final Alert.Builder builder = Alert.newBuilder()
                .setAlertId(ruleId + "|" + region.code() + "|" + threat)
                .setRuleId(ruleId).setRegion(region.code()).setThreatType(threat)
                .setMetric(Metric.EVENT_COUNT).setThreshold(3).setWindow("PT1H")
                .setStartsAt(startsAt).setUpdatedAt(at).setVersion(version)
                .setBreachVersion(version)
                .setStatus(resolves ? AlertStatus.RESOLVED : AlertStatus.FIRING)
                .setSeverity(phase == 0 ? Severity.HIGH : Severity.CRITICAL)
                .setEscalationLevel(phase == 0 ? 0 : 1)
                .setObservedValue(phase == 0 ? 3 : 6)
                .setKind(AlertChangeKind.STATE);
        switch (phase) {
            case 0 -> builder.setChange(AlertChange.FIRED);
            case 1 -> builder.setChange(AlertChange.ESCALATED);
            case 2 -> builder.setChange(AlertChange.ESCALATED).setKind(AlertChangeKind.NOTE)
                    .setNote(note(at, "Patrol sent to the crossing"));
            case 3 -> builder.setChange(AlertChange.ACKNOWLEDGED).setAcknowledgement(Acknowledgement.newBuilder()
                    .setBy("ops-dushanbe").setAt(at).setComment("seen").build());
            default -> {
                if (resolves) {
                    builder.setChange(AlertChange.RESOLVED).setEndsAt(at);
                } else {
                    builder.setChange(AlertChange.ACKNOWLEDGED).setKind(AlertChangeKind.NOTE)
                            .setNote(note(at, "Group still on the ridge"));
                }
            }
        }
        if (phase >= 3 && previous != null && previous.getAcknowledgement() != null) {
            builder.setAcknowledgement(previous.getAcknowledgement());
        }
        return builder.build();
    }

    private static AlertNote note(final Instant at, final String text) {
        return AlertNote.newBuilder().setBy("ops-dushanbe").setAt(at).setText(text).build();
    }
}
