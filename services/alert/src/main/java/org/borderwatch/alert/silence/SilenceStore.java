package org.borderwatch.alert.silence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.borderwatch.service.kafka.KafkaClients;
import org.borderwatch.service.kafka.AcknowledgedWriter;
import org.borderwatch.service.kafka.TopicMirror;
import org.borderwatch.service.security.RegionPatterns;
import org.borderwatch.avro.Alert;
import org.borderwatch.avro.Silence;
import org.borderwatch.schemas.Topics;

/** Every silence, read from the compacted {@code border.silences.v1} (so a restart loses none). */
@Context
public final class SilenceStore implements AutoCloseable {

    private final Map<String, Silence> silences = new ConcurrentHashMap<>();
    private final TopicMirror<Silence> mirror;
    private final AcknowledgedWriter writer;

    public SilenceStore(final KafkaClients kafka, final AcknowledgedWriter writer) {
        this.writer = writer;
        this.mirror = new TopicMirror<>(Topics.SILENCES, kafka, (record, silence) -> {
            if (silence == null) {
                silences.remove(record.key());
            } else {
                silences.put(record.key(), silence);
            }
        }).start();
    }

    /** Whether a silence matching {@code alert} was in force at {@code at}. */
    public boolean silenced(final Alert alert, final Instant at) {
        return silences.values().stream().anyMatch(silence -> matches(silence, alert) && activeAt(silence, at));
    }

    /** The silences matching {@code alert} that are in force at {@code at}, ending last first. */
    public List<Silence> silencing(final Alert alert, final Instant at) {
        return silences.values().stream().filter(silence -> matches(silence, alert) && activeAt(silence, at))
                .sorted(Comparator.comparing(Silence::getEndsAt).reversed().thenComparing(Silence::getSilenceId))
                .toList();
    }

    public static boolean matches(final Silence silence, final Alert alert) {
        return (silence.getRegions().isEmpty() || RegionPatterns.matchesAny(silence.getRegions(), alert.getRegion()))
                && (silence.getThreatTypes().isEmpty() || silence.getThreatTypes().contains(alert.getThreatType()))
                && (silence.getRuleIds().isEmpty() || silence.getRuleIds().contains(alert.getRuleId()));
    }

    public static boolean activeAt(final Silence silence, final Instant at) {
        return !at.isBefore(silence.getStartsAt()) && at.isBefore(silence.getEndsAt());
    }

    public Optional<Silence> find(final String silenceId) {
        return Optional.ofNullable(silences.get(silenceId));
    }

    public List<Silence> all() {
        final List<Silence> all = new ArrayList<>(silences.values());
        all.sort(Comparator.comparing(Silence::getCreatedAt).thenComparing(Silence::getSilenceId));
        return all;
    }

    /** Stores the silence and waits until this instance sees it, so the next read shows it. */
    public boolean save(final Silence silence, final Duration timeout) {
        final RecordMetadata written = writer.write(Topics.SILENCES, silence.getSilenceId(), silence);
        return mirror.awaitPosition(written.partition(), written.offset(), timeout);
    }

    public boolean isCaughtUp() {
        return mirror.isCaughtUp();
    }

    public boolean awaitCaughtUp(final Duration timeout) {
        return mirror.awaitCaughtUp(timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        mirror.close();
    }
}
