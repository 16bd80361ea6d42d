package org.borderwatch.aggregator.rules.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.borderwatch.service.kafka.KafkaSettings;
import org.borderwatch.aggregator.report.Report;
import org.borderwatch.aggregator.report.ReportSerde;
import org.borderwatch.schemas.Topics;
import org.borderwatch.service.problem.ProblemException;

/**
 * Reads the retained history of {@code border.incidents.v1} and {@code border.seizures.v1} for a backtest: a fresh
 * read_committed consumer per request, by assignment (no group, no committed offsets), from the beginning up to the
 * end offsets at the time of the request, decoded with the topology's own {@link ReportSerde}. Reports are kept
 * without their original bytes, and only those the caller's filter accepts.
 */
@Singleton
public final class HistoryReader {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final KafkaSettings settings;

    public HistoryReader(final KafkaSettings settings) {
        this.settings = settings;
    }

    /** What was read: the matching reports, and how many records were read in all or could not be decoded. */
    public record History(List<Report> reports, long recordsRead, long undecodable) {
    }

    /**
     * @param keep       which reports to keep
     * @param timeout    the longest the whole read may take (503 beyond it)
     * @param maxReports the most reports kept (422 beyond it: narrow the rule or the time range)
     */
    public History read(final Predicate<Report> keep, final Duration timeout, final long maxReports,
                        final Duration retryAfter) {
        final Map<String, Object> config = settings.consumer();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "borderwatch-aggregator-backtest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        final Map<String, ReportSerde> decoders = Map.of(Topics.INCIDENTS.name(), ReportSerde.incidents(),
                Topics.SEIZURES.name(), ReportSerde.seizures());
        final Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, Topics.KEY.deserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : decoders.keySet()) {
                consumer.partitionsFor(topic, timeout).forEach(info ->
                        partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            final List<Report> reports = new ArrayList<>();
            long read = 0;
            long undecodable = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw ProblemException.unavailable("Reading the history took longer than " + timeout
                            + "; try a narrower time range.", retryAfter);
                }
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    read++;
                    final Report report;
                    try {
                        report = record.value() == null ? null
                                : decoders.get(record.topic()).deserialize(record.topic(), record.value());
                    } catch (final RuntimeException e) {
                        undecodable++;
                        continue;
                    }
                    if (report != null && keep.test(report)) {
                        if (reports.size() >= maxReports) {
                            throw new ProblemException(io.micronaut.http.HttpStatus.UNPROCESSABLE_ENTITY,
                                    ProblemException.TYPE_INVALID, "Too much history", "More than " + maxReports
                                    + " reports match the rule; narrow the time range (from, to) or the rule.",
                                    List.of(), null);
                        }
                        reports.add(withoutPayload(report));
                    }
                }
            }
            return new History(reports, read, undecodable);
        } catch (final org.apache.kafka.common.errors.TimeoutException e) {
            throw ProblemException.unavailable("Kafka did not answer while reading the history: " + e.getMessage(),
                    retryAfter);
        }
    }

    private static Report withoutPayload(final Report report) {
        return new Report(report.eventId(), report.agencyId(), report.occurredAt(), report.region(),
                report.threatType(), report.severity(), report.confidence(), report.drugType(), report.quantityKg(),
                NO_PAYLOAD);
    }
}
