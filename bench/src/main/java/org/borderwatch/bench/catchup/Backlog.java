package org.borderwatch.bench.catchup;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

import org.borderwatch.bench.kafka.ClusterOffsets;
import org.borderwatch.bench.kafka.InputPublisher;
import org.borderwatch.bench.workload.PublishedReport;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.bench.workload.ReportGenerator;
import org.borderwatch.schemas.Topics;

/**
 * The backlog the aggregator catches up on: {@code events} records over every region, occurredAt spread evenly over
 * {@code span} of event time ending an hour ago, so each partition is in event-time order, as a backlog of live
 * traffic would be; each report published a few minutes after it occurred, and a share of them retried (published
 * again a few records later).
 *
 * @param distinct   reports (the rest of {@code events} are retries)
 * @param valueBytes total size of the record values
 * @param seconds    how long publishing took (acknowledged)
 */
public record Backlog(long events, long distinct, long valueBytes, double seconds) {

    private static final int RETRY_WINDOW = 64;

    public double averageValueBytes() {
        return (double) valueBytes / events;
    }

    /** Publishes the backlog to the input topics once their leaders are known. */
    public static Backlog publish(final String bootstrapServers, final long events, final Duration span,
                                  final double retryRate, final long seed) {
        try (ClusterOffsets topics = new ClusterOffsets(bootstrapServers);
             InputPublisher publisher = new InputPublisher(bootstrapServers)) {
            topics.awaitLeaders(List.of(Topics.INCIDENTS.name(), Topics.SEIZURES.name()));
            return publish(publisher, events, span, retryRate, seed);
        }
    }

    public static Backlog publish(final InputPublisher publisher, final long events, final Duration span,
                                  final double retryRate, final long seed) {
        final long started = System.nanoTime();
        final Random random = new Random(seed);
        final ReportGenerator generator = new ReportGenerator(seed + 1, Region.CENTRAL_ASIA);
        final long end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)).toEpochMilli();
        final long start = end - span.toMillis();
        final PublishedReport[] recent = new PublishedReport[RETRY_WINDOW];
        long distinct = 0;
        long bytes = 0;
        for (long i = 0; i < events; i++) {
            final PublishedReport report;
            if (distinct > RETRY_WINDOW && random.nextDouble() < retryRate) {
                report = recent[random.nextInt(RETRY_WINDOW)];
            } else {
                final long occurredAt = start + (long) ((double) span.toMillis() * i / events);
                report = generator.next(occurredAt, occurredAt + random.nextInt(600_000));
                recent[(int) (distinct++ % RETRY_WINDOW)] = report;
            }
            publisher.send(report);
            bytes += report.value().length;
        }
        publisher.flush();
        return new Backlog(events, distinct, bytes, (System.nanoTime() - started) / 1e9);
    }
}
